//! Rows from the store, encoded as CSV in chunks as they arrive.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use futures_util::Stream;
use tokio::sync::mpsc;

use super::cell::{BOM, JOIN, guard};
use super::columns::Column;
use super::labels::Labels;
use crate::domain::official::{CaseFigures, FiguresForm};
use crate::domain::{CaseFilter, Deadlines, Money, RefList};
use crate::i18n::Lang;
use crate::store::cases::Scope;
use crate::store::export::{self, Batch, Day, ExportCase, Part};
use crate::store::reference;

/// Bytes gathered before a chunk goes out.
const CHUNK: usize = 64 * 1024;

/// The CSV dialect of every file Accord writes, appending to `buf`.
pub fn writer(buf: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(buf)
}

/// Turns export rows into CSV bytes: the BOM and the heading first.
pub struct Encoder {
    buf: Vec<u8>,
    labels: Labels,
    /// Mediator names by id, as the query's task sends them first.
    mediators: HashMap<i64, String>,
    /// Cases written, for whoever wants to say how many.
    written: Arc<AtomicU64>,
}

impl Encoder {
    pub fn new(labels: Labels) -> Encoder {
        let mut buf = Vec::with_capacity(CHUNK + 16 * 1024);
        buf.extend_from_slice(BOM);
        let mut wtr = writer(buf);
        let lang = labels.lang();
        // Writing into a Vec cannot fail.
        let _ = wtr.write_record(Column::ALL.iter().map(|c| c.heading(lang)));
        Encoder {
            buf: wtr.into_inner().unwrap_or_default(),
            labels,
            mediators: HashMap::new(),
            written: Arc::default(),
        }
    }

    /// Takes in what the query's task sent: the names, or cases to append.
    pub fn part(&mut self, part: Part) -> csv::Result<()> {
        match part {
            Part::Mediators(names) => {
                self.mediators = names;
                Ok(())
            }
            Part::Day(day) => self.day(&day),
            Part::Batch(batch) => self.batch(&batch),
        }
    }

    /// Appends a day's cases (SQLite's part).
    pub fn day(&mut self, day: &Day) -> csv::Result<()> {
        let cases = day.cases().map_err(|e| csv::Error::from(std::io::Error::other(e)))?;
        self.rows(cases.iter().map(|c| (day.received_on.as_str(), c)))
    }

    /// Appends a batch of cases (PostgreSQL's part).
    pub fn batch(&mut self, batch: &Batch) -> csv::Result<()> {
        let cases = batch.cases().map_err(|e| csv::Error::from(std::io::Error::other(e)))?;
        self.rows(cases.iter().map(|(received_on, c)| (received_on.as_ref(), c)))
    }

