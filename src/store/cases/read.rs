//! One case read whole: its own columns, its parties and its mediators.

use chrono::NaiveDate;

use super::{Scope, push_scope};
use crate::domain::deadlines::FlagFacts;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Route};
use crate::domain::{PartyRole, Status};
use crate::on_db;
use crate::store::Backend;
use crate::store::sql::Sql;

/// One case's own columns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub committee_id: i64,
    pub case_no: String,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub source: String,
    pub category: String,
    pub project: String,
    pub district: String,
    pub summary: String,
    /// In fen; 0 when blank (see [`CaseRow::claimed`]).
    pub amount_claimed: i64,
    /// No amount was entered.
    pub amount_claimed_blank: bool,
    pub status: Status,
    pub agreement_type: Option<AgreementType>,
    pub amount_agreed: Option<i64>,
    pub agreement_on: Option<NaiveDate>,
    pub performance_due: Option<NaiveDate>,
    pub agreement_terms: Option<String>,
    pub fulfilment: Option<Fulfilment>,
    pub judicial_confirmation: Judicial,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<String>,
    pub routes_informed: Option<String>,
    pub archived_on: Option<NaiveDate>,
    /// When the parties applied for judicial confirmation.
    pub judicial_applied_on: Option<NaiveDate>,
    /// When and why the case was voided (status `voided`).
    pub voided_on: Option<NaiveDate>,
    pub void_reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    /// 涉及当事人人数 as entered; `None`: the parties (issue 16).
    pub people_involved: Option<i64>,
    /// People kept from 民转刑 and from 群体性上访; 0: none (issue 16).
    pub prevented_crime_people: i64,
    pub prevented_petition_people: i64,
}

impl CaseRow {
    /// The amount claimed in fen, `None` when left blank.
    pub fn claimed(&self) -> Option<i64> {
        (!self.amount_claimed_blank).then_some(self.amount_claimed)
    }

    /// The routes the parties were told of (a failed case), in the order
    /// recorded. Each was checked against the list when it was written.
    pub fn routes(&self) -> Vec<Route> {
        let stored = self.routes_informed.as_deref().unwrap_or("");
        stored.split(',').filter_map(Route::from_code).collect()
    }

    /// The official report's fields (issue 16), as checked values; the
    /// schema keeps them in the same ranges.
    pub fn figures(&self) -> crate::domain::official::CaseFigures {
        let count = |n: i64| u32::try_from(n).unwrap_or(0);
        crate::domain::official::CaseFigures {
            people_involved: self.people_involved.map(count),
            prevented_crime: count(self.prevented_crime_people),
            prevented_petition: count(self.prevented_petition_people),
        }
    }

    /// What the deadline flags read.
    pub fn flag_facts(&self) -> FlagFacts {
        FlagFacts {
            status: self.status,
            archived: self.archived_on.is_some(),
            accepted_on: self.accepted_on,
            agreement_on: self.agreement_on,
            performance_due: self.performance_due,
            fulfilment: self.fulfilment,
            judicial_confirmation: self.judicial_confirmation,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Party {
    pub id: i64,
    pub role: PartyRole,
    pub party_type: String,
    pub name: String,
    pub phone: String,
    /// As typed; screens mask it (see `domain::id_number::mask`).
    pub id_number: String,
    pub address: String,
    pub representative: String,
}

/// The case `id` if the scope may see it, with the name of whoever
/// registered it: the person's name where the creator's account is a
/// mediator's, not the login name, in the same query (one round trip less
/// per page). `username` is citext on PostgreSQL: cast to text so both
/// arms of COALESCE are TEXT. Its first value bound is `id`.
pub(super) fn case_query(id: i64, scope: Scope) -> Sql {
    let mut q = Sql::new(
        "SELECT c.*, (SELECT COALESCE(m.name, CAST(u.username AS TEXT)) FROM users u
                      LEFT JOIN mediators m ON m.id = u.mediator_id WHERE u.id = c.created_by) AS created_by_name
         FROM cases c WHERE c.id = ",
    );
    q.push_bind(id);
    push_scope(&mut q, scope);
    q
}

/// A case's parties (the case `$1`), applicants first, in their order.
pub(super) const PARTIES: &str = "SELECT id, role, party_type, name, phone, id_number, address, representative
     FROM parties WHERE case_id = $1 ORDER BY role, position";

/// A case's mediators (the case `$1`) by name in SQLite's byte order,
/// whatever the server's collation.
pub(super) fn mediators_sql(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => {
            "SELECT m.id, m.name FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
             WHERE cm.case_id = $1 ORDER BY m.name, m.id"
        }
        Backend::Postgres => {
            "SELECT m.id, m.name FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
             WHERE cm.case_id = $1 ORDER BY m.name COLLATE \"C\", m.id"
        }
    }
}

/// A case's row and the name of whoever registered it.
#[derive(sqlx::FromRow)]
pub(super) struct CaseWithCreator {
    #[sqlx(flatten)]
    pub(super) case: CaseRow,
    pub(super) created_by_name: Option<String>,
}

/// A case with everything attached, for its page and its forms.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: CaseRow,
    pub parties: Vec<Party>,
    /// (id, name) of each assigned mediator.
    pub mediators: Vec<(i64, String)>,
    pub created_by_name: Option<String>,
}

impl CaseDetail {
    pub fn applicants(&self) -> impl Iterator<Item = &Party> {
        self.parties.iter().filter(|p| p.role == PartyRole::Applicant)
    }

    pub fn respondents(&self) -> impl Iterator<Item = &Party> {
        self.parties.iter().filter(|p| p.role == PartyRole::Respondent)
    }
}

/// A case with its parties and mediators, if the scope may see it.
pub async fn get(pool: &crate::store::Db, id: i64, scope: Scope) -> Result<Option<CaseDetail>, sqlx::Error> {
    get_in(&mut pool.acquire().await?.conn(), id, scope).await
}

/// [`get`] on a connection already taken: each query through the pool
/// costs a connection taken and, when given back, checked with one more
/// round trip to its thread (sqlx's pool pings every connection returned).
pub async fn get_in(
    conn: &mut crate::store::Conn<'_>,
    id: i64,
    scope: Scope,
) -> Result<Option<CaseDetail>, sqlx::Error> {
    let Some(CaseWithCreator { case, created_by_name }) =
        case_query(id, scope).fetch_all_in::<CaseWithCreator>(conn).await?.pop()
    else {
        return Ok(None);
    };
    let parties = on_db!(conn, |e| sqlx::query_as(PARTIES).bind(id).fetch_all(e).await)?;
    let mediators_sql = mediators_sql(conn.backend());
    let mediators = on_db!(conn, |e| { sqlx::query_as(mediators_sql).bind(id).fetch_all(e).await })?;
    Ok(Some(CaseDetail {
        case,
        parties,
        mediators,
        created_by_name,
    }))
}
