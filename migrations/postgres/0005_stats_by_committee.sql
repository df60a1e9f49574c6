-- The summary by committee (issue 15; SQLite's 0027). `stats_monthly` and
-- `stats_daily` gain `committee_id` as the first column of their key:
-- a committee's secretary reads their committee's rows, a supervisor those
-- of the committees under their association, and committee 0 holds the
-- whole installation's, so its figures stay one range of the key. Every
-- change is added to the case's committee and to 0 (`stats_add`). The
-- update trigger lists `committee_id`, so a case moved to another
-- committee (transfer) moves its counts: counted once, where it ends up.

DROP TABLE stats_monthly;
DROP TABLE stats_daily;

-- committee_id 0: the whole installation.
CREATE TABLE stats_monthly (
    committee_id BIGINT NOT NULL,
    dim        TEXT NOT NULL,
    code       TEXT NOT NULL,
    month      TEXT NOT NULL,            -- YYYY-MM
    status     TEXT NOT NULL,
    received   BIGINT NOT NULL DEFAULT 0,
    claimed    BIGINT NOT NULL DEFAULT 0, -- fen
    accepted   BIGINT NOT NULL DEFAULT 0,
    agreed     BIGINT NOT NULL DEFAULT 0, -- fen
    closed     BIGINT NOT NULL DEFAULT 0,
    close_days BIGINT NOT NULL DEFAULT 0,
    fulfilled  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, dim, code, month, status)
);

CREATE TABLE stats_daily (
    committee_id BIGINT NOT NULL,
    dim        TEXT NOT NULL,
    day        TEXT NOT NULL,            -- YYYY-MM-DD
    code       TEXT NOT NULL,
    status     TEXT NOT NULL,
    received   BIGINT NOT NULL DEFAULT 0,
    claimed    BIGINT NOT NULL DEFAULT 0, -- fen
    accepted   BIGINT NOT NULL DEFAULT 0,
    agreed     BIGINT NOT NULL DEFAULT 0, -- fen
    closed     BIGINT NOT NULL DEFAULT 0,
    close_days BIGINT NOT NULL DEFAULT 0,
    fulfilled  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, dim, day, code, status)
);

-- A case's dimensions, each for its committee and for 0.
DROP FUNCTION stats_add(cases, BIGINT, BIGINT);
DROP FUNCTION stats_dims(cases, BIGINT);
CREATE FUNCTION stats_dims(k cases, mediator BIGINT) RETURNS TABLE (d_com BIGINT, d_dim TEXT, d_code TEXT)
LANGUAGE sql STABLE AS $$
    SELECT w.com, x.d, x.c FROM (
        SELECT v.d, v.c FROM (VALUES ('all', ''), ('category', k.category), ('source', k.source),
                                     ('district', k.district)) AS v (d, c)
        WHERE mediator IS NULL
        UNION ALL
        SELECT 'mediator', m.mediator_id::text FROM case_mediators m WHERE mediator IS NULL AND m.case_id = k.id
        UNION ALL
        SELECT 'mediator', mediator::text WHERE mediator IS NOT NULL
    ) AS x (d, c) CROSS JOIN (VALUES (k.committee_id), (0::BIGINT)) AS w (com)
$$;

