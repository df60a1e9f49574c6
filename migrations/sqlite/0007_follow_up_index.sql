-- "Needs follow-up" (settled, past performance_due, not fulfilled, not
-- archived) as a partial index: at national scale most settled cases are
-- fulfilled, and counting the rest by (status, performance_due) read every
-- settled case. The WHERE clause matches store::cases::list's flag filter
-- term for term, which SQLite requires to use a partial index.
DROP INDEX IF EXISTS cases_performance_due;
CREATE INDEX IF NOT EXISTS cases_follow_up ON cases (performance_due)
    WHERE status = 'settled' AND archived_on IS NULL AND COALESCE(fulfilment, '') <> 'fulfilled';
