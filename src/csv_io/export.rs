//! Rows from the store, encoded as CSV in chunks as they arrive.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use futures_util::Stream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::cell::{BOM, JOIN, guard};
use super::columns::Column;
use super::labels::Labels;
use crate::domain::official::CaseFigures;
use crate::domain::{CaseFilter, Deadlines, Money, RefList};
use crate::i18n::Lang;
use crate::store::cases::Scope;
use crate::store::export::{self, ExportCase, Part};
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

/// The BOM and the heading row.
fn heading(lang: Lang) -> Vec<u8> {
    let mut buf = Vec::with_capacity(CHUNK + 16 * 1024);
    buf.extend_from_slice(BOM);
    let mut wtr = writer(buf);
    // Writing into a Vec cannot fail.
    let _ = wtr.write_record(Column::ALL.iter().map(|c| c.heading(lang)));
    wtr.into_inner().unwrap_or_default()
}

/// Turns the parts of cases the query's task sends into CSV rows, a part
/// at a time, on whichever thread encodes it (see [`IN_FLIGHT`]).
pub struct Encoder {
    labels: Labels,
    /// Mediator names by id, as the query's task sends them first.
    mediators: HashMap<i64, String>,
    /// Buffers that parts finished with, for the next ones: a row writes
    /// its cells into them instead of allocating its own.
    spare: Mutex<Vec<Scratch>>,
}

/// A part's reused buffers.
#[derive(Default)]
struct Scratch {
    /// Applicants, their types, respondents, their types.
    parties: [String; 4],
    /// The amounts claimed and agreed.
    amounts: [String; 2],
    /// The official report's three figures.
    figures: [String; 3],
    /// The mediators' names cells ([`Scratch::mediator_cells`]) by a
    /// case's mediator ids as the store sends them: cases share a few
    /// combinations, so each is sorted and joined once.
    mediator_names: HashMap<String, usize>,
    mediator_cells: Vec<String>,
}

