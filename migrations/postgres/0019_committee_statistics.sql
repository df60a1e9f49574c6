-- The case list writes its committee as `+c.committee_id = $1` (a unary
-- plus, so that no planner starts from the committee's index when the
-- committee holds most cases: issue 15). PostgreSQL has no statistics on
-- that expression and guesses it keeps half a percent of the rows: at a
-- million cases in one committee it then sorted every case for a page by
-- amount (430 ms) instead of walking `cases_amount` (14 ms). Statistics on
-- the expression itself give the planner the committee's real share.
-- (The search rows, `store::search::ROWS`, are left as they are: there the
-- estimate comes mostly from the word.) SQLite has no such statistics and
-- plans from its indexes (`INDEXED BY` where it matters): nothing to do.
CREATE STATISTICS cases_committee_expr ON (+committee_id) FROM cases;
ANALYZE cases;
