-- The summary by committee (issue 15). `stats_monthly` and `stats_daily`
-- (0005, 0014, 0018) gain `committee_id` as the first column of their key:
-- a committee's secretary reads their committee's rows, a supervisor those
-- of the committees under their association, and committee 0 holds the
-- whole installation's, so its figures stay one range of the key, as fast
-- as before. Every trigger adds a change to the case's committee and to 0.
-- The update triggers list `committee_id`, so a case moved to another
-- committee (transfer) moves its counts: counted once, where it ends up.
--
-- The tables are rebuilt from the cases, the way store::stats::add_deferred
-- adds them, and the triggers of 0005/0014/0018 made again over the new key.

DROP TRIGGER IF EXISTS stats_case_insert;
DROP TRIGGER IF EXISTS stats_case_update;
DROP TRIGGER IF EXISTS stats_case_delete;
DROP TRIGGER IF EXISTS stats_mediator_insert;
DROP TRIGGER IF EXISTS stats_mediator_delete;
DROP TRIGGER IF EXISTS stats_daily_case_insert;
DROP TRIGGER IF EXISTS stats_daily_case_update;
DROP TRIGGER IF EXISTS stats_daily_case_delete;
DROP TRIGGER IF EXISTS stats_daily_mediator_insert;
DROP TRIGGER IF EXISTS stats_daily_mediator_delete;
DROP TABLE stats_monthly;
DROP TABLE stats_daily;

-- committee_id 0: the whole installation.
CREATE TABLE stats_monthly (
    committee_id INTEGER NOT NULL,
    dim        TEXT NOT NULL,
    code       TEXT NOT NULL,
    month      TEXT NOT NULL,            -- YYYY-MM
    status     TEXT NOT NULL,
    received   INTEGER NOT NULL DEFAULT 0,
    claimed    INTEGER NOT NULL DEFAULT 0, -- fen
    accepted   INTEGER NOT NULL DEFAULT 0,
    agreed     INTEGER NOT NULL DEFAULT 0, -- fen
    closed     INTEGER NOT NULL DEFAULT 0,
    close_days INTEGER NOT NULL DEFAULT 0,
    fulfilled  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, dim, code, month, status)
) STRICT, WITHOUT ROWID;

INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed, accepted, agreed, closed, close_days, fulfilled)
WITH c AS MATERIALIZED (
    SELECT id, committee_id, category, source, district, status, substr(received_on, 1, 7) AS rd, substr(accepted_on, 1, 7) AS ad,
        amount_claimed AS claimed, coalesce(amount_agreed, 0) AS agreed, closed_on IS NOT NULL AS closed,
        coalesce(CAST(julianday(closed_on) - julianday(accepted_on) AS INTEGER), 0) AS close_days,
        fulfilment IS 'fulfilled' AS fulfilled
    FROM cases
), g AS (
    SELECT committee_id AS k, 'all' AS dim, '' AS code, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT committee_id, 'category', category, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT committee_id, 'source', source, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT committee_id, 'district', district, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL
    SELECT c.committee_id, 'mediator', CAST(m.mediator_id AS TEXT), c.rd, c.ad, c.status, c.claimed, c.agreed, c.closed,
        c.close_days, c.fulfilled
    FROM case_mediators m JOIN c ON c.id = m.case_id
), both_ AS (
    SELECT k, dim, code, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM g
    UNION ALL SELECT 0, dim, code, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM g
)
SELECT k, dim, code, month, status, SUM(received), SUM(claimed), SUM(accepted), SUM(agreed), SUM(closed),
    SUM(close_days), SUM(fulfilled)
FROM (
    SELECT k, dim, code, rd AS month, status, 1 AS received, claimed, 0 AS accepted, 0 AS agreed, 0 AS closed,
        0 AS close_days, 0 AS fulfilled
    FROM both_
    UNION ALL
    SELECT k, dim, code, ad, status, 0, 0, 1, agreed, closed, close_days, fulfilled FROM both_ WHERE ad IS NOT NULL
)
GROUP BY k, dim, code, month, status;

