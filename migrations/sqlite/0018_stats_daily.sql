-- Statistics of any period and filter at a million cases (issue 12).
--
-- 1. `stats_daily`: the summary of `stats_monthly` (migration 0005) by day.
--    A period reads whole months from `stats_monthly` and the days of the
--    partial months at its edges from here, so a range not aligned to
--    months costs at most two months of day rows, never a scan of `cases`.
--    Kept exact by the same kind of triggers; bulk writes (migration 0014)
--    fill it with `store::stats::add_deferred` instead.
-- 2. `party_type_usage`: how many parties have each party type, for the
--    reference lists page (the other lists' counts come from the summary).
-- 3. `cases_created_by`: a mediator's own statistics start from their cases
--    (assigned or registered by them) instead of walking every case.

-- Ordered by day before code, so a range of days is one range of the key.
CREATE TABLE stats_daily (
    dim        TEXT NOT NULL,
    day        TEXT NOT NULL,            -- YYYY-MM-DD
    code       TEXT NOT NULL,
    status     TEXT NOT NULL,
    received   INTEGER NOT NULL DEFAULT 0,
    claimed    INTEGER NOT NULL DEFAULT 0, -- fen
    accepted   INTEGER NOT NULL DEFAULT 0,
    agreed     INTEGER NOT NULL DEFAULT 0, -- fen
    closed     INTEGER NOT NULL DEFAULT 0,
    close_days INTEGER NOT NULL DEFAULT 0,
    fulfilled  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, day, code, status)
) STRICT, WITHOUT ROWID;

-- The cases already on record, the way store::stats::add_deferred adds them.
INSERT INTO stats_daily (dim, day, code, status, received, claimed, accepted, agreed, closed, close_days, fulfilled)
WITH c AS MATERIALIZED (
    SELECT id, category, source, district, status, received_on AS rd, accepted_on AS ad,
        amount_claimed AS claimed, coalesce(amount_agreed, 0) AS agreed, closed_on IS NOT NULL AS closed,
        coalesce(CAST(julianday(closed_on) - julianday(accepted_on) AS INTEGER), 0) AS close_days,
        fulfilment IS 'fulfilled' AS fulfilled
    FROM cases
), g AS (
    SELECT 'all' AS dim, '' AS code, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT 'category', category, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT 'source', source, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT 'district', district, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL
    SELECT 'mediator', CAST(m.mediator_id AS TEXT), c.rd, c.ad, c.status, c.claimed, c.agreed, c.closed,
        c.close_days, c.fulfilled
    FROM case_mediators m JOIN c ON c.id = m.case_id
)
SELECT dim, day, code, status, SUM(received), SUM(claimed), SUM(accepted), SUM(agreed), SUM(closed),
    SUM(close_days), SUM(fulfilled)
FROM (
    SELECT dim, code, rd AS day, status, 1 AS received, claimed, 0 AS accepted, 0 AS agreed, 0 AS closed,
        0 AS close_days, 0 AS fulfilled
    FROM g
    UNION ALL
    SELECT dim, code, ad, status, 0, 0, 1, agreed, closed, close_days, fulfilled FROM g WHERE ad IS NOT NULL
)
GROUP BY dim, day, code, status;

-- The triggers of 0005 and 0014 over again, by day instead of by month.
CREATE TRIGGER stats_daily_case_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_daily (dim, code, day, status, received, claimed)
    SELECT d.dim, d.code, NEW.received_on, NEW.status, 1, NEW.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d
    WHERE true
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT d.dim, d.code, NEW.accepted_on, NEW.status, 1, coalesce(NEW.amount_agreed, 0),
           NEW.closed_on IS NOT NULL,
           coalesce(CAST(julianday(NEW.closed_on) - julianday(NEW.accepted_on) AS INTEGER), 0),
           NEW.fulfilment IS 'fulfilled'
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d
    WHERE NEW.accepted_on IS NOT NULL
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_case_update AFTER UPDATE OF received_on, accepted_on, status, category, source, district,
    amount_claimed, amount_agreed, closed_on, fulfilment ON cases
BEGIN
    INSERT INTO stats_daily (dim, code, day, status, received, claimed)
    SELECT d.dim, d.code, OLD.received_on, OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE true
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT d.dim, d.code, OLD.accepted_on, OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
    INSERT INTO stats_daily (dim, code, day, status, received, claimed)
    SELECT d.dim, d.code, NEW.received_on, NEW.status, 1, NEW.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d
    WHERE true
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT d.dim, d.code, NEW.accepted_on, NEW.status, 1, coalesce(NEW.amount_agreed, 0),
           NEW.closed_on IS NOT NULL,
           coalesce(CAST(julianday(NEW.closed_on) - julianday(NEW.accepted_on) AS INTEGER), 0),
           NEW.fulfilment IS 'fulfilled'
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d
    WHERE NEW.accepted_on IS NOT NULL
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_case_delete BEFORE DELETE ON cases
BEGIN
    INSERT INTO stats_daily (dim, code, day, status, received, claimed)
    SELECT d.dim, d.code, OLD.received_on, OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE true
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT d.dim, d.code, OLD.accepted_on, OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_mediator_insert AFTER INSERT ON case_mediators
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_daily (dim, code, day, status, received, claimed)
    SELECT 'mediator', CAST(NEW.mediator_id AS TEXT), c.received_on, c.status, 1, c.amount_claimed
    FROM cases c WHERE c.id = NEW.case_id
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT 'mediator', CAST(NEW.mediator_id AS TEXT), c.accepted_on, c.status, 1,
           coalesce(c.amount_agreed, 0), c.closed_on IS NOT NULL,
           coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           c.fulfilment IS 'fulfilled'
    FROM cases c WHERE c.id = NEW.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_mediator_delete AFTER DELETE ON case_mediators
BEGIN
    INSERT INTO stats_daily (dim, code, day, status, received, claimed)
    SELECT 'mediator', CAST(OLD.mediator_id AS TEXT), c.received_on, c.status, -1, -c.amount_claimed
    FROM cases c WHERE c.id = OLD.case_id
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT 'mediator', CAST(OLD.mediator_id AS TEXT), c.accepted_on, c.status, -1,
           -coalesce(c.amount_agreed, 0), -(c.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           -(c.fulfilment IS 'fulfilled')
    FROM cases c WHERE c.id = OLD.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (dim, day, code, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TABLE party_type_usage (
    code    TEXT PRIMARY KEY,
    parties INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

INSERT INTO party_type_usage (code, parties) SELECT party_type, COUNT(*) FROM parties GROUP BY party_type;

CREATE TRIGGER party_type_usage_insert AFTER INSERT ON parties
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO party_type_usage (code, parties) VALUES (NEW.party_type, 1)
    ON CONFLICT (code) DO UPDATE SET parties = parties + 1;
END;

CREATE TRIGGER party_type_usage_update AFTER UPDATE OF party_type ON parties
BEGIN
    UPDATE party_type_usage SET parties = parties - 1 WHERE code = OLD.party_type;
    INSERT INTO party_type_usage (code, parties) VALUES (NEW.party_type, 1)
    ON CONFLICT (code) DO UPDATE SET parties = parties + 1;
END;

CREATE TRIGGER party_type_usage_delete AFTER DELETE ON parties
BEGIN
    UPDATE party_type_usage SET parties = parties - 1 WHERE code = OLD.party_type;
END;

CREATE INDEX IF NOT EXISTS cases_created_by ON cases (created_by);
