-- Accord Exchange (issue 16): SQLite's 0031, whose comments say why. The
-- column stays nullable in the catalogue as on SQLite (the schemas are
-- compared); the default fills every row, existing ones included, and the
-- CHECK keeps it filled.
ALTER TABLE cases ADD COLUMN uuid TEXT DEFAULT gen_random_uuid()::text;
ALTER TABLE cases ADD CONSTRAINT cases_uuid_filled CHECK (uuid IS NOT NULL);
CREATE UNIQUE INDEX cases_uuid ON cases (uuid);

ALTER TABLE audit_log ADD COLUMN actor_name TEXT;
