-- The summary by year (issue 12). "All years" and a calendar year summed
-- every month of `stats_monthly` (180,000 mediator rows at a million
-- cases, 51 ms a read of the dashboard); they now read a row a year.
-- `stats_yearly` is `stats_monthly` grouped by the year of its month, kept
-- so by triggers on `stats_monthly` itself: every path that writes the
-- monthly rows (the per-case triggers, the bulk upserts, the packets of
-- reported committees, `accord copy`) keeps the yearly ones with it.

-- committee_id 0: the whole installation.
CREATE TABLE stats_yearly (
    committee_id INTEGER NOT NULL,
    dim        TEXT NOT NULL,
    code       TEXT NOT NULL,
    year       TEXT NOT NULL,            -- YYYY
    status     TEXT NOT NULL,
    received   INTEGER NOT NULL DEFAULT 0,
    claimed    INTEGER NOT NULL DEFAULT 0, -- fen
    accepted   INTEGER NOT NULL DEFAULT 0,
    agreed     INTEGER NOT NULL DEFAULT 0, -- fen
    closed     INTEGER NOT NULL DEFAULT 0,
    close_days INTEGER NOT NULL DEFAULT 0,
    fulfilled  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, dim, code, year, status)
) STRICT, WITHOUT ROWID;

INSERT INTO stats_yearly (committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
    close_days, fulfilled)
SELECT committee_id, dim, code, substr(month, 1, 4), status, SUM(received), SUM(claimed), SUM(accepted),
    SUM(agreed), SUM(closed), SUM(close_days), SUM(fulfilled)
FROM stats_monthly
GROUP BY committee_id, dim, code, substr(month, 1, 4), status;

CREATE TRIGGER stats_yearly_insert AFTER INSERT ON stats_monthly
BEGIN
    INSERT INTO stats_yearly (committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
        close_days, fulfilled)
    VALUES (NEW.committee_id, NEW.dim, NEW.code, substr(NEW.month, 1, 4), NEW.status, NEW.received, NEW.claimed,
        NEW.accepted, NEW.agreed, NEW.closed, NEW.close_days, NEW.fulfilled)
    ON CONFLICT (committee_id, dim, code, year, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed,
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

-- The sums of a row change (every upsert of the summary): add the
-- difference, one statement.
CREATE TRIGGER stats_yearly_update AFTER UPDATE ON stats_monthly
WHEN NEW.committee_id = OLD.committee_id AND NEW.dim = OLD.dim AND NEW.code = OLD.code
    AND substr(NEW.month, 1, 4) = substr(OLD.month, 1, 4) AND NEW.status = OLD.status
BEGIN
    INSERT INTO stats_yearly (committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
        close_days, fulfilled)
    VALUES (NEW.committee_id, NEW.dim, NEW.code, substr(NEW.month, 1, 4), NEW.status,
        NEW.received - OLD.received, NEW.claimed - OLD.claimed, NEW.accepted - OLD.accepted,
        NEW.agreed - OLD.agreed, NEW.closed - OLD.closed, NEW.close_days - OLD.close_days,
        NEW.fulfilled - OLD.fulfilled)
    ON CONFLICT (committee_id, dim, code, year, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed,
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

-- A row's key changes (nothing does so today): the old row out of its
-- year, the new one into its own.
CREATE TRIGGER stats_yearly_rekey AFTER UPDATE ON stats_monthly
WHEN NOT (NEW.committee_id = OLD.committee_id AND NEW.dim = OLD.dim AND NEW.code = OLD.code
    AND substr(NEW.month, 1, 4) = substr(OLD.month, 1, 4) AND NEW.status = OLD.status)
BEGIN
    INSERT INTO stats_yearly (committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
        close_days, fulfilled)
    VALUES (OLD.committee_id, OLD.dim, OLD.code, substr(OLD.month, 1, 4), OLD.status, -OLD.received, -OLD.claimed,
        -OLD.accepted, -OLD.agreed, -OLD.closed, -OLD.close_days, -OLD.fulfilled)
    ON CONFLICT (committee_id, dim, code, year, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed,
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
    INSERT INTO stats_yearly (committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
        close_days, fulfilled)
    VALUES (NEW.committee_id, NEW.dim, NEW.code, substr(NEW.month, 1, 4), NEW.status, NEW.received, NEW.claimed,
        NEW.accepted, NEW.agreed, NEW.closed, NEW.close_days, NEW.fulfilled)
    ON CONFLICT (committee_id, dim, code, year, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed,
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_yearly_delete AFTER DELETE ON stats_monthly
BEGIN
    INSERT INTO stats_yearly (committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
        close_days, fulfilled)
    VALUES (OLD.committee_id, OLD.dim, OLD.code, substr(OLD.month, 1, 4), OLD.status, -OLD.received, -OLD.claimed,
        -OLD.accepted, -OLD.agreed, -OLD.closed, -OLD.close_days, -OLD.fulfilled)
    ON CONFLICT (committee_id, dim, code, year, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed,
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;
