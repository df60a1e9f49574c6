-- SQLite's 0038: the summary by year (issue 12), `stats_monthly` grouped by
-- the year of its month, kept so by a trigger on `stats_monthly` itself, so
-- every path that writes the monthly rows keeps the yearly ones with it.

-- committee_id 0: the whole installation.
CREATE TABLE stats_yearly (
    committee_id BIGINT NOT NULL,
    dim        TEXT NOT NULL,
    code       TEXT NOT NULL,
    year       TEXT NOT NULL,            -- YYYY
    status     TEXT NOT NULL,
    received   BIGINT NOT NULL DEFAULT 0,
    claimed    BIGINT NOT NULL DEFAULT 0, -- fen
    accepted   BIGINT NOT NULL DEFAULT 0,
    agreed     BIGINT NOT NULL DEFAULT 0, -- fen
    closed     BIGINT NOT NULL DEFAULT 0,
    close_days BIGINT NOT NULL DEFAULT 0,
    fulfilled  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, dim, code, year, status)
);

INSERT INTO stats_yearly (committee_id, dim, code, year, status, received, claimed, accepted, agreed, closed,
    close_days, fulfilled)
SELECT committee_id, dim, code, left(month, 4), status, SUM(received), SUM(claimed), SUM(accepted),
    SUM(agreed), SUM(closed), SUM(close_days), SUM(fulfilled)
FROM stats_monthly
GROUP BY committee_id, dim, code, left(month, 4), status;

-- Adds `sgn` times a monthly row's sums to its year.
CREATE FUNCTION stats_yearly_add(k stats_monthly, sgn BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO stats_yearly AS s (committee_id, dim, code, year, status, received, claimed, accepted, agreed,
        closed, close_days, fulfilled)
    VALUES (k.committee_id, k.dim, k.code, left(k.month, 4), k.status, sgn * k.received, sgn * k.claimed,
        sgn * k.accepted, sgn * k.agreed, sgn * k.closed, sgn * k.close_days, sgn * k.fulfilled)
    ON CONFLICT (committee_id, dim, code, year, status) DO UPDATE SET
        received = s.received + excluded.received, claimed = s.claimed + excluded.claimed,
        accepted = s.accepted + excluded.accepted, agreed = s.agreed + excluded.agreed,
        closed = s.closed + excluded.closed, close_days = s.close_days + excluded.close_days,
        fulfilled = s.fulfilled + excluded.fulfilled;
$$;

-- After insert: add NEW; after delete: subtract OLD; after update: add the
-- difference in one statement when the row stays in its year (every upsert
-- of the summary), else move it.
CREATE FUNCTION stats_yearly_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta stats_monthly;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.committee_id, NEW.dim, NEW.code, left(NEW.month, 4), NEW.status)
        = (OLD.committee_id, OLD.dim, OLD.code, left(OLD.month, 4), OLD.status) THEN
        delta := NEW;
        delta.received := NEW.received - OLD.received;
        delta.claimed := NEW.claimed - OLD.claimed;
        delta.accepted := NEW.accepted - OLD.accepted;
        delta.agreed := NEW.agreed - OLD.agreed;
        delta.closed := NEW.closed - OLD.closed;
        delta.close_days := NEW.close_days - OLD.close_days;
        delta.fulfilled := NEW.fulfilled - OLD.fulfilled;
        PERFORM stats_yearly_add(delta, 1);
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM stats_yearly_add(OLD, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM stats_yearly_add(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER stats_yearly_row AFTER INSERT OR UPDATE OR DELETE ON stats_monthly
    FOR EACH ROW EXECUTE FUNCTION stats_yearly_row();