-- committee_id 0: the whole installation.
CREATE TABLE stats_daily (
    committee_id INTEGER NOT NULL,
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
    PRIMARY KEY (committee_id, dim, day, code, status)
) STRICT, WITHOUT ROWID;

INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed, accepted, agreed, closed, close_days, fulfilled)
WITH c AS MATERIALIZED (
    SELECT id, committee_id, category, source, district, status, received_on AS rd, accepted_on AS ad,
        amount_claimed AS claimed, coalesce(amount_agreed, 0) AS agreed, closed_on IS NOT NULL AS closed,
        coalesce(CAST(julianday(closed_on) - julianday(accepted_on) AS INTEGER), 0) AS close_days,
        fulfilment IS 'fulfilled' AS fulfilled
    FROM cases
), g AS (
    SELECT committee_id AS k, 'all' AS dim, '' AS code, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT committee_id, 'category', category, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT committee_id, 'source', source, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL SELECT committee_id, 'district', district, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM c
    UNION ALL
    SELECT c.committee_id, 'mediator', CAST(m.mediator_id AS TEXT), c.rd, c.ad, c.status, c.claimed, c.agreed, c.closed,
        c.close_days, c.fulfilled
    FROM case_mediators m JOIN c ON c.id = m.case_id
), both_ AS (
    SELECT k, dim, code, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM g
    UNION ALL SELECT 0, dim, code, rd, ad, status, claimed, agreed, closed, close_days, fulfilled FROM g
)
SELECT k, dim, code, day, status, SUM(received), SUM(claimed), SUM(accepted), SUM(agreed), SUM(closed),
    SUM(close_days), SUM(fulfilled)
FROM (
    SELECT k, dim, code, rd AS day, status, 1 AS received, claimed, 0 AS accepted, 0 AS agreed, 0 AS closed,
        0 AS close_days, 0 AS fulfilled
    FROM both_
    UNION ALL
    SELECT k, dim, code, ad, status, 0, 0, 1, agreed, closed, close_days, fulfilled FROM both_ WHERE ad IS NOT NULL
)
GROUP BY k, dim, code, day, status;

CREATE TRIGGER stats_case_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed)
    SELECT w.k, d.dim, d.code, substr(NEW.received_on, 1, 7), NEW.status, 1, NEW.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, substr(NEW.accepted_on, 1, 7), NEW.status, 1, coalesce(NEW.amount_agreed, 0),
           NEW.closed_on IS NOT NULL,
           coalesce(CAST(julianday(NEW.closed_on) - julianday(NEW.accepted_on) AS INTEGER), 0),
           NEW.fulfilment IS 'fulfilled'
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE NEW.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_case_update AFTER UPDATE OF received_on, accepted_on, status, category, source, district, committee_id,
    amount_claimed, amount_agreed, closed_on, fulfilment ON cases
BEGIN
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed)
    SELECT w.k, d.dim, d.code, substr(OLD.received_on, 1, 7), OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, substr(OLD.accepted_on, 1, 7), OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed)
    SELECT w.k, d.dim, d.code, substr(NEW.received_on, 1, 7), NEW.status, 1, NEW.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, substr(NEW.accepted_on, 1, 7), NEW.status, 1, coalesce(NEW.amount_agreed, 0),
           NEW.closed_on IS NOT NULL,
           coalesce(CAST(julianday(NEW.closed_on) - julianday(NEW.accepted_on) AS INTEGER), 0),
           NEW.fulfilment IS 'fulfilled'
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE NEW.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