CREATE FUNCTION stats_add(k cases, sgn BIGINT, mediator BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_monthly AS s (committee_id, dim, code, month, status, received, claimed)
    SELECT d_com, d_dim, d_code, to_char(k.received_on, 'YYYY-MM'), k.status, sgn, sgn * k.amount_claimed
    FROM stats_dims(k, mediator)
    ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
        received = s.received + excluded.received, claimed = s.claimed + excluded.claimed;
    INSERT INTO stats_daily AS s (committee_id, dim, code, day, status, received, claimed)
    SELECT d_com, d_dim, d_code, to_char(k.received_on, 'YYYY-MM-DD'), k.status, sgn, sgn * k.amount_claimed
    FROM stats_dims(k, mediator)
    ON CONFLICT (committee_id, dim, day, code, status) DO UPDATE SET
        received = s.received + excluded.received, claimed = s.claimed + excluded.claimed;

    IF k.accepted_on IS NOT NULL THEN
        INSERT INTO stats_monthly AS s (committee_id, dim, code, month, status, accepted, agreed, closed, close_days,
                                        fulfilled)
        SELECT d_com, d_dim, d_code, to_char(k.accepted_on, 'YYYY-MM'), k.status, sgn,
               sgn * coalesce(k.amount_agreed, 0),
               sgn * (k.closed_on IS NOT NULL)::int,
               sgn * coalesce(k.closed_on - k.accepted_on, 0),
               sgn * (k.fulfilment IS NOT DISTINCT FROM 'fulfilled')::int
        FROM stats_dims(k, mediator)
        ON CONFLICT (committee_id, dim, code, month, status) DO UPDATE SET
            accepted = s.accepted + excluded.accepted, agreed = s.agreed + excluded.agreed,
            closed = s.closed + excluded.closed, close_days = s.close_days + excluded.close_days,
            fulfilled = s.fulfilled + excluded.fulfilled;
        INSERT INTO stats_daily AS s (committee_id, dim, code, day, status, accepted, agreed, closed, close_days,
                                      fulfilled)
        SELECT d_com, d_dim, d_code, to_char(k.accepted_on, 'YYYY-MM-DD'), k.status, sgn,
               sgn * coalesce(k.amount_agreed, 0),
               sgn * (k.closed_on IS NOT NULL)::int,
               sgn * coalesce(k.closed_on - k.accepted_on, 0),
               sgn * (k.fulfilment IS NOT DISTINCT FROM 'fulfilled')::int
        FROM stats_dims(k, mediator)
        ON CONFLICT (committee_id, dim, day, code, status) DO UPDATE SET
            accepted = s.accepted + excluded.accepted, agreed = s.agreed + excluded.agreed,
            closed = s.closed + excluded.closed, close_days = s.close_days + excluded.close_days,
            fulfilled = s.fulfilled + excluded.fulfilled;
    END IF;
END;
$$;

DROP TRIGGER stats_case_update ON cases;
CREATE TRIGGER stats_case_update AFTER UPDATE OF received_on, accepted_on, status, category, source, district,
    committee_id, amount_claimed, amount_agreed, closed_on, fulfilment ON cases
    FOR EACH ROW EXECUTE FUNCTION stats_case_update();

-- The cases on record, the way store::stats::add_deferred adds them.
INSERT INTO stats_monthly (committee_id, dim, code, month, status, received, claimed, accepted, agreed, closed,
                           close_days, fulfilled)
SELECT d_com, d_dim, d_code, m, status, SUM(r), SUM(claimed), SUM(a), SUM(agreed), SUM(closed), SUM(close_days),
    SUM(fulfilled)
FROM (
    SELECT d.d_com, d.d_dim, d.d_code, to_char(k.received_on, 'YYYY-MM') AS m, k.status, 1 AS r,
        k.amount_claimed AS claimed, 0 AS a, 0 AS agreed, 0 AS closed, 0 AS close_days, 0 AS fulfilled
    FROM cases k CROSS JOIN LATERAL stats_dims(k, NULL) d
    UNION ALL
    SELECT d.d_com, d.d_dim, d.d_code, to_char(k.accepted_on, 'YYYY-MM'), k.status, 0, 0, 1,
        coalesce(k.amount_agreed, 0), (k.closed_on IS NOT NULL)::int, coalesce(k.closed_on - k.accepted_on, 0),
        (k.fulfilment IS NOT DISTINCT FROM 'fulfilled')::int
    FROM cases k CROSS JOIN LATERAL stats_dims(k, NULL) d WHERE k.accepted_on IS NOT NULL
) AS parts
GROUP BY d_com, d_dim, d_code, m, status;

INSERT INTO stats_daily (committee_id, dim, code, day, status, received, claimed, accepted, agreed, closed,
                         close_days, fulfilled)
SELECT d_com, d_dim, d_code, m, status, SUM(r), SUM(claimed), SUM(a), SUM(agreed), SUM(closed), SUM(close_days),
    SUM(fulfilled)
FROM (
    SELECT d.d_com, d.d_dim, d.d_code, to_char(k.received_on, 'YYYY-MM-DD') AS m, k.status, 1 AS r,
        k.amount_claimed AS claimed, 0 AS a, 0 AS agreed, 0 AS closed, 0 AS close_days, 0 AS fulfilled
    FROM cases k CROSS JOIN LATERAL stats_dims(k, NULL) d
    UNION ALL
    SELECT d.d_com, d.d_dim, d.d_code, to_char(k.accepted_on, 'YYYY-MM-DD'), k.status, 0, 0, 1,
        coalesce(k.amount_agreed, 0), (k.closed_on IS NOT NULL)::int, coalesce(k.closed_on - k.accepted_on, 0),
        (k.fulfilment IS NOT DISTINCT FROM 'fulfilled')::int
    FROM cases k CROSS JOIN LATERAL stats_dims(k, NULL) d WHERE k.accepted_on IS NOT NULL
) AS parts
GROUP BY d_com, d_dim, d_code, m, status;
