//! Cases, their parties and their mediators.

use chrono::{Datelike, NaiveDate};

mod insert;
mod keyset;
mod list;
mod page;

pub use insert::{NewCase, Statements, copy_staged, insert, insert_many, new_uuid};
pub use keyset::{After, list_after};
pub(crate) use list::push_scope;
pub use list::{
    CaseListRow, CasePage, LIST_CAP, PAGE_CAP, archived_between, count, count_upto_in, id_by_number, list_counted_in,
    list_in, push_filter,
};
pub use page::{CaseShown, for_page};

use super::audit::{self, Audited, Target};
use super::sql::Sql;
use super::{Backend, begin_write, now_utc};
use crate::domain::case::{CaseInput, PartyInput};
use crate::domain::deadlines::FlagFacts;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Route};
use crate::domain::{CaseNo, PartyRole, Status};
use crate::on_db;
use crate::store::orgs::Committee;

/// Who is asking: a committee's people see only its cases, a mediator only
/// their own among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every case of every committee: the command line.
    All,
    /// Every case of one committee: its admins and secretaries. `narrow`
    /// when the committee holds few of the installation's cases
    /// ([`committee_is_narrow`]): only then may a query start from them.
    Committee { id: i64, narrow: bool },
    /// Every case of the committees under an organisation (its id): a
    /// supervisor's added-up figures. Never a way to personal data: the
    /// pages that take it show none.
    Subtree(i64),
    /// A mediator sees the cases of their committee they are assigned to
    /// or registered.
    Mediator {
        committee_id: i64,
        user_id: i64,
        mediator_id: Option<i64>,
    },
}

impl Scope {
    /// The one committee the scope keeps to, if it keeps to one.
    pub fn committee(self) -> Option<i64> {
        match self {
            Scope::All | Scope::Subtree(_) => None,
            Scope::Committee { id, .. } | Scope::Mediator { committee_id: id, .. } => Some(id),
        }
    }

    /// Whether a query may start from the committee's cases (index
    /// `cases_committee`) rather than from its other conditions. Not when
    /// the committee holds most cases (one committee holding every case
    /// made a search for a rare name read all of them: issue 15), nor for
    /// a mediator, whose own cases are always fewer.
    pub fn committee_leads(self) -> bool {
        matches!(self, Scope::Committee { narrow: true, .. })
    }
}