-- BEFORE, so the case's mediators are still there to be subtracted.
CREATE TRIGGER stats_case_delete BEFORE DELETE ON cases
BEGIN
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed)
    SELECT w.k, d.dim, d.code, substr(OLD.received_on, 1, 7), OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, substr(OLD.accepted_on, 1, 7), OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_mediator_insert AFTER INSERT ON case_mediators
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed)
    SELECT c.committee_id * w.z, 'mediator', CAST(NEW.mediator_id AS TEXT), substr(c.received_on, 1, 7), c.status, 1, c.amount_claimed
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = NEW.case_id
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT c.committee_id * w.z, 'mediator', CAST(NEW.mediator_id AS TEXT), substr(c.accepted_on, 1, 7), c.status, 1,
           coalesce(c.amount_agreed, 0), c.closed_on IS NOT NULL,
           coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           c.fulfilment IS 'fulfilled'
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = NEW.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_mediator_delete AFTER DELETE ON case_mediators
BEGIN
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed)
    SELECT c.committee_id * w.z, 'mediator', CAST(OLD.mediator_id AS TEXT), substr(c.received_on, 1, 7), c.status, -1, -c.amount_claimed
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = OLD.case_id
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (committee_id, dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT c.committee_id * w.z, 'mediator', CAST(OLD.mediator_id AS TEXT), substr(c.accepted_on, 1, 7), c.status, -1,
           -coalesce(c.amount_agreed, 0), -(c.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           -(c.fulfilment IS 'fulfilled')
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = OLD.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_case_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed)
    SELECT w.k, d.dim, d.code, NEW.received_on, NEW.status, 1, NEW.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (committee_id, dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, NEW.accepted_on, NEW.status, 1, coalesce(NEW.amount_agreed, 0),
           NEW.closed_on IS NOT NULL,
           coalesce(CAST(julianday(NEW.closed_on) - julianday(NEW.accepted_on) AS INTEGER), 0),
           NEW.fulfilment IS 'fulfilled'
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE NEW.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_case_update AFTER UPDATE OF received_on, accepted_on, status, category, source, district, committee_id,
    amount_claimed, amount_agreed, closed_on, fulfilment ON cases
BEGIN
    INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed)
    SELECT w.k, d.dim, d.code, OLD.received_on, OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (committee_id, dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, OLD.accepted_on, OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
    INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed)
    SELECT w.k, d.dim, d.code, NEW.received_on, NEW.status, 1, NEW.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (committee_id, dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, NEW.accepted_on, NEW.status, 1, coalesce(NEW.amount_agreed, 0),
           NEW.closed_on IS NOT NULL,
           coalesce(CAST(julianday(NEW.closed_on) - julianday(NEW.accepted_on) AS INTEGER), 0),
           NEW.fulfilment IS 'fulfilled'
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', NEW.category
          UNION ALL SELECT 'source', NEW.source UNION ALL SELECT 'district', NEW.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = NEW.id) d,
         (SELECT NEW.committee_id AS k UNION ALL SELECT 0) w
    WHERE NEW.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

-- BEFORE, so the case's mediators are still there to be subtracted.
CREATE TRIGGER stats_daily_case_delete BEFORE DELETE ON cases
BEGIN
    INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed)
    SELECT w.k, d.dim, d.code, OLD.received_on, OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE true
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (committee_id, dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT w.k, d.dim, d.code, OLD.accepted_on, OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d,
         (SELECT OLD.committee_id AS k UNION ALL SELECT 0) w
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_mediator_insert AFTER INSERT ON case_mediators
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed)
    SELECT c.committee_id * w.z, 'mediator', CAST(NEW.mediator_id AS TEXT), c.received_on, c.status, 1, c.amount_claimed
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = NEW.case_id
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (committee_id, dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT c.committee_id * w.z, 'mediator', CAST(NEW.mediator_id AS TEXT), c.accepted_on, c.status, 1,
           coalesce(c.amount_agreed, 0), c.closed_on IS NOT NULL,
           coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           c.fulfilment IS 'fulfilled'
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = NEW.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_daily_mediator_delete AFTER DELETE ON case_mediators
BEGIN
    INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed)
    SELECT c.committee_id * w.z, 'mediator', CAST(OLD.mediator_id AS TEXT), c.received_on, c.status, -1, -c.amount_claimed
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = OLD.case_id
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_daily (committee_id, dim, code, day, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT c.committee_id * w.z, 'mediator', CAST(OLD.mediator_id AS TEXT), c.accepted_on, c.status, -1,
           -coalesce(c.amount_agreed, 0), -(c.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           -(c.fulfilment IS 'fulfilled')
    FROM cases c CROSS JOIN (SELECT 0 AS z UNION ALL SELECT 1) w WHERE c.id = OLD.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (committee_id, dim, code, day, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;
