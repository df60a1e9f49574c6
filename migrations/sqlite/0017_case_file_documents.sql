-- What printed documents need of a party (issue 13, part 2): an identity
-- document number, an address, and the legal representative or agent of an
-- organisation. All optional; '' when not known, like `phone`.
ALTER TABLE parties ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN representative TEXT NOT NULL DEFAULT '';
