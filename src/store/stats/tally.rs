//! The summary of new cases counted in memory before they are written (the
//! demo as it draws them, the import as it makes its rows ahead of the
//! lock): the rows the insert triggers would have added, figure for figure,
//! so a bulk write adds tens of thousands of groups instead of grouping its
//! cases again in SQL (most of the demo's time at a million cases, and of
//! the import's before its lock). `summary_drift` checks the summary
//! against a recount of the cases.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::domain::Status;
use crate::domain::workflow::Fulfilment;
use crate::store::Conn;
use crate::store::sql::{Arg, Sql, values};

/// What the summary reads of one new case and its links; its codes are
/// borrowed from the case for as long as the [`Tally`] lives.
#[derive(Debug, Clone, Copy)]
pub struct CaseFigures<'a> {
    pub committee_id: i64,
    pub category: &'a str,
    pub source: &'a str,
    pub district: &'a str,
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
}

/// A dimension's code: text, or a mediator's id (written as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Code<'a> {
    Text(&'a str),
    Mediator(i64),
}

impl Code<'_> {
    /// As written, a mediator's id mapped by `mediator`.
    fn text(self, mediator: &impl Fn(i64) -> i64) -> String {
        match self {
            Code::Text(t) => t.to_string(),
            Code::Mediator(id) => mediator(id).to_string(),
        }
    }
}

/// A day's row of `stats_daily`, in the order of its primary key
/// (committee, dim, day, code, status): sorted, the rows go in at the
/// end of the table's B-tree.
type DayKey<'a> = (i64, &'static str, NaiveDate, Code<'a>, &'static str);
/// A month's row of `stats_monthly` (committee, dim, code, month, status).
type MonthKey<'a> = (i64, &'static str, Code<'a>, (i32, u32), &'static str);
/// received, claimed, accepted, agreed, closed, close_days, fulfilled.
type Figures = [i64; 7];

/// `official_monthly`'s key (committee, month of acceptance, category, source).
type OfficialKey<'a> = (i64, (i32, u32), &'a str, &'a str);
/// accepted, settled, in_mediation, amount_agreed, people, fulfilled,
/// crime_cases, crime_people, petition_cases, petition_people.
type Official = [i64; 10];

/// The grouped summary rows of the cases added so far, their codes
/// borrowed from the cases.
#[derive(Debug, Default)]
pub struct Tally<'a> {
    days: HashMap<DayKey<'a>, Figures>,
    official: HashMap<OfficialKey<'a>, Official>,
    party_types: HashMap<&'a str, i64>,
}

fn add_to<const N: usize>(sum: &mut [i64; N], part: &[i64; N]) {
    for (s, p) in sum.iter_mut().zip(part) {
        *s += p;
    }
}

impl<'a> Tally<'a> {
    /// Counts one case as the insert triggers of migrations 0005, 0018,
    /// 0027 and 0034 count it, with its mediators (one `case_mediators`
    /// row each, as ids [`TallyRows::write`] may still map: the import's new
    /// mediators) and the types of its parties, one each.
    pub fn add(&mut self, c: &CaseFigures<'a>, mediators: &[i64], party_types: impl IntoIterator<Item = &'a str>) {
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
        let mediators = mediators.iter().map(|&m| ("mediator", Code::Mediator(m)));
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

    /// Its rows as they are written: for each committee and for the whole
    /// installation, by day and by month, each table's in the order of its
    /// key. Made before the writer's lock, by whoever counted.
    pub fn rows(self) -> TallyRows<'a> {
        let Tally {
            days,
            official,
            party_types,
        } = self;
        // Committee 0 is the whole installation (migration 0027).
        let mut installation: HashMap<DayKey<'_>, Figures> = HashMap::new();
        for (&(_, dim, day, code, status), figures) in &days {
            add_to(installation.entry((0, dim, day, code, status)).or_default(), figures);
        }
        let mut days: Vec<(DayKey<'_>, Figures)> = days.into_iter().chain(installation).collect();
        let mut months: HashMap<MonthKey<'_>, Figures> = HashMap::new();
        for &((k, dim, day, code, status), figures) in &days {
            let key = (k, dim, code, (day.year(), day.month()), status);
            add_to(months.entry(key).or_default(), &figures);
        }
        let mut months: Vec<(MonthKey<'_>, Figures)> = months.into_iter().collect();
        days.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        months.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut official: Vec<_> = official.into_iter().collect();
        official.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut party_types: Vec<_> = party_types.into_iter().collect();
        party_types.sort_unstable();
        TallyRows {
            days: (days.into_iter())
                .map(|((k, dim, day, code, status), f)| (k, dim, code, day.to_string(), status, f))
                .collect(),
            months: (months.into_iter())
                .map(|((k, dim, code, month, status), f)| (k, dim, code, month_text(month), status, f))
                .collect(),
            official,
            party_types,
        }
    }
}

/// A row of `stats_daily` or `stats_monthly`: committee, dim, code, day or
/// month, status, figures.
type StatsRow<'a> = (i64, &'static str, Code<'a>, String, &'static str, Figures);

/// A [`Tally`]'s rows, grouped and in order, ready to write.
#[derive(Debug, Default)]
pub struct TallyRows<'a> {
    days: Vec<StatsRow<'a>>,
    months: Vec<StatsRow<'a>>,
    official: Vec<(OfficialKey<'a>, Official)>,
    party_types: Vec<(&'a str, i64)>,
}

impl TallyRows<'_> {
    /// Adds the rows to the summary tables (to those of the same key,
    /// as the triggers do), in the caller's transaction, each mediator's
    /// id as `mediator` maps it. The caller then hands the summary back to
    /// the triggers.
    pub async fn write(self, conn: &mut Conn<'_>, mediator: impl Fn(i64) -> i64) -> Result<(), sqlx::Error> {
        let TallyRows {
            days,
            months,
            official,
            party_types,
        } = self;
        let text = |(k, dim, code, date, status, f): StatsRow<'_>| (k, dim, code.text(&mediator), date, status, f);
        let day_rows = days.into_iter().map(text);
        let started = std::time::Instant::now();
        write_stats(conn, "stats_daily", "day", day_rows).await?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            table = "stats_daily",
            "summary written"
        );
        let month_rows = months.into_iter().map(text);
        write_stats(conn, "stats_monthly", "month", month_rows).await?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            table = "stats_monthly",
            "summary written"
        );
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
/// `table`, whose date column is `key`, a chunk to a statement (on
/// PostgreSQL as arrays, see [`super::arrays`]).
async fn write_stats(
    conn: &mut Conn<'_>,
    table: &str,
    key: &str,
    mut rows: impl Iterator<Item = super::arrays::Row>,
) -> Result<(), sqlx::Error> {
    if let Conn::Postgres(c) = conn {
        return super::arrays::write(c, table, key, rows).await;
    }
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