    /// Appends cases with the days they were received. (A csv writer per
    /// call: it lends its buffer back only when it is done.)
    fn rows<'c>(&mut self, cases: impl Iterator<Item = (&'c str, &'c ExportCase<'c>)>) -> csv::Result<()> {
        let mut wtr = writer(std::mem::take(&mut self.buf));
        let mut result = Ok(());
        let mut n = 0u64;
        for (received_on, case) in cases {
            result = self.row(&mut wtr, received_on, case);
            if result.is_err() {
                break;
            }
            n += 1;
        }
        self.buf = wtr.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
        self.written.fetch_add(n, Ordering::Relaxed);
        result
    }

    fn row<'r>(&'r self, wtr: &mut csv::Writer<Vec<u8>>, received_on: &str, r: &'r ExportCase<'r>) -> csv::Result<()> {
        let l = &self.labels;
        let [applicants, applicant_types, respondents, respondent_types] = self.parties(r);
        let mediators = self.mediator_names(r.mediator_ids.as_deref());
        let figures = figures(r);
        let cells: [Cow<str>; 27] = [
            guard(&r.case_no),
            Cow::Borrowed(received_on),
            text(&r.accepted_on),
            guard(l.reference(RefList::Source, &r.source)),
            guard(l.reference(RefList::Category, &r.category)),
            guard(&r.project),
            guard(l.reference(RefList::District, &r.district)),
            guard(&r.summary),
            Cow::Owned(r.amount_claimed.map(|f| Money::from_fen(f).plain()).unwrap_or_default()),
            Cow::Borrowed(l.code(r.status)),
            Cow::Borrowed(r.agreement_type.map_or("", |v| l.code(v))),
            Cow::Owned(r.amount_agreed.map(|f| Money::from_fen(f).plain()).unwrap_or_default()),
            text(&r.agreement_on),
            text(&r.performance_due),
            Cow::Borrowed(r.fulfilment.map_or("", |v| l.code(v))),
            Cow::Borrowed(l.code(r.judicial_confirmation)),
            text(&r.closed_on),
            guard(&applicants),
            guard(&applicant_types),
            guard(&respondents),
            guard(&respondent_types),
            guard(&mediators),
            guard(r.agreement_terms.as_deref().unwrap_or("")),
            guard(r.close_reason.as_deref().unwrap_or("")),
            Cow::Owned(figures.people_involved),
            Cow::Owned(figures.prevented_crime),
            Cow::Owned(figures.prevented_petition),
        ];
        wtr.write_record(cells.iter().map(|c| c.as_bytes()))
    }

    /// Applicants, their types, respondents, their types: each joined with `; `.
    fn parties(&self, case: &ExportCase) -> [String; 4] {
        let mut out: [String; 4] = Default::default();
        for (applicant, party_type, name) in case.parties() {
            let (names, types) = if applicant { (0, 1) } else { (2, 3) };
            if !out[names].is_empty() {
                out[names].push_str(JOIN);
                out[types].push_str(JOIN);
            }
            out[names].push_str(name);
            out[types].push_str(self.labels.reference(RefList::PartyType, party_type));
        }
        out
    }

    /// Names of the mediators, by name (then id), joined with `; `.
    fn mediator_names(&self, ids: Option<&str>) -> String {
        let mut found: Vec<(&str, i64)> = ids
            .unwrap_or("")
            .split(',')
            .filter_map(|id| id.trim().parse::<i64>().ok())
            .map(|id| (self.mediators.get(&id).map(String::as_str).unwrap_or(""), id))
            .collect();
        found.sort_unstable();
        let names: Vec<&str> = found.into_iter().map(|(name, _)| name).collect();
        names.join(JOIN)
    }

    /// Bytes written and not yet taken.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Takes everything written so far.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 16 * 1024))
    }
}

/// The official report's three cells as the case form shows them: blank
/// for "the parties" and for none prevented.
fn figures(r: &ExportCase) -> FiguresForm {
    // The schema keeps each within 0..=99,999.
    let count = |v: i64| u32::try_from(v).unwrap_or(0);
    FiguresForm::of(CaseFigures {
        people_involved: r.people_involved.map(count),
        prevented_crime: count(r.prevented_crime_people),
        prevented_petition: count(r.prevented_petition_people),
    })
}

/// An optional text cell.
fn text<'a>(d: &'a Option<Cow<'a, str>>) -> Cow<'a, str> {
    Cow::Borrowed(d.as_deref().unwrap_or(""))
}

/// The export of every case a filter and scope select, in a language, as
/// a stream of CSV chunks, and a count of the cases written so far. The
/// query waits whenever the reader is behind, so memory stays flat;
/// dropping the stream stops it.
pub async fn cases(
    pool: crate::store::Db,
    filter: CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    lang: Lang,
) -> Result<(impl Stream<Item = io::Result<Bytes>> + Send + 'static, Arc<AtomicU64>), sqlx::Error> {
    let labels = Labels::new(&reference::load(&pool).await?, lang);
    let (tx, rx) = mpsc::channel(export::CHANNEL);
    tokio::spawn(export::send_cases(pool, filter, scope, deadlines, tx));
    let encoder = Encoder::new(labels);
    let written = encoder.written.clone();
    Ok((encode(rx, encoder), written))
}

type Parts = mpsc::Receiver<Result<Part, sqlx::Error>>;

fn encode(rx: Parts, encoder: Encoder) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    futures_util::stream::unfold(Some((rx, encoder)), |state| async move {
        let (mut rx, mut enc) = state?;
        loop {
            match rx.recv().await {
                Some(Ok(part)) => {
                    if let Err(e) = enc.part(part) {
                        return Some((Err(io::Error::other(e)), None));
                    }
                    if enc.pending() >= CHUNK {
                        let chunk = Bytes::from(enc.take());
                        return Some((Ok(chunk), Some((rx, enc))));
                    }
                }
                // A broken export must not look like a complete one: the
                // error ends the response without its final chunk.
                Some(Err(e)) => return Some((Err(io::Error::other(e)), None)),
                None => {
                    let rest = enc.take();
                    return (!rest.is_empty()).then(|| (Ok(Bytes::from(rest)), None));
                }
            }
        }
    })
}
