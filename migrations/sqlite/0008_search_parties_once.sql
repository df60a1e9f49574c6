-- A case's search document is written once per case write, not once per
-- party row. The triggers of 0005 rebuilt a case's whole party list (and
-- re-indexed it) for every party inserted, changed or deleted: n parties
-- cost n² work, and 16,000 parties held the write lock for 25 s. The case
-- insert trigger indexed a case before its parties existed, so each one
-- was indexed twice.
-- Now the store indexes a case once its parties are written
-- (`store::search::index_case` for the form, `index_from` for the import
-- and the demo loader). `search_case_update` (case number, project,
-- summary) and `search_case_delete` stay.
DROP TRIGGER IF EXISTS search_case_insert;
DROP TRIGGER IF EXISTS search_party_insert;
DROP TRIGGER IF EXISTS search_party_update;
DROP TRIGGER IF EXISTS search_party_delete;