/// Why a part could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error(transparent)]
    Read(#[from] export::ReadError),
    #[error(transparent)]
    Csv(#[from] csv::Error),
}

impl Encoder {
    fn new(labels: Labels, mediators: HashMap<i64, String>) -> Encoder {
        Encoder {
            labels,
            mediators,
            spare: Mutex::default(),
        }
    }

    /// The rows of a part (none for the names), and how many.
    pub fn encode(&self, part: &Part) -> Result<Encoded, EncodeError> {
        let mut scratch = self.spare.lock().ok().and_then(|mut s| s.pop()).unwrap_or_default();
        let mut wtr = writer(Vec::with_capacity(part.size_hint().max(CHUNK)));
        let n = part.each(|received_on, case| self.row(&mut wtr, &mut scratch, received_on, case));
        if let Ok(mut spare) = self.spare.lock() {
            spare.push(scratch);
        }
        let n = n?;
        let buf = wtr.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
        Ok((buf, n))
    }

    fn row(
        &self,
        wtr: &mut csv::Writer<Vec<u8>>,
        s: &mut Scratch,
        received_on: &str,
        r: &ExportCase<'_>,
    ) -> Result<(), EncodeError> {
        let l = &self.labels;
        self.parties(r, &mut s.parties);
        let mediators = self.mediator_names(s, r.mediator_ids.as_deref());
        for (out, fen) in s.amounts.iter_mut().zip([r.amount_claimed, r.amount_agreed]) {
            out.clear();
            if let Some(fen) = fen {
                Money::from_fen(fen).push_plain(out);
            }
        }
        for (out, n) in s.figures.iter_mut().zip(figures(r)) {
            out.clear();
            if let Some(n) = n {
                // Writing into a String cannot fail.
                let _ = write!(out, "{n}");
            }
        }
        let [applicants, applicant_types, respondents, respondent_types] = &s.parties;
        let [claimed, agreed] = &s.amounts;
        let [people_involved, prevented_crime, prevented_petition] = &s.figures;
        let mediators = &s.mediator_cells[mediators];
        let cells: [Cow<str>; 27] = [
            guard(&r.case_no),
            Cow::Borrowed(received_on),
            text(&r.accepted_on),
            guard(l.reference(RefList::Source, &r.source)),
            guard(l.reference(RefList::Category, &r.category)),
            guard(&r.project),
            guard(l.reference(RefList::District, &r.district)),
            guard(&r.summary),
            Cow::Borrowed(claimed),
            Cow::Borrowed(l.code(r.status)),
            Cow::Borrowed(r.agreement_type.map_or("", |v| l.code(v))),
            Cow::Borrowed(agreed),
            text(&r.agreement_on),
            text(&r.performance_due),
            Cow::Borrowed(r.fulfilment.map_or("", |v| l.code(v))),
            Cow::Borrowed(l.code(r.judicial_confirmation)),
            text(&r.closed_on),
            guard(applicants),
            guard(applicant_types),
            guard(respondents),
            guard(respondent_types),
            guard(mediators),
            guard(r.agreement_terms.as_deref().unwrap_or("")),
            guard(r.close_reason.as_deref().unwrap_or("")),
            Cow::Borrowed(people_involved),
            Cow::Borrowed(prevented_crime),
            Cow::Borrowed(prevented_petition),
        ];
        Ok(wtr.write_record(cells.iter().map(|c| c.as_bytes()))?)
    }

    /// Applicants, their types, respondents, their types: each joined with
    /// `; `, into `out`.
    fn parties(&self, case: &ExportCase, out: &mut [String; 4]) {
        out.iter_mut().for_each(String::clear);
        for (applicant, party_type, name) in case.parties() {
            let (names, types) = if applicant { (0, 1) } else { (2, 3) };
            if !out[names].is_empty() {
                out[names].push_str(JOIN);
                out[types].push_str(JOIN);
            }
            out[names].push_str(name);
            out[types].push_str(self.labels.reference(RefList::PartyType, party_type));
        }
    }

    /// Names of the mediators, by name (then id), joined with `; `: worked
    /// out once for each combination of ids and kept in `s`; the cell's
    /// index in [`Scratch::mediator_cells`].
    fn mediator_names(&self, s: &mut Scratch, ids: Option<&str>) -> usize {
        let ids = ids.unwrap_or("");
        match s.mediator_names.get(ids) {
            Some(&cell) => cell,
            None => {
                let mut found: Vec<(&str, i64)> = ids
                    .split(',')
                    .filter_map(|id| id.trim().parse::<i64>().ok())
                    .map(|id| (self.mediators.get(&id).map(String::as_str).unwrap_or(""), id))
                    .collect();
                found.sort_unstable();
                let names: Vec<&str> = found.into_iter().map(|(name, _)| name).collect();
                s.mediator_cells.push(names.join(JOIN));
                s.mediator_names.insert(ids.to_string(), s.mediator_cells.len() - 1);
                s.mediator_cells.len() - 1
            }
        }
    }
}

/// The official report's three cells as the case form shows them: blank
/// for "the parties" and for none prevented.
fn figures(r: &ExportCase) -> [Option<u32>; 3] {
    // The schema keeps each within 0..=99,999.
    let count = |v: i64| u32::try_from(v).unwrap_or(0);
    CaseFigures {
        people_involved: r.people_involved.map(count),
        prevented_crime: count(r.prevented_crime_people),
        prevented_petition: count(r.prevented_petition_people),
    }
    .shown()
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
    let written = Arc::<AtomicU64>::default();
    let pipeline = Pipeline {
        rx,
        labels: Some(labels),
        encoder: None,
        running: VecDeque::new(),
        buf: heading(lang),
        written: written.clone(),
        received: false,
    };
    Ok((encode(pipeline), written))
}

type Parts = mpsc::Receiver<Result<Part, sqlx::Error>>;

/// Parts encoded at once, each on a blocking thread of its own. One
/// thread encoding every part held PostgreSQL's export to 110,000 rows a
/// second (issue 14): decoding and encoding a row cost more than the
/// query and the database together.
const IN_FLIGHT: usize = 2;

/// A part's rows as CSV, and how many.
pub type Encoded = (Vec<u8>, u64);

/// An export between the query's task and the response.
struct Pipeline {
    rx: Parts,
    /// The labels, until the names arrive and make the encoder.
    labels: Option<Labels>,
    encoder: Option<Arc<Encoder>>,
    /// The parts being encoded, in the export's order.
    running: VecDeque<JoinHandle<Result<Encoded, EncodeError>>>,
    /// Encoded and not yet sent.
    buf: Vec<u8>,
    written: Arc<AtomicU64>,
    /// The query's task is done: nothing more will arrive.
    received: bool,
}

impl Pipeline {
    /// Starts encoding a part on a thread of its own.
    fn start(&mut self, part: Part) -> io::Result<()> {
        if let Part::Mediators(names) = part {
            let labels = self
                .labels
                .take()
                .ok_or_else(|| io::Error::other("the names came twice"))?;
            self.encoder = Some(Arc::new(Encoder::new(labels, names)));
            return Ok(());
        }
        let encoder = self
            .encoder
            .clone()
            .ok_or_else(|| io::Error::other("cases came before the names"))?;
        self.running
            .push_back(tokio::task::spawn_blocking(move || encoder.encode(&part)));
        Ok(())
    }

    /// Waits for the oldest part being encoded and keeps its rows.
    async fn finish_oldest(&mut self) -> io::Result<()> {
        let Some(oldest) = self.running.pop_front() else {
            return Ok(());
        };
        let (rows, n) = oldest.await.map_err(io::Error::other)?.map_err(io::Error::other)?;
        self.written.fetch_add(n, Ordering::Relaxed);
        if self.buf.is_empty() {
            self.buf = rows;
        } else {
            self.buf.extend_from_slice(&rows);
        }
        Ok(())
    }

    /// The next chunk of at least [`CHUNK`] bytes (the last one: what is
    /// left), or `None` at the end.
    async fn next_chunk(&mut self) -> Option<io::Result<Bytes>> {
        loop {
            if self.buf.len() >= CHUNK {
                return Some(Ok(Bytes::from(std::mem::take(&mut self.buf))));
            }
            if self.running.len() >= IN_FLIGHT || (self.received && !self.running.is_empty()) {
                if let Err(e) = self.finish_oldest().await {
                    return Some(Err(e));
                }
                continue;
            }
            if self.received {
                let rest = std::mem::take(&mut self.buf);
                return (!rest.is_empty()).then(|| Ok(Bytes::from(rest)));
            }
            match self.rx.recv().await {
                Some(Ok(part)) => {
                    if let Err(e) = self.start(part) {
                        return Some(Err(e));
                    }
                }
                // A broken export must not look like a complete one: the
                // error ends the response without its final chunk.
                Some(Err(e)) => return Some(Err(io::Error::other(e))),
                None => self.received = true,
            }
        }
    }
}

fn encode(pipeline: Pipeline) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    futures_util::stream::unfold(Some(pipeline), |state| async move {
        let mut pipeline = state?;
        match pipeline.next_chunk().await {
            Some(Ok(chunk)) => Some((Ok(chunk), Some(pipeline))),
            // Nothing after an error.
            Some(Err(e)) => Some((Err(e), None)),
            None => None,
        }
    })
}
