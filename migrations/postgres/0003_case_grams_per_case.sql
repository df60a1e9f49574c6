-- `case_grams`: one row per case holding the codes of its grams, under a
-- GIN index, instead of a row per case and gram (0001). A demo case has
-- about a hundred distinct grams: at a million cases the rows and their
-- two B-trees came to some 100 million entries and most of a load's time;
-- the GIN index keeps each gram once with a compressed list of its rows.
--
-- A gram's code (`gram_code`) is its one character's code point, or, for
-- two characters, the first's code point shifted past the 21 bits of any
-- code point plus the second's: distinct for distinct grams, and an
-- integer compares faster than text while the index is built. A word of
-- one or two characters is found by `grams @> ARRAY[code]` with the code
-- of its ASCII lowercase (store::search). The grams themselves are those
-- of `case_gram_rows`, unchanged.

CREATE FUNCTION gram_code(gram TEXT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN char_length(gram) < 2 THEN CAST(ascii(gram) AS BIGINT)
                ELSE (CAST(ascii(gram) AS BIGINT) << 21) | ascii(substr(gram, 2, 1)) END
$$;

DROP TABLE case_grams;

CREATE TABLE case_grams (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    grams   BIGINT[] NOT NULL
);

-- The `case_grams` row of each case with an id in first..last and at
-- least one gram: its codes, distinct and in order.
CREATE FUNCTION case_grams_write(first BIGINT, last BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_grams (case_id, grams)
    SELECT g_case_id, array_agg(DISTINCT gram_code(g_gram) ORDER BY gram_code(g_gram))
    FROM case_gram_rows(first, last)
    GROUP BY g_case_id;
$$;

-- The cases already stored, indexed again, then the index built once.
SELECT case_grams_write(MIN(id), MAX(id)) FROM cases;

CREATE INDEX case_grams_grams ON case_grams USING gin (grams);

-- The planner estimates how many cases hold a gram from the most common
-- grams it samples; with the default hundred, a rare name read as ten
-- times more frequent than it is, and a short search walked the whole
-- case list by date instead of looking the name up (280 ms against 6 ms
-- at a million cases).
ALTER TABLE case_grams ALTER COLUMN grams SET STATISTICS 1000;

CREATE OR REPLACE FUNCTION case_search_index(first BIGINT, last BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM case_search WHERE case_id BETWEEN first AND last;
    INSERT INTO case_search (case_id, case_no, project, summary, parties)
    SELECT c.id, c.case_no, c.project, c.summary,
           (SELECT string_agg(p.name, chr(31) ORDER BY p.role, p.position, p.id)
            FROM parties p WHERE p.case_id = c.id)
    FROM cases c WHERE c.id BETWEEN first AND last;
    DELETE FROM case_grams WHERE case_id BETWEEN first AND last;
    PERFORM case_grams_write(first, last);
END;
$$;

CREATE OR REPLACE FUNCTION search_case_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE case_search SET case_no = NEW.case_no, project = NEW.project, summary = NEW.summary
    WHERE case_id = NEW.id;
    DELETE FROM case_grams WHERE case_id = NEW.id;
    PERFORM case_grams_write(NEW.id, NEW.id);
    RETURN NULL;
END;
$$;

