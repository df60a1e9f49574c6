-- Bulk writes (the CSV import) add their cases to `stats_monthly` once,
-- with one grouped statement (store::stats::defer / add_deferred), instead
-- of two upserts per case and per mediator link through the triggers.
--
-- `stats_deferred` holds a row only inside such a write's own transaction:
-- the writer inserts it, writes, adds the new cases to the summary, and
-- deletes it before committing (a rollback removes it too). SQLite has one
-- writer, so no other transaction ever sees the row and every other write
-- path keeps the triggers. A regular table and not a TEMP one because a
-- trigger of the main schema may not name objects of `temp`.
CREATE TABLE stats_deferred (
    one INTEGER PRIMARY KEY CHECK (one = 1)
) STRICT;

-- The two insert triggers of 0005, unchanged but for their WHEN clause.
DROP TRIGGER IF EXISTS stats_case_insert;
DROP TRIGGER IF EXISTS stats_mediator_insert;

CREATE TRIGGER stats_case_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_monthly (dim, code, month, status, received, claimed)
    SELECT d.dim, d.code, substr(NEW.received_on, 1, 7), NEW.status, 1, NEW.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d
    WHERE true
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT d.dim, d.code, substr(NEW.accepted_on, 1, 7), NEW.status, 1, coalesce(NEW.amount_agreed, 0),
           NEW.closed_on IS NOT NULL,
           coalesce(CAST(julianday(NEW.closed_on) - julianday(NEW.accepted_on) AS INTEGER), 0),
           NEW.fulfilment IS 'fulfilled'
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d
    WHERE NEW.accepted_on IS NOT NULL
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_mediator_insert AFTER INSERT ON case_mediators
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_monthly (dim, code, month, status, received, claimed)
    SELECT 'mediator', CAST(NEW.mediator_id AS TEXT), substr(c.received_on, 1, 7), c.status, 1, c.amount_claimed
    FROM cases c WHERE c.id = NEW.case_id
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT 'mediator', CAST(NEW.mediator_id AS TEXT), substr(c.accepted_on, 1, 7), c.status, 1,
           coalesce(c.amount_agreed, 0), c.closed_on IS NOT NULL,
           coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           c.fulfilment IS 'fulfilled'
    FROM cases c WHERE c.id = NEW.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;
