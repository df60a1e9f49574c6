//! The plain SQL each timed page stands for: what a generic tool (the
//! `sqlite3` shell, Datasette) runs for the same figures or rows, straight
//! from the tables. Placeholders as in `routes`.

/// What a plain implementation would run for the dashboard: the totals
/// and each breakdown straight from `cases`.
pub const DASHBOARD_ALL: &str = "
SELECT COUNT(*), SUM(amount_claimed), SUM(accepted_on IS NOT NULL), SUM(status = 'settled'),
       SUM(COALESCE(amount_agreed, 0)) FROM cases;
SELECT category, COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY category;
SELECT source, COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY source;
SELECT district, COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY district;
SELECT substr(received_on, 1, 7), COUNT(*), SUM(amount_claimed), SUM(status = 'settled') FROM cases GROUP BY 1;
SELECT cm.mediator_id, COUNT(*), SUM(c.amount_claimed) FROM cases c
  JOIN case_mediators cm ON cm.case_id = c.id GROUP BY cm.mediator_id;
";

pub const DASHBOARD_YEAR: &str = "
SELECT COUNT(*), SUM(amount_claimed), SUM(accepted_on IS NOT NULL), SUM(status = 'settled'),
       SUM(COALESCE(amount_agreed, 0)) FROM cases WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31';
SELECT category, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY category;
SELECT source, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY source;
SELECT district, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY district;
SELECT substr(received_on, 1, 7), COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY 1;
SELECT cm.mediator_id, COUNT(*), SUM(c.amount_claimed) FROM cases c JOIN case_mediators cm ON cm.case_id = c.id
  WHERE c.received_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY cm.mediator_id;
";

pub const CASES_FILTERED: &str = "
SELECT COUNT(*) FROM cases c WHERE c.category = 'fees' AND c.district = 'chaoyang'
  AND (c.project LIKE '%阳光花园%' OR c.summary LIKE '%阳光花园%' OR c.case_no LIKE '%阳光花园%'
       OR c.id IN (SELECT case_id FROM parties WHERE name LIKE '%阳光花园%'));
SELECT c.id, c.case_no FROM cases c WHERE c.category = 'fees' AND c.district = 'chaoyang'
  AND (c.project LIKE '%阳光花园%' OR c.summary LIKE '%阳光花园%' OR c.case_no LIKE '%阳光花园%'
       OR c.id IN (SELECT case_id FROM parties WHERE name LIKE '%阳光花园%'))
  ORDER BY c.received_on DESC, c.id DESC LIMIT 50;
";

pub const CASES_SORTED: &str = "
SELECT COUNT(*) FROM cases;
SELECT id, case_no FROM cases ORDER BY amount_claimed, id LIMIT 200 OFFSET 19800;
";

pub const DASHBOARD_RANGE: &str = "
SELECT COUNT(*), SUM(amount_claimed), SUM(accepted_on IS NOT NULL), SUM(status = 'settled'),
       SUM(COALESCE(amount_agreed, 0)) FROM cases WHERE received_on BETWEEN '2023-03-17' AND '2024-08-09';
SELECT category, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2023-03-17' AND '2024-08-09' GROUP BY category;
SELECT source, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2023-03-17' AND '2024-08-09' GROUP BY source;
SELECT district, COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2023-03-17' AND '2024-08-09' GROUP BY district;
SELECT substr(received_on, 1, 7), COUNT(*), SUM(amount_claimed) FROM cases
  WHERE received_on BETWEEN '2023-03-17' AND '2024-08-09' GROUP BY 1;
";

pub const CASES_FIRST: &str = "
SELECT COUNT(*) FROM cases;
SELECT id, case_no, project, status FROM cases ORDER BY received_on DESC, id DESC LIMIT 50;
";

pub const CASES_NAME: &str = "
SELECT COUNT(*) FROM cases c WHERE c.id IN (SELECT case_id FROM parties WHERE name LIKE '%张伟%');
SELECT c.id, c.case_no FROM cases c WHERE c.id IN (SELECT case_id FROM parties WHERE name LIKE '%张伟%')
  ORDER BY c.received_on DESC, c.id DESC LIMIT 50;
";

pub const CASE_PAGE: &str = "
SELECT * FROM cases WHERE id = {case};
SELECT id, role, party_type, name, phone FROM parties WHERE case_id = {case} ORDER BY role, position;
SELECT m.id, m.name FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = {case};
SELECT id, held_on, form, notes FROM mediation_sessions WHERE case_id = {case} ORDER BY held_on, id;
SELECT * FROM audit_log WHERE case_id = {case} ORDER BY id;
";

/// The 27 columns of the case export, as `sqlite3 -csv` would write them
/// (raw codes and fen, no labels).
pub const EXPORT: &str = "
SELECT c.case_no, c.received_on, c.accepted_on, c.source, c.category, c.project,
  c.district, c.summary, c.amount_claimed, c.status, c.agreement_type, c.amount_agreed,
  c.agreement_on, c.performance_due, c.fulfilment, c.judicial_confirmation, c.closed_on,
  (SELECT group_concat(name, '; ') FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant'),
  (SELECT group_concat(party_type, '; ') FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant'),
  (SELECT group_concat(name, '; ') FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent'),
  (SELECT group_concat(party_type, '; ') FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent'),
  (SELECT group_concat(m.name, '; ') FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
      WHERE cm.case_id = c.id),
  c.agreement_terms, c.close_reason, c.people_involved, c.prevented_crime_people, c.prevented_petition_people
FROM cases c ORDER BY c.received_on, c.id;
";
