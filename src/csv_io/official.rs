//! The official statistics report (issue 16) as CSV: what
//! `accord stats --official --csv` prints and `GET /reports/official.csv`
//! downloads, written here once for both.

use crate::csv_io::cell::{BOM, guard};
use crate::csv_io::export::writer;
use crate::domain::official::{Figures, OfficialPeriod, OfficialReport};
use crate::i18n::{Label, Lang, Msg};
use crate::store::cases::Scope;
use crate::store::orgs;
use crate::store::stats::official as store;

/// The report of a period within a scope, and the name of each committee
/// of its `by_committee` lines, in their order.
pub async fn report(
    pool: &crate::store::Db,
    period: OfficialPeriod,
    scope: Scope,
) -> Result<(OfficialReport, Vec<String>), sqlx::Error> {
    let (from, to) = period.bounds();
    let report = OfficialReport::from_cells(&store::cells(pool, from, to, scope).await?);
    let mut names = Vec::with_capacity(report.by_committee.len());
    for (id, _) in &report.by_committee {
        names.push(orgs::get(pool, *id).await?.map(|o| o.name).unwrap_or_default());
    }
    Ok((report, names))
}

/// `accord-official-2026-Q3.csv`.
pub fn file_name(period: OfficialPeriod) -> String {
    format!("accord-official-{}.csv", period.code())
}

/// Headings: English keys, or the report's Chinese words.
const HEADINGS: [(&str, &str); 13] = [
    ("section", "分类"),
    ("group", "项目"),
    ("accepted", "受理纠纷数"),
    ("settled", "调解成功数"),
    ("success_rate", "调解成功率(%)"),
    ("in_mediation", "调解中(件)"),
    ("amount_agreed", "协议涉及金额(元)"),
    ("people_involved", "涉及当事人人数"),
    ("fulfilment_rate", "协议履行率(%)"),
    ("prevented_crime_cases", "防止民转刑(件)"),
    ("prevented_crime_people", "防止民转刑(人)"),
    ("prevented_petition_cases", "防止群体性上访(件)"),
    ("prevented_petition_people", "防止群体性上访(人)"),
];

/// The report as CSV (BOM first): the total, then every source group and
/// every national type (zeros included), then each committee. Groups are
/// labels in Chinese and codes in English.
pub fn csv(r: &OfficialReport, names: &[String], lang: Lang) -> Vec<u8> {
    let mut wtr = writer(BOM.to_vec());
    let pick = |(en, zh): (&'static str, &'static str)| if lang == Lang::Zh { zh } else { en };
    // Writing into a Vec cannot fail.
    let _ = wtr.write_record(HEADINGS.map(pick));
    let line = |section: &str, group: &str, f: &Figures| -> Vec<String> {
        vec![
            section.to_string(),
            guard(group).into_owned(),
            f.accepted.to_string(),
            f.settled.to_string(),
            f.success_rate().shown().unwrap_or_default(),
            f.in_mediation.to_string(),
            f.amount_agreed.plain(),
            f.people.to_string(),
            f.fulfilment_rate().shown().unwrap_or_default(),
            f.crime_cases.to_string(),
            f.crime_people.to_string(),
            f.petition_cases.to_string(),
            f.petition_people.to_string(),
        ]
    };
    let group = |code: &'static str, label: &'static str| if lang == Lang::Zh { label } else { code };
    let _ = wtr.write_record(line(pick(("total", "合计")), Msg::StTotal.text(lang), &r.totals));
    for (g, f) in &r.by_source {
        let _ = wtr.write_record(line(
            pick(("source_group", "案件来源")),
            group(g.code(), g.label(lang)),
            f,
        ));
    }
    for (t, f) in &r.by_type {
        let _ = wtr.write_record(line(
            pick(("national_type", "纠纷类型")),
            group(t.code(), t.label(lang)),
            f,
        ));
    }
    for ((id, f), name) in r.by_committee.iter().zip(names) {
        let label = if lang == Lang::Zh { name.clone() } else { id.to_string() };
        let _ = wtr.write_record(line(pick(("committee", "调委会")), &label, f));
    }
    wtr.into_inner().unwrap_or_default()
}
