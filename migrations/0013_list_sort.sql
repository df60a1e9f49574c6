-- The case list can be ordered by the amount in dispute (issue 10). The
-- other sortable columns already have an index: received_on, accepted_on
-- and (status, received_on). With the rowid each index holds, every order
-- ends in the id without a sort, also at a million cases.
CREATE INDEX IF NOT EXISTS cases_amount ON cases (amount_claimed);