/// Whether committee `id` holds at most a tenth of the installation's
/// cases, by the summary (migration 0027; committee 0 is the whole
/// installation): then its cases are few enough to start a query from.
pub async fn committee_is_narrow(pool: &crate::store::Db, id: i64) -> Result<bool, sqlx::Error> {
    let (own, all): (i64, i64) = on_db!(pool, |e| {
        sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN committee_id = $1 THEN received END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN committee_id = 0 THEN received END), 0) AS BIGINT)
             FROM stats_yearly WHERE committee_id IN (0, $1) AND dim = 'all'",
        )
        .bind(id)
        .fetch_one(e)
        .await
    })?;
    Ok(own.saturating_mul(10) <= all)
}

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
fn case_query(id: i64, scope: Scope) -> Sql {
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
const PARTIES: &str = "SELECT id, role, party_type, name, phone, id_number, address, representative
     FROM parties WHERE case_id = $1 ORDER BY role, position";

/// A case's mediators (the case `$1`) by name in SQLite's byte order,
/// whatever the server's collation.
fn mediators_sql(b: Backend) -> &'static str {
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
struct CaseWithCreator {
    #[sqlx(flatten)]
    case: CaseRow,
    created_by_name: Option<String>,
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

/// Registers a case. The number is drawn in the same transaction as the
/// insert, so a failed write rolls the counter back and leaves no gap.
#[tracing::instrument(skip(pool, input))]
pub async fn create(
    pool: &crate::store::Db,
    input: &CaseInput,
    committee: &Committee,
    created_by: Option<i64>,
) -> Result<(i64, String), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let year = input.received_on.year();
    let seq = next_seq(&mut tx.conn(), committee.id, year).await?;
    let case_no = CaseNo::new(&committee.prefix, year, seq).to_string();
    let now = now_utc();
    let id = insert(
        &mut tx.conn(),
        &NewCase::registered(input, committee.id, &case_no, year, seq, created_by, &now),
    )
    .await?;
    replace_parties(&mut tx.conn(), id, &input.parties).await?;
    replace_mediators(&mut tx.conn(), id, &input.mediator_ids).await?;
    audit::created::<CaseRecord>(&mut tx.conn(), CaseRecord::target(id, created_by, "create")).await?;
    tx.commit().await?;
    Ok((id, case_no))
}

/// A committee's next sequence number of a year, taken inside the
/// caller's transaction.
pub async fn next_seq(tx: &mut crate::store::Conn<'_>, committee_id: i64, year: i32) -> Result<i64, sqlx::Error> {
    on_db!(tx, |e| {
        sqlx::query_scalar(
            "INSERT INTO case_counters (committee_id, year, last_seq) VALUES ($1, $2, 1)
             ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = case_counters.last_seq + 1
             RETURNING last_seq",
        )
        .bind(committee_id)
        .bind(i64::from(year))
        .fetch_one(e)
        .await
    })
}

/// Raises a committee's counter of a year to at least `seq`, for numbers
/// that arrive already assigned (import, demo data): later numbers never
/// collide.
pub async fn raise_counter(
    conn: &mut crate::store::Conn<'_>,
    committee_id: i64,
    year: i32,
    seq: i64,
) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query(
            "INSERT INTO case_counters (committee_id, year, last_seq) VALUES ($1, $2, $3)
             ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = CASE WHEN excluded.last_seq > case_counters.last_seq
                 THEN excluded.last_seq ELSE case_counters.last_seq END",
        )
        .bind(committee_id)
        .bind(i64::from(year))
        .bind(seq)
        .execute(e)
        .await
        .map(|_| ())
    })
}

/// Changes a case's register fields, parties and mediators.
/// The case number stays as assigned. False when there is no such case.
#[tracing::instrument(skip(pool, input))]
pub async fn update(
    pool: &crate::store::Db,
    id: i64,
    input: &CaseInput,
    actor: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let target = CaseRecord::target(id, actor, "update");
    let found = audit::changed::<CaseRecord, _, sqlx::Error>(&mut tx.conn(), target, async |conn| {
        let done = on_db!(conn, |e| {
            sqlx::query(
                "UPDATE cases SET received_on = $1, source = $2, category = $3, project = $4, district = $5,
                     summary = $6, amount_claimed = $7, amount_claimed_blank = $8, updated_at = $9
                 WHERE id = $10",
            )
            .bind(input.received_on)
            .bind(&input.source)
            .bind(&input.category)
            .bind(&input.project)
            .bind(&input.district)
            .bind(&input.summary)
            .bind(input.amount_claimed.map_or(0, |m| m.fen()))
            .bind(input.amount_claimed.is_none())
            .bind(now_utc())
            .bind(id)
            .execute(e)
            .await
            .map(|d| d.rows_affected())
        })?;
        if done == 0 {
            return Ok(false);
        }
        set_figures(conn, id, input.figures).await?;
        replace_parties(conn, id, &input.parties).await?;
        replace_mediators(conn, id, &input.mediator_ids).await?;
        Ok(true)
    })
    .await?;
    tx.commit().await?;
    Ok(found)
}

/// Writes a case's official-report fields (issue 16).
async fn set_figures(
    conn: &mut crate::store::Conn<'_>,
    id: i64,
    f: crate::domain::official::CaseFigures,
) -> Result<(), sqlx::Error> {
    on_db!(conn, |e| {
        sqlx::query(
            "UPDATE cases SET people_involved = $1, prevented_crime_people = $2, prevented_petition_people = $3
             WHERE id = $4",
        )
        .bind(f.people_involved.map(i64::from))
        .bind(i64::from(f.prevented_crime))
        .bind(i64::from(f.prevented_petition))
        .bind(id)
        .execute(e)
        .await
        .map(|_| ())
    })
}

