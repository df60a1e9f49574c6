//! The summary of new cases counted in memory as they are drawn (the demo,
//! which holds each case before writing it): the rows [`super::add_deferred`]
//! groups in SQL, figure for figure, so the load writes tens of thousands of
//! groups instead of grouping a million cases again (most of the load's
//! time at a million cases). `summary_drift` checks the two agree.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::domain::Status;
use crate::domain::workflow::Fulfilment;
use crate::store::Conn;
use crate::store::sql::{Arg, Sql, values};

/// What the summary reads of one new case and its links.
#[derive(Debug, Clone, Copy)]
pub struct CaseFigures<'a> {
    pub committee_id: i64,
    pub category: &'static str,
    pub source: &'static str,
    pub district: &'static str,
    pub status: Status,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub amount_claimed: i64,
    pub amount_agreed: Option<i64>,
    pub fulfilment: Option<Fulfilment>,
    pub people_involved: Option<i64>,
    pub prevented_crime_people: i64,
    pub prevented_petition_people: i64,
    /// Its mediators, one `case_mediators` row each.
    pub mediators: &'a [i64],
}

/// A dimension's code: text, or a mediator's id (written as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Code {
    Text(&'static str),
    Mediator(i64),
}

impl Code {
    fn text(self) -> String {
        match self {
            Code::Text(t) => t.to_string(),
            Code::Mediator(id) => id.to_string(),
        }
    }
}

/// A day's row of `stats_daily`, in the order of its primary key
/// (committee, dim, day, code, status): sorted, the rows go in at the
/// end of the table's B-tree.
type DayKey = (i64, &'static str, NaiveDate, Code, &'static str);
/// A month's row of `stats_monthly` (committee, dim, code, month, status).
type MonthKey = (i64, &'static str, Code, (i32, u32), &'static str);
/// received, claimed, accepted, agreed, closed, close_days, fulfilled.
type Figures = [i64; 7];

/// `official_monthly`'s key (committee, month of acceptance, category, source).
type OfficialKey = (i64, (i32, u32), &'static str, &'static str);
/// accepted, settled, in_mediation, amount_agreed, people, fulfilled,
/// crime_cases, crime_people, petition_cases, petition_people.
type Official = [i64; 10];

/// The grouped summary rows of the cases added so far.
#[derive(Debug, Default)]
pub struct Tally {
    days: HashMap<DayKey, Figures>,
    official: HashMap<OfficialKey, Official>,
    party_types: HashMap<&'static str, i64>,
}

fn add_to<const N: usize>(sum: &mut [i64; N], part: &[i64; N]) {
    for (s, p) in sum.iter_mut().zip(part) {
        *s += p;
    }
}

impl Tally {
    /// Counts one case as the insert triggers of migrations 0005, 0018,
    /// 0027 and 0034 (and `stats::add_deferred`) count it, with the types
    /// of its parties, one each.
    pub fn add(&mut self, c: &CaseFigures<'_>, party_types: impl IntoIterator<Item = &'static str>) {
        let mut parties = 0;
        for t in party_types {
            *self.party_types.entry(t).or_default() += 1;
            parties += 1;
        }
        let status = c.status.code();
        let received: Figures = [1, c.amount_claimed, 0, 0, 0, 0, 0];
        let accepted = c.accepted_on.map(|day| {
            let close_days = match c.closed_on {
                Some(closed) => (closed - day).num_days(),
                None => 0,
            };
            let figures: Figures = [
                0,
                0,
                1,
                c.amount_agreed.unwrap_or(0),
                i64::from(c.closed_on.is_some()),
                close_days,
                i64::from(c.fulfilment == Some(Fulfilment::Fulfilled)),
            ];
            (day, figures)
        });
        let dims = [
            ("all", Code::Text("")),
            ("category", Code::Text(c.category)),
            ("source", Code::Text(c.source)),
            ("district", Code::Text(c.district)),
        ];
        let mediators = c.mediators.iter().map(|&m| ("mediator", Code::Mediator(m)));
        for (dim, code) in dims.into_iter().chain(mediators) {
            let key = (c.committee_id, dim, c.received_on, code, status);
            add_to(self.days.entry(key).or_default(), &received);
            if let Some((day, figures)) = &accepted {
                let key = (c.committee_id, dim, *day, code, status);
                add_to(self.days.entry(key).or_default(), figures);
            }
        }
        if let (Some(day), false) = (c.accepted_on, c.status == Status::Voided) {
            let settled = c.status == Status::Settled;
            let official: Official = [
                1,
                i64::from(settled),
                i64::from(c.status == Status::InMediation),
                if settled { c.amount_agreed.unwrap_or(0) } else { 0 },
                c.people_involved.unwrap_or(parties),
                i64::from(settled && c.fulfilment == Some(Fulfilment::Fulfilled)),
                i64::from(c.prevented_crime_people > 0),
                c.prevented_crime_people,
                i64::from(c.prevented_petition_people > 0),
                c.prevented_petition_people,
            ];
            let key = (c.committee_id, (day.year(), day.month()), c.category, c.source);
            add_to(self.official.entry(key).or_default(), &official);
        }
    }

