//! The export on SQLite: one JSON array per day.
//!
//! SQLite groups the cases by the day they were received (the export's
//! order, which the `cases_received` index already gives, so nothing is
//! sorted or held) and packs each day into one JSON array. Row by row,
//! sqlx's hand-over between its SQLite thread and the reader costs more
//! than SQLite's own work; a day at a time, it vanishes. A day is small
//! (hundreds of cases at national scale), so a reader never holds much.

use futures_util::TryStreamExt;
use serde::Deserializer as _;
use serde::de::{SeqAccess, Visitor};
use sqlx::{AssertSqlSafe, SqliteConnection};
use tokio::sync::mpsc;

use super::{ExportCase, Part, ReadError};
use crate::domain::CaseFilter;
use crate::store::Backend;
use crate::store::cases::Scope;
use crate::store::sql::{Arg, Sql, bind_all};

/// The cases received on one day, in the order registered, as SQLite
/// packed them (read them with [`Day::cases`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Day {
    pub received_on: String,
    pub(super) cases: String,
}

impl Day {
    /// The day's cases, in the order they were registered.
    pub fn cases(&self) -> Result<Vec<ExportCase<'_>>, serde_json::Error> {
        serde_json::from_str(&self.cases)
    }

    /// See [`Part::each`](super::Part::each): each case as it is read from
    /// the array, none of them collected (a day's Vec of cases was the
    /// encoder's largest allocation).
    pub(super) fn each<E: From<ReadError>>(
        &self,
        mut f: impl FnMut(&str, &ExportCase<'_>) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut n = 0u64;
        let mut stopped = None;
        let mut de = serde_json::Deserializer::from_str(&self.cases);
        let mut each = |case: &ExportCase<'_>| match f(&self.received_on, case) {
            Ok(()) => {
                n += 1;
                true
            }
            Err(e) => {
                stopped = Some(e);
                false
            }
        };
        let read = de.deserialize_seq(EachCase(&mut each)).and_then(|()| de.end());
        if let Some(e) = stopped {
            return Err(e);
        }
        read.map_err(ReadError::from)?;
        Ok(n)
    }
}

/// Hands each case of a day's array to a function as it is read; the
/// function says whether to go on.
struct EachCase<'f>(&'f mut dyn FnMut(&ExportCase<'_>) -> bool);

impl<'de> Visitor<'de> for EachCase<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of cases")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(case) = seq.next_element::<ExportCase<'de>>()? {
            if !(self.0)(&case) {
                break;
            }
        }
        Ok(())
    }
}

/// The export's query, less its WHERE conditions and grouping: one JSON
/// array per day, each case an array in [`ExportCase`]'s field order. JSON
/// keeps any text intact. A case's parties come from one range of the
/// `parties_case` index (case_id, role, position), which hands them over
/// applicants first, each side in position order; `INDEXED BY` makes that
/// order certain (the query fails loudly if the index ever goes). An
/// `ORDER BY` inside their aggregates would instead sort every case's
/// parties and halve the export's speed.
///
/// The arguments: what orders a day's cases in their aggregate, and what
/// follows `FROM cases c`.
macro_rules! select {
    ($order:literal, $from:literal) => {
        concat!(
            "SELECT c.received_on, json_group_array(json_array(
        c.case_no, c.accepted_on, c.source, c.category, c.project, c.district, c.summary, iif(c.amount_claimed_blank, NULL, c.amount_claimed),
        c.status, c.agreement_type, c.amount_agreed, c.agreement_on, c.performance_due, c.fulfilment,
        c.judicial_confirmation, c.closed_on,
        (SELECT json_array(COALESCE(SUM(p.role = 'applicant'), 0),
                           json_group_array(p.party_type),
                           json_group_array(p.name))
           FROM parties p INDEXED BY parties_case WHERE p.case_id = c.id),
        (SELECT group_concat(cm.mediator_id) FROM case_mediators cm WHERE cm.case_id = c.id),
        c.agreement_terms, c.close_reason, c.people_involved, c.prevented_crime_people, c.prevented_petition_people
     )",
            $order,
            ") AS cases
     FROM cases c",
            $from,
            " WHERE 1 = 1"
        )
    };
}

/// [`select!`] for any filter: whichever index SQLite reads the cases by,
/// each day's are sorted by id in their aggregate.
pub(super) const SELECT: &str = select!(" ORDER BY c.id", "");

/// [`select!`] read through the `cases_received` index (received_on, id),
/// which hands each day's cases over in id order already, as it does the
/// parties: no sort. Sorting every day's cases cost an eighth of SQLite's
/// work (issue 14). Only for filters that index serves well
/// ([`in_date_order`]): forced on the others, it would read every case.
pub(super) const SELECT_IN_DATE_ORDER: &str = select!("", " INDEXED BY cases_received");

/// Whether the filter and scope keep to conditions on the date received
/// (or none), so that [`SELECT_IN_DATE_ORDER`] reads no more than it keeps.
/// A committee that holds most cases is such a scope: its condition is
/// kept off every index anyway (`push_scope`), and the download of its
/// admins is the large one.
pub(super) fn in_date_order(filter: &CaseFilter, scope: Scope) -> bool {
    let CaseFilter {
        status,
        category,
        source,
        district,
        mediator,
        from: _,
        to: _,
        q,
        flag,
        phones: _,
    } = filter;
    matches!(scope, Scope::All | Scope::Committee { narrow: false, .. })
        && status.is_none()
        && category.is_none()
        && source.is_none()
        && district.is_none()
        && mediator.is_none()
        && q.is_none()
        && flag.is_none()
}

/// By date received, then as registered. An import inserts in file order,
/// so a re-export keeps the order.
const GROUP: &str = " GROUP BY c.received_on ORDER BY c.received_on";

/// Sends the days of the cases `q` (the export's query with its
/// conditions) selects, until done or until the receiver hangs up.
pub(super) async fn send(
    conn: &mut SqliteConnection,
    mut q: Sql,
    tx: &mpsc::Sender<Result<Part, sqlx::Error>>,
) -> Result<u64, sqlx::Error> {
    q.push(GROUP);
    let text = q.text_for(Backend::Sqlite);
    let mut days = bind_all!(sqlx::query_as::<_, Day>(AssertSqlSafe(text)), q.args()).fetch(conn);
    let mut sent = 0u64;
    while let Some(day) = days.try_next().await? {
        if tx.send(Ok(Part::Day(day))).await.is_err() {
            tracing::info!(sent, "export abandoned by its reader");
            break;
        }
        sent += 1;
    }
    Ok(sent)
}