/// A case in the audit trail: its snapshot, and the entries of its history.
pub struct CaseRecord;

impl CaseRecord {
    /// A change to the case `id`, shown on its own history.
    pub fn target(id: i64, actor: Option<i64>, action: &str) -> Target<'_> {
        Target {
            id,
            case_id: Some(id),
            actor,
            action,
            always: false,
            client: None,
            reason: None,
        }
    }
}

impl Audited for CaseRecord {
    const ENTITY: &'static str = "case";

    async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
        snapshot(conn, id).await
    }
}

/// The JSON of a case `c` for the audit trail (see [`snapshot`]), as an
/// SQL expression, so a set of cases can be snapshotted in one statement:
/// SQLite's spelling (see [`snapshot_expr`] for each backend's).
macro_rules! snapshot_json {
    () => {
        "json_object(
            'case_no', c.case_no, 'received_on', c.received_on, 'accepted_on', c.accepted_on,
            'source', c.source, 'category', c.category, 'project', c.project, 'district', c.district,
            'summary', c.summary, 'amount_claimed', iif(c.amount_claimed_blank, NULL, c.amount_claimed), 'status', c.status,
            'agreement_type', c.agreement_type, 'amount_agreed', c.amount_agreed,
            'agreement_on', c.agreement_on, 'performance_due', c.performance_due,
            'agreement_terms', c.agreement_terms, 'fulfilment', c.fulfilment,
            'judicial_confirmation', c.judicial_confirmation, 'closed_on', c.closed_on,
            'close_reason', c.close_reason, 'routes_informed', c.routes_informed,
            'archived_on', c.archived_on, 'judicial_applied_on', c.judicial_applied_on, 'voided_on', c.voided_on,
            'people_involved', c.people_involved, 'prevented_crime_people', c.prevented_crime_people,
            'prevented_petition_people', c.prevented_petition_people,
            'applicants', json((SELECT json_group_array(json_object('type', party_type, 'name', name, 'phone', phone,
                               'id_number', id_number, 'address', address, 'representative', representative))
                           FROM (SELECT * FROM parties WHERE case_id = c.id AND role = 'applicant' ORDER BY position))),
            'respondents', json((SELECT json_group_array(json_object('type', party_type, 'name', name, 'phone', phone,
                               'id_number', id_number, 'address', address, 'representative', representative))
                           FROM (SELECT * FROM parties WHERE case_id = c.id AND role = 'respondent' ORDER BY position))),
            'mediators', json((SELECT json_group_array(m.name) FROM
                           (SELECT m.name FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
                            WHERE cm.case_id = c.id ORDER BY m.name, m.id) m)))"
    };
}

/// [`snapshot_json`] on PostgreSQL: the same object (dates as
/// `YYYY-MM-DD` text, an empty list as `[]`, mediators in SQLite's byte
/// order whatever the database's collation), as `jsonb`.
const SNAPSHOT_PG: &str = "jsonb_build_object(
    'case_no', c.case_no, 'received_on', c.received_on, 'accepted_on', c.accepted_on,
    'source', c.source, 'category', c.category, 'project', c.project, 'district', c.district,
    'summary', c.summary, 'amount_claimed', CASE WHEN c.amount_claimed_blank THEN NULL ELSE c.amount_claimed END,
    'status', c.status, 'agreement_type', c.agreement_type, 'amount_agreed', c.amount_agreed,
    'agreement_on', c.agreement_on, 'performance_due', c.performance_due,
    'agreement_terms', c.agreement_terms, 'fulfilment', c.fulfilment,
    'judicial_confirmation', c.judicial_confirmation, 'closed_on', c.closed_on,
    'close_reason', c.close_reason, 'routes_informed', c.routes_informed,
    'archived_on', c.archived_on, 'judicial_applied_on', c.judicial_applied_on, 'voided_on', c.voided_on,
    'people_involved', c.people_involved, 'prevented_crime_people', c.prevented_crime_people,
    'prevented_petition_people', c.prevented_petition_people,
    'applicants', COALESCE((SELECT jsonb_agg(jsonb_build_object('type', party_type, 'name', name, 'phone', phone,
                       'id_number', id_number, 'address', address, 'representative', representative) ORDER BY position)
                   FROM parties WHERE case_id = c.id AND role = 'applicant'), CAST('[]' AS jsonb)),
    'respondents', COALESCE((SELECT jsonb_agg(jsonb_build_object('type', party_type, 'name', name, 'phone', phone,
                       'id_number', id_number, 'address', address, 'representative', representative) ORDER BY position)
                   FROM parties WHERE case_id = c.id AND role = 'respondent'), CAST('[]' AS jsonb)),
    'mediators', COALESCE((SELECT jsonb_agg(m.name ORDER BY m.name COLLATE \"C\", m.id) FROM case_mediators cm
                   JOIN mediators m ON m.id = cm.mediator_id WHERE cm.case_id = c.id), CAST('[]' AS jsonb)))";

