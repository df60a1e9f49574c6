-- The case list can be ordered by the amount in dispute (issue 10). The
-- other sortable columns already have an index: received_on, accepted_on
-- and (status, received_on). With the rowid each index holds, every order
-- ends in the id without a sort, also at a million cases.
CREATE INDEX IF NOT EXISTS cases_amount ON cases (amount_claimed);

-- A search finds a party by the end of their phone number (at least the
-- last four digits, issue 10): the four last characters, as stored, are
-- looked up here before the digits are compared.
CREATE INDEX IF NOT EXISTS parties_phone_tail ON parties (substr(phone, -4));
