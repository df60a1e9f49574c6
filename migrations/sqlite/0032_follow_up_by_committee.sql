-- "Needs follow-up" within one committee (issue 15). On an installation of
-- many committees, `cases_follow_up_due` (0019) holds every committee's
-- follow-ups and a committee's list read them all (850 ms at 300 committees
-- and a million cases): this index starts from the committee. A committee
-- holding most cases is asked with `+committee_id` (store::cases::list),
-- which leaves this index aside for 0019's.
CREATE INDEX IF NOT EXISTS cases_follow_up_committee ON cases (committee_id, status, performance_due)
    WHERE status = 'settled' AND archived_on IS NULL AND COALESCE(fulfilment, '') <> 'fulfilled';
