-- Corrections (issue 13): a case registered by mistake is voided, never
-- deleted; sessions and return visits are voided the same way. The reason
-- of every correction is also kept in its audit entry.
--
-- 1. `voided` joins the statuses allowed by the CHECK of `cases` (0001).
--    SQLite cannot alter a CHECK; rebuilding `cases` would mean dropping
--    its triggers, its indexes and (with foreign keys on) cascading into
--    parties. SQLite documents editing the stored definition instead for
--    constraints that only loosen (https://sqlite.org/lang_altertable.html,
--    "Making Other Kinds Of Table Schema Changes"): every row already
--    satisfies the wider CHECK. `writable_schema = RESET` makes this
--    connection re-read the schema (the ALTER TABLE below would otherwise
--    work from the old text), and the ALTER TABLE bumps the schema cookie
--    so every other connection re-reads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '''withdrawn'', ''declined'')', '''withdrawn'', ''declined'', ''voided'')')
WHERE type = 'table' AND name = 'cases';
PRAGMA writable_schema = RESET;
PRAGMA writable_schema = OFF;

-- The day a case was voided and why (shown struck through on its page).
-- Its other fields stay as they were: the statistics leave every `voided`
-- case out (store::stats::COUNTED), and `stats_monthly` keeps a row per
-- status as before, so the triggers need no change.
ALTER TABLE cases ADD COLUMN voided_on TEXT;
ALTER TABLE cases ADD COLUMN void_reason TEXT;

-- A voided session or return visit stays on the case page, struck through.
ALTER TABLE mediation_sessions ADD COLUMN voided_on TEXT;
ALTER TABLE mediation_sessions ADD COLUMN void_reason TEXT;
ALTER TABLE return_visits ADD COLUMN voided_on TEXT;
ALTER TABLE return_visits ADD COLUMN void_reason TEXT;
