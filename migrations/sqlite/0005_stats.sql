-- Statistics and search at national scale (a million cases).
--
-- 1. `stats_monthly`: case counts and sums per month, kept exact by
--    triggers on `cases` and `case_mediators`, so every write path (the
--    forms, the workflow, imports, the demo) keeps it in step inside its own
--    transaction without knowing it exists. The dashboard reads it for whole
--    months with no filter; filtered or partial-month statistics read
--    `cases` directly (src/store/stats.rs), and tests check both agree.
-- 2. `case_search`: an FTS5 trigram index over case number, project,
--    summary and party names, for substring search of three or more
--    characters (shorter queries fall back to LIKE).
-- 3. Indexes for the overdue list and the case list's common filters.

-- One row per (dimension, code, month, status). `dim` is `all` (code ''),
-- `category`, `source`, `district` or `mediator` (code = mediator id).
-- A case adds to two months: the month it was received (received, claimed)
-- and the month it was accepted (accepted, agreed, closed, close_days,
-- fulfilled). `status` is the case's current status.
CREATE TABLE stats_monthly (
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
    PRIMARY KEY (dim, code, month, status)
) STRICT, WITHOUT ROWID;

-- The triggers below add a case's two parts with sign +1 (new values) or
-- -1 (old values). A case's dimensions are its category, source, district,
-- every assigned mediator, and `all`.

CREATE TRIGGER stats_case_insert AFTER INSERT ON cases
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

CREATE TRIGGER stats_case_update AFTER UPDATE OF received_on, accepted_on, status, category, source, district,
    amount_claimed, amount_agreed, closed_on, fulfilment ON cases
BEGIN
    INSERT INTO stats_monthly (dim, code, month, status, received, claimed)
    SELECT d.dim, d.code, substr(OLD.received_on, 1, 7), OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE true
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT d.dim, d.code, substr(OLD.accepted_on, 1, 7), OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
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

-- BEFORE, so the case's mediators are still there to be subtracted; the
-- cascade that then deletes them finds no case and subtracts nothing.
CREATE TRIGGER stats_case_delete BEFORE DELETE ON cases
BEGIN
    INSERT INTO stats_monthly (dim, code, month, status, received, claimed)
    SELECT d.dim, d.code, substr(OLD.received_on, 1, 7), OLD.status, -1, -OLD.amount_claimed
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE true
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT d.dim, d.code, substr(OLD.accepted_on, 1, 7), OLD.status, -1, -coalesce(OLD.amount_agreed, 0),
           -(OLD.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(OLD.closed_on) - julianday(OLD.accepted_on) AS INTEGER), 0),
           -(OLD.fulfilment IS 'fulfilled')
    FROM (SELECT 'all' AS dim, '' AS code UNION ALL SELECT 'category', OLD.category
          UNION ALL SELECT 'source', OLD.source UNION ALL SELECT 'district', OLD.district
          UNION ALL SELECT 'mediator', CAST(mediator_id AS TEXT) FROM case_mediators WHERE case_id = OLD.id) d
    WHERE OLD.accepted_on IS NOT NULL
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

CREATE TRIGGER stats_mediator_insert AFTER INSERT ON case_mediators
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

CREATE TRIGGER stats_mediator_delete AFTER DELETE ON case_mediators
BEGIN
    INSERT INTO stats_monthly (dim, code, month, status, received, claimed)
    SELECT 'mediator', CAST(OLD.mediator_id AS TEXT), substr(c.received_on, 1, 7), c.status, -1, -c.amount_claimed
    FROM cases c WHERE c.id = OLD.case_id
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        received = received + excluded.received, claimed = claimed + excluded.claimed;
    INSERT INTO stats_monthly (dim, code, month, status, accepted, agreed, closed, close_days, fulfilled)
    SELECT 'mediator', CAST(OLD.mediator_id AS TEXT), substr(c.accepted_on, 1, 7), c.status, -1,
           -coalesce(c.amount_agreed, 0), -(c.closed_on IS NOT NULL),
           -coalesce(CAST(julianday(c.closed_on) - julianday(c.accepted_on) AS INTEGER), 0),
           -(c.fulfilment IS 'fulfilled')
    FROM cases c WHERE c.id = OLD.case_id AND c.accepted_on IS NOT NULL
    ON CONFLICT (dim, code, month, status) DO UPDATE SET
        accepted = accepted + excluded.accepted, agreed = agreed + excluded.agreed,
        closed = closed + excluded.closed, close_days = close_days + excluded.close_days,
        fulfilled = fulfilled + excluded.fulfilled;
END;

-- Substring search. A regular (not contentless) FTS5 table, so the sqlite3
-- shells of older distributions can still open the file. Party names are
-- joined with U+001F so a query cannot match across two names.
CREATE VIRTUAL TABLE case_search USING fts5(case_no, project, summary, parties, tokenize = 'trigram');

CREATE TRIGGER search_case_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_search (rowid, case_no, project, summary, parties)
    VALUES (NEW.id, NEW.case_no, NEW.project, NEW.summary,
            (SELECT group_concat(name, char(31)) FROM parties WHERE case_id = NEW.id));
END;

CREATE TRIGGER search_case_update AFTER UPDATE OF case_no, project, summary ON cases
BEGIN
    UPDATE case_search SET case_no = NEW.case_no, project = NEW.project, summary = NEW.summary
    WHERE rowid = NEW.id;
END;

CREATE TRIGGER search_case_delete AFTER DELETE ON cases
BEGIN
    DELETE FROM case_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER search_party_insert AFTER INSERT ON parties
BEGIN
    UPDATE case_search SET parties = (SELECT group_concat(name, char(31)) FROM parties WHERE case_id = NEW.case_id)
    WHERE rowid = NEW.case_id;
END;

CREATE TRIGGER search_party_update AFTER UPDATE OF name, case_id ON parties
BEGIN
    UPDATE case_search SET parties = (SELECT group_concat(name, char(31)) FROM parties WHERE case_id = OLD.case_id)
    WHERE rowid = OLD.case_id;
    UPDATE case_search SET parties = (SELECT group_concat(name, char(31)) FROM parties WHERE case_id = NEW.case_id)
    WHERE rowid = NEW.case_id;
END;

CREATE TRIGGER search_party_delete AFTER DELETE ON parties
BEGIN
    UPDATE case_search SET parties = (SELECT group_concat(name, char(31)) FROM parties WHERE case_id = OLD.case_id)
    WHERE rowid = OLD.case_id;
END;

-- The overdue list: in mediation, oldest acceptance first.
CREATE INDEX cases_status_accepted ON cases (status, accepted_on);
-- The case list filtered by category and district, newest first.
CREATE INDEX cases_category_district ON cases (category, district, received_on);