/// The snapshot of a case `c` as an SQL expression, in the backend's spelling.
pub fn snapshot_expr(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => snapshot_json!(),
        Backend::Postgres => SNAPSHOT_PG,
    }
}

/// A case as JSON for the audit trail: its own columns (less bookkeeping),
/// its parties and its mediators.
pub async fn snapshot(conn: &mut crate::store::Conn<'_>, id: i64) -> Result<serde_json::Value, sqlx::Error> {
    const SQLITE: &str = concat!("SELECT ", snapshot_json!(), " FROM cases c WHERE c.id = $1");
    static POSTGRES: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("SELECT {SNAPSHOT_PG} FROM cases c WHERE c.id = $1"));
    let sql = match conn.backend() {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES.as_str(),
    };
    audit::json_of(conn, sql, id).await
}

/// Writes a case's parties in form order, replacing any it had, then
/// writes the case's search document once.
pub(crate) async fn replace_parties(
    tx: &mut crate::store::Conn<'_>,
    case_id: i64,
    parties: &[PartyInput],
) -> Result<(), sqlx::Error> {
    let mut delete = Sql::new("DELETE FROM parties WHERE case_id = ");
    delete.push_bind(case_id);
    let head = "INSERT INTO parties (case_id, role, party_type, name, phone, position, id_number, address,
                representative) VALUES ";
    let insert = super::sql::values(
        head,
        "",
        parties.len(),
        &mut parties.iter().enumerate(),
        |q, (at, p)| {
            q.push_bind(case_id).push(", ").push_bind(p.role.code()).push(", ");
            q.push_bind(&p.party_type).push(", ").push_bind(&p.name).push(", ");
            q.push_bind(p.phone.as_str()).push(", ").push_bind(at as i64).push(", ");
            q.push_bind(p.details.id_number.as_str()).push(", ");
            q.push_bind(&p.details.address)
                .push(", ")
                .push_bind(&p.details.representative);
        },
    );
    if tx.backend() == Backend::Sqlite {
        // The parties and the search documents, as one batch.
        let mut batch = delete;
        if let Some(insert) = insert {
            batch.then(insert);
        }
        batch.push(";\n");
        super::search::push_index_case(&mut batch, case_id);
        return batch.execute_in(tx).await.map(|_| ());
    }
    delete.execute_in(tx).await?;
    if let Some(insert) = insert {
        insert.execute_in(tx).await?;
    }
    super::search::index_case(tx, case_id).await
}

/// Links a case to its mediators, replacing any links it had.
pub(crate) async fn replace_mediators(
    conn: &mut crate::store::Conn<'_>,
    case_id: i64,
    mediator_ids: &[i64],
) -> Result<(), sqlx::Error> {
    super::links::replace(conn, super::links::MediatorLinks::Case, case_id, mediator_ids).await
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
