-- Every list page fast at a million cases (issue 12).
--
-- 1. `case_grams`: the one- and two-character substrings of each case's
--    searchable text, so a search word shorter than the trigram index's
--    three characters (a two-character name such as 张伟, a surname, two
--    letters) is looked up instead of read out of every case with LIKE.
--    Each field (case number, project, summary, each party's name) is cut
--    on its own, as LIKE compares each column on its own. A gram is stored
--    as the hex of its UTF-8 bytes, lowercased as SQLite's lower() does
--    (ASCII only, as LIKE folds), so the tokenizer sees one plain ASCII
--    word whatever the characters; `store::search::gram_token` writes a
--    query's word the same way. Contentless with `detail=none`: only which
--    cases hold a gram is kept (the text is in `cases` and `parties`).
-- 2. The "my cases" scope (a mediator's list, search, /my) as two index
--    lookups instead of an OR that read every case.
-- 3. The judicial-confirmation flag through an index.

-- Positions 1..10000 within a field: a summary is at most 10,000
-- characters (domain::case::SUMMARY_MAX), every other field shorter.
CREATE TABLE search_positions (n INTEGER PRIMARY KEY) STRICT;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 10000)
INSERT INTO search_positions (n) SELECT n FROM i;

-- A case's grams as one text of space-separated tokens; read by the store
-- (`store::search::index_case`, `index_new`), the update trigger below and
-- this migration's backfill, so all write the same tokens.
CREATE VIEW case_gram_docs AS
SELECT c.id,
       (SELECT group_concat(hex(substr(t, n, 1)) || ' ' || hex(substr(t, n, 2)), ' ')
        FROM (SELECT lower(c.case_no) AS t UNION ALL SELECT lower(c.project)
              UNION ALL SELECT lower(c.summary)
              UNION ALL SELECT lower(name) FROM parties WHERE case_id = c.id) AS fields
        JOIN search_positions ON n <= length(t)) AS grams
FROM cases c;

CREATE VIRTUAL TABLE case_grams USING fts5(
    grams, content = '', contentless_delete = 1, detail = none
);

INSERT INTO case_grams (rowid, grams) SELECT id, grams FROM case_gram_docs;

-- The trigger of 0005 for a changed case number, project or summary, now
-- also rewriting the case's grams.
DROP TRIGGER IF EXISTS search_case_update;
CREATE TRIGGER search_case_update AFTER UPDATE OF case_no, project, summary ON cases
BEGIN
    UPDATE case_search SET case_no = NEW.case_no, project = NEW.project, summary = NEW.summary
    WHERE rowid = NEW.id;
    DELETE FROM case_grams WHERE rowid = NEW.id;
    INSERT INTO case_grams (rowid, grams) SELECT id, grams FROM case_gram_docs WHERE id = NEW.id;
END;

DROP TRIGGER IF EXISTS search_case_delete;
CREATE TRIGGER search_case_delete AFTER DELETE ON cases
BEGIN
    DELETE FROM case_search WHERE rowid = OLD.id;
    DELETE FROM case_grams WHERE rowid = OLD.id;
END;

-- The cases a user registered (their half of the "my cases" scope).
CREATE INDEX IF NOT EXISTS cases_created_by ON cases (created_by);

-- "Judicial confirmation due": settled, none applied, agreed in a window.
CREATE INDEX IF NOT EXISTS cases_judicial_due ON cases (agreement_on)
    WHERE status = 'settled' AND judicial_confirmation = 'none';

-- "Needs follow-up" by (status, performance_due): with the status as an
-- equality SQLite prefers this to `cases_status_accepted`, which read every
-- settled case, and can count the flag, also by district, category, source
-- or date, from the index alone. 0007's
-- `cases_follow_up` stays: the statistics may name it.
CREATE INDEX IF NOT EXISTS cases_follow_up_due ON cases (status, performance_due, district, category, source, received_on)
    WHERE status = 'settled' AND archived_on IS NULL AND COALESCE(fulfilment, '') <> 'fulfilled';

-- The audit log, millions of entries long, newest first under any of its
-- filters (user, kind, dates) without sorting: each index holds its
-- filter's entries by time (and id, the rowid every index ends with).
CREATE INDEX IF NOT EXISTS audit_user_at ON audit_log (user_id, at);
CREATE INDEX IF NOT EXISTS audit_entity_at ON audit_log (entity, at);
CREATE INDEX IF NOT EXISTS audit_user_entity_at ON audit_log (user_id, entity, at);
