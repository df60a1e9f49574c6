-- A bulk write (the demo, an import) adds thousands of grouped months to
-- `stats_monthly` and their years to `stats_yearly` itself, grouped
-- (store::stats::arrays); row by row through the trigger of 0018 that took
-- about 100 µs a month, 20 s of a million cases' demo. While the setting
-- `accord.yearly_aside` is 'on' (set for its transaction only) the trigger
-- leaves the years alone.
CREATE OR REPLACE FUNCTION stats_yearly_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta stats_monthly;
BEGIN
    IF current_setting('accord.yearly_aside', true) = 'on' THEN
        RETURN NULL;
    END IF;
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
