-- The list's filters beside the search document (issue 14): a search with
-- filters (`/cases?category=…&district=…&q=阳光花园`) took 730 ms at a
-- million cases. The trigram index gave every case holding the word's
-- trigrams (22,246 for 阳光花园), each rechecked against its document on
-- the heap, then looked up in `cases` for the filters, which kept a few
-- hundred.
--
-- `case_search` now holds a copy of the case's columns the list filters on
-- (status, category, source, district, received_on, committee_id), and one
-- GIN index holds them with the document (btree_gin), so the filters and
-- the word meet in one index scan and only the cases matching both are
-- rechecked. The store adds the filters to the search's subquery as well
-- as to `cases` (store::search), so an out-of-date copy could only drop a
-- case, never add one: the copies are written with the document
-- (`case_search_index`, store::search) and followed by a trigger below;
-- `store::search::filter_drift` counts the rows that differ.
--
-- SQLite's FTS5 table stays as it was: its search answers in 94 ms.

CREATE EXTENSION IF NOT EXISTS btree_gin;

ALTER TABLE case_search
    ADD COLUMN status       TEXT,
    ADD COLUMN category     TEXT,
    ADD COLUMN source       TEXT,
    ADD COLUMN district     TEXT,
    ADD COLUMN received_on  DATE,
    ADD COLUMN committee_id BIGINT;

DROP INDEX case_search_doc_trgm;

UPDATE case_search s
SET status = c.status, category = c.category, source = c.source, district = c.district,
    received_on = c.received_on, committee_id = c.committee_id
FROM cases c WHERE c.id = s.case_id;

-- A search without filters reads only the document's entries: a GIN index
-- keeps each column's keys apart.
CREATE INDEX case_search_doc_trgm ON case_search
    USING gin (category, district, source, status, received_on,
               case_search_doc(case_no, project, summary, parties) gin_trgm_ops);

CREATE OR REPLACE FUNCTION case_search_index(first BIGINT, last BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM case_search WHERE case_id BETWEEN first AND last;
    INSERT INTO case_search (case_id, case_no, project, summary, parties,
                             status, category, source, district, received_on, committee_id)
    SELECT c.id, c.case_no, c.project, c.summary,
           (SELECT string_agg(p.name, chr(31) ORDER BY p.role, p.position, p.id)
            FROM parties p WHERE p.case_id = c.id),
           c.status, c.category, c.source, c.district, c.received_on, c.committee_id
    FROM cases c WHERE c.id BETWEEN first AND last;
    DELETE FROM case_grams WHERE case_id BETWEEN first AND last;
    PERFORM case_grams_write(first, last);
END;
$$;

-- A status change, an edit, a transfer, a void: the copies follow the case.
CREATE FUNCTION search_case_filters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE case_search
    SET status = NEW.status, category = NEW.category, source = NEW.source, district = NEW.district,
        received_on = NEW.received_on, committee_id = NEW.committee_id
    WHERE case_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_case_filters
    AFTER UPDATE OF status, category, source, district, received_on, committee_id ON cases
    FOR EACH ROW
    WHEN ((OLD.status, OLD.category, OLD.source, OLD.district, OLD.received_on, OLD.committee_id)
          IS DISTINCT FROM (NEW.status, NEW.category, NEW.source, NEW.district, NEW.received_on, NEW.committee_id))
    EXECUTE FUNCTION search_case_filters();
