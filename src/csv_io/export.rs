//! Rows from the store, encoded as CSV in chunks as they arrive.

use std::borrow::Cow;
use std::io;

use axum::body::Bytes;
use futures_util::Stream;
use sqlx::SqlitePool;
use tokio::sync::mpsc;

use super::cell::{BOM, JOIN, guard};
use super::columns::Column;
use super::labels::{Fixed, Labels};
use crate::domain::{CaseFilter, Deadlines, Money, RefList};
use crate::store::cases::Scope;
use crate::store::export::{self, ExportRow};

/// Bytes gathered before a chunk goes out.
const CHUNK: usize = 64 * 1024;

/// The CSV dialect of every file Accord writes.
pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::with_capacity(CHUNK + 8 * 1024))
}

/// Turns export rows into CSV bytes: the BOM and the heading first.
pub struct Encoder {
    wtr: csv::Writer<Vec<u8>>,
    labels: Labels,
}

impl Encoder {
    pub fn new(labels: Labels) -> Encoder {
        let mut wtr = writer();
        wtr.get_mut().extend_from_slice(BOM);
        let lang = labels.lang();
        // Writing into a Vec cannot fail.
        let _ = wtr.write_record(Column::ALL.iter().map(|c| c.heading(lang)));
        Encoder { wtr, labels }
    }

    /// Appends one case.
    pub fn row(&mut self, r: &ExportRow) -> csv::Result<()> {
        let l = &self.labels;
        let date = |d: &Option<String>| Cow::Owned(d.clone().unwrap_or_default());
        let fixed = |list: Fixed, code: &Option<String>| match code {
            Some(c) => Cow::Owned(l.fixed(list, c).to_string()),
            None => Cow::Borrowed(""),
        };
        let cells: [Cow<str>; 22] = [
            guard(&r.case_no),
            Cow::Borrowed(r.received_on.as_str()),
            date(&r.accepted_on),
            guard(l.reference(RefList::Source, &r.source)),
            guard(l.reference(RefList::Category, &r.category)),
            guard(&r.project),
            guard(l.reference(RefList::District, &r.district)),
            guard(&r.summary),
            Cow::Owned(Money::from_fen(r.amount_claimed).plain()),
            Cow::Borrowed(l.fixed(Fixed::Status, &r.status)),
            fixed(Fixed::AgreementType, &r.agreement_type),
            Cow::Owned(r.amount_agreed.map(|f| Money::from_fen(f).plain()).unwrap_or_default()),
            date(&r.agreement_on),
            date(&r.performance_due),
            fixed(Fixed::Fulfilment, &r.fulfilment),
            Cow::Borrowed(l.fixed(Fixed::JudicialConfirmation, &r.judicial_confirmation)),
            date(&r.closed_on),
            names(&r.applicants),
            types(l, &r.applicant_types),
            names(&r.respondents),
            types(l, &r.respondent_types),
            names(&r.mediators),
        ];
        self.wtr.write_record(cells.iter().map(|c| c.as_bytes()))
    }

    /// Bytes written so far and not yet taken (less the writer's own
    /// small buffer).
    pub fn pending(&self) -> usize {
        self.wtr.get_ref().len()
    }

    /// Takes everything written so far.
    pub fn take(&mut self) -> Vec<u8> {
        // Flushing into a Vec cannot fail.
        let _ = self.wtr.flush();
        std::mem::replace(self.wtr.get_mut(), Vec::with_capacity(CHUNK + 8 * 1024))
    }
}

fn names(joined: &Option<String>) -> Cow<'_, str> {
    guard(joined.as_deref().unwrap_or(""))
}

fn types<'a>(labels: &'a Labels, joined: &'a Option<String>) -> Cow<'a, str> {
    let joined = joined.as_deref().unwrap_or("");
    match labels.lang() {
        crate::i18n::Lang::En => guard(joined),
        crate::i18n::Lang::Zh => {
            let shown: Vec<&str> = joined
                .split(JOIN)
                .map(|code| labels.reference(RefList::PartyType, code))
                .collect();
            Cow::Owned(guard(&shown.join(JOIN)).into_owned())
        }
    }
}

/// The export of every case a filter and scope select, as a stream of
/// CSV chunks. The query runs in its own task and waits whenever the
/// reader is behind, so memory stays flat; dropping the stream stops it.
pub fn cases(
    pool: SqlitePool,
    filter: CaseFilter,
    scope: Scope,
    deadlines: Deadlines,
    labels: Labels,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    let (tx, rx) = mpsc::channel(export::CHANNEL);
    tokio::spawn(export::send_cases(pool, filter, scope, deadlines, tx));
    encode(rx, Encoder::new(labels))
}

type Batches = mpsc::Receiver<Result<Vec<ExportRow>, sqlx::Error>>;

fn encode(rx: Batches, encoder: Encoder) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    futures_util::stream::unfold(Some((rx, encoder)), |state| async move {
        let (mut rx, mut enc) = state?;
        loop {
            match rx.recv().await {
                Some(Ok(batch)) => {
                    for row in &batch {
                        if let Err(e) = enc.row(row) {
                            return Some((Err(io::Error::other(e)), None));
                        }
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