    /// Adds the rows to the summary tables (to those of the same key,
    /// as the triggers do), in the caller's transaction. The caller then
    /// hands the summary back to the triggers.
    pub async fn write(self, conn: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        let Tally {
            days,
            official,
            party_types,
        } = self;
        // Committee 0 is the whole installation (migration 0027).
        let mut installation: HashMap<DayKey, Figures> = HashMap::new();
        for (&(_, dim, day, code, status), figures) in &days {
            add_to(installation.entry((0, dim, day, code, status)).or_default(), figures);
        }
        let mut days: Vec<(DayKey, Figures)> = days.into_iter().chain(installation).collect();
        let mut months: HashMap<MonthKey, Figures> = HashMap::new();
        for &((k, dim, day, code, status), figures) in &days {
            let key = (k, dim, code, (day.year(), day.month()), status);
            add_to(months.entry(key).or_default(), &figures);
        }
        let mut months: Vec<(MonthKey, Figures)> = months.into_iter().collect();
        days.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        months.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let day_rows = days
            .into_iter()
            .map(|((k, dim, day, code, status), f)| (k, dim, code.text(), day.to_string(), status, f));
        let started = std::time::Instant::now();
        write_stats(conn, "stats_daily", "day", day_rows).await?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            table = "stats_daily",
            "summary written"
        );
        let month_rows = months
            .into_iter()
            .map(|((k, dim, code, month, status), f)| (k, dim, code.text(), month_text(month), status, f));
        write_stats(conn, "stats_monthly", "month", month_rows).await?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            table = "stats_monthly",
            "summary written"
        );
        let mut official: Vec<_> = official.into_iter().collect();
        official.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let head = format!(
            "INSERT INTO official_monthly ({}) VALUES ",
            super::official::summary::COLUMNS
        );
        let mut rows = official.into_iter();
        while let Some(q) = values(
            &head,
            super::official::summary::UPSERT,
            ROWS_PER_STATEMENT,
            &mut rows,
            |q, row| {
                let ((k, month, category, source), f) = row;
                q.push_list([Arg::from(k), month_text(month).into(), category.into(), source.into()]);
                q.push(", ").push_list(f);
            },
        ) {
            q.run_in(&mut *conn).await?;
        }
        let mut party_types: Vec<_> = party_types.into_iter().collect();
        party_types.sort_unstable();
        for (code, n) in party_types {
            let mut q = Sql::new("INSERT INTO party_type_usage (code, parties) VALUES (");
            q.push_bind(code)
                .push(", ")
                .push_bind(n)
                .push(")")
                .push(" ON CONFLICT (code) DO UPDATE SET parties = party_type_usage.parties + excluded.parties");
            q.run_in(&mut *conn).await?;
        }
        Ok(())
    }
}

/// Rows to a statement: twelve values each, within both backends' limits
/// on a statement's values.
const ROWS_PER_STATEMENT: usize = 2000;

/// A month as its key, `YYYY-MM`.
fn month_text((year, month): (i32, u32)) -> String {
    format!("{year:04}-{month:02}")
}

/// Adds rows (committee, dim, code, day or month, status, figures) to
/// `table`, whose date column is `key`, a chunk to a statement.
async fn write_stats(
    conn: &mut Conn<'_>,
    table: &str,
    key: &str,
    mut rows: impl Iterator<Item = (i64, &'static str, String, String, &'static str, Figures)>,
) -> Result<(), sqlx::Error> {
    // Fixed SQL: table and column names of ours, never input.
    let head = format!(
        "INSERT INTO {table} (committee_id, dim, code, {key}, status, received, claimed, accepted, agreed, \
         closed, close_days, fulfilled) VALUES "
    );
    let tail = super::bulk::upsert_for(table, key);
    while let Some(q) = values(
        &head,
        &tail,
        ROWS_PER_STATEMENT,
        &mut rows,
        |q, (k, dim, code, date, status, f)| {
            q.push_list([Arg::from(k), dim.into(), code.into(), date.into(), status.into()]);
            q.push(", ").push_list(f);
        },
    ) {
        q.run_in(&mut *conn).await?;
    }
    Ok(())
}
