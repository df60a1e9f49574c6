-- "Needs follow-up" within one committee (issue 15; SQLite's 0032).
CREATE INDEX IF NOT EXISTS cases_follow_up_committee ON cases (committee_id, status, performance_due, id)
    WHERE status = 'settled' AND archived_on IS NULL AND COALESCE(fulfilment, '') <> 'fulfilled';
