//! The annual report's breakdowns as one CSV: a row per group, tagged with
//! its breakdown (category, source, month, district, mediator), so Excel
//! can filter and pivot it.

use super::cell::{BOM, guard};
use super::export::writer;
use crate::domain::RefList;
use crate::domain::stats::{Breakdowns, Row};
use crate::i18n::{Lang, Msg};
use crate::store::reference::RefLists;

/// The headings, in a language (English: keys).
const HEADINGS: [Msg; 8] = [
    Msg::CsvStatsBreakdown,
    Msg::CsvStatsGroup,
    Msg::CsvStatsCases,
    Msg::CsvAmountClaimed,
    Msg::CsvStatsAccepted,
    Msg::CsvStatsSettled,
    Msg::CsvStatsSuccessRate,
    Msg::CsvAmountAgreed,
];

/// The breakdowns as CSV bytes (BOM first). Groups are labels in Chinese
/// and codes in English; mediators by name; months as `YYYY-MM`.
pub fn encode(b: &Breakdowns, refs: &RefLists, lang: Lang) -> Vec<u8> {
    let mut wtr = writer(BOM.to_vec());
    // Writing into a Vec cannot fail.
    let _ = wtr.write_record(HEADINGS.iter().map(|m| m.text(lang)));
    let tables: [(Msg, &[Row], Option<RefList>); 5] = [
        (Msg::CsvCategory, &b.by_category, Some(RefList::Category)),
        (Msg::CsvSource, &b.by_source, Some(RefList::Source)),
        (Msg::CsvStatsMonth, &b.by_month, None),
        (Msg::CsvDistrict, &b.by_district, Some(RefList::District)),
        (Msg::CsvStatsMediator, &b.by_mediator, None),
    ];
    for (name, rows, list) in tables {
        for r in rows {
            let group = match (list, &r.name) {
                (Some(list), _) if lang == Lang::Zh => refs.label(list, &r.key, lang).to_string(),
                (_, Some(name)) => name.clone(),
                _ => r.key.clone(),
            };
            let _ = wtr.write_record([
                name.text(lang).to_string(),
                guard(&group).into_owned(),
                r.cases.to_string(),
                r.amount_claimed.plain(),
                r.accepted.to_string(),
                r.settled.to_string(),
                r.success_rate().percent(),
                r.amount_agreed.plain(),
            ]);
        }
    }
    wtr.into_inner().unwrap_or_default()
}
