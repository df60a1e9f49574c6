-- Accord Exchange (issue 16): every case carries a stable UUID besides its
-- number, so a case moved between installations is known again: the same
-- exchange file imported twice changes nothing, a changed case updates.
-- Code writes a v4 UUID with every new row (`store::cases::insert`); the
-- trigger fills one for any row written without (raw SQL, old tools), and
-- a UUID once given is never taken away. SQLite cannot add a NOT NULL
-- column without a constant default, so the triggers keep it filled.
ALTER TABLE cases ADD COLUMN uuid TEXT;

-- Giving a case its UUID changes nothing the statistics read: the data
-- version (0025) moves on every other update of a case, not on this one
-- (PostgreSQL fills the column by its default, with no update at all).
DROP TRIGGER data_version_case_update;
CREATE TRIGGER data_version_case_update AFTER UPDATE ON cases
WHEN OLD.uuid IS NOT NULL
BEGIN UPDATE data_version SET n = n + 1; END;

UPDATE cases SET uuid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
    || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
WHERE uuid IS NULL;

CREATE UNIQUE INDEX cases_uuid ON cases (uuid);

CREATE TRIGGER cases_uuid_fill AFTER INSERT ON cases WHEN NEW.uuid IS NULL
BEGIN
    UPDATE cases SET uuid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
        || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id;
END;

CREATE TRIGGER cases_uuid_kept BEFORE UPDATE OF uuid ON cases WHEN NEW.uuid IS NULL
BEGIN
    SELECT RAISE(ABORT, 'cases.uuid may not be emptied');
END;

-- A history entry that came in an exchange file names who made it at the
-- installation it came from: no user of this one (`user_id` stays NULL).
ALTER TABLE audit_log ADD COLUMN actor_name TEXT;
