//! The annual report's breakdowns as one CSV: a row per group, tagged with
//! its breakdown (category, source, month, district, mediator), so Excel
//! can filter and pivot it.

use super::cell::{BOM, guard};
use super::columns::{AMOUNT_AGREED, AMOUNT_CLAIMED, CATEGORY, DISTRICT, Heading, SOURCE};
use super::export::writer;
use crate::domain::RefList;
use crate::domain::reference::RefLists;
use crate::domain::stats::{Breakdown, Breakdowns, Row, UNCOUNTED_ABOVE};
use crate::i18n::{Lang, Msg};

/// The headings, in a language (English: keys), in the order of the
/// dashboard's and the report's tables.
const HEADINGS: [Heading; 8] = [
    Heading::new("breakdown", "分类"),
    Heading::new("group", "项目"),
    Heading::new("cases", "登记件数"),
    Heading::new("accepted", "受理件数"),
    Heading::new("settled", "调解成功"),
    Heading::new("success_rate", "成功率(%)"),
    AMOUNT_CLAIMED,
    AMOUNT_AGREED,
];

/// The breakdowns as CSV bytes (BOM first). Groups are labels in Chinese
/// and codes in English; mediators by name; months as `YYYY-MM`.
pub fn encode(b: &Breakdowns, refs: &RefLists, lang: Lang) -> Vec<u8> {
    let mut wtr = writer(BOM.to_vec());
    // Writing into a Vec cannot fail.
    let _ = wtr.write_record(HEADINGS.iter().map(|m| m.text(lang)));
    let tables: [(Heading, &[Row], Option<RefList>, Breakdown); 5] = [
        (CATEGORY, &b.by_category, Some(RefList::Category), Breakdown::Category),
        (SOURCE, &b.by_source, Some(RefList::Source), Breakdown::Source),
        (DISTRICT, &b.by_district, Some(RefList::District), Breakdown::District),
        (
            Heading::new("mediator", "调解员"),
            &b.by_mediator,
            None,
            Breakdown::Mediator,
        ),
        (Heading::new("month", "月份"), &b.by_month, None, Breakdown::Month),
    ];
    // A supervisor's (issue 15): one line per committee, by name.
    for r in &b.by_committee {
        let _ = wtr.write_record(line(
            Heading::new("committee", "调委会").text(lang),
            r.name.as_deref().unwrap_or(&r.key),
            r,
        ));
    }
    for (name, rows, list, breakdown) in tables {
        if b.uncounted.contains(&breakdown) {
            // One line saying why, with the count shown as "10000+".
            let _ = wtr.write_record([
                name.text(lang).to_string(),
                Msg::StUncounted.text(lang).to_string(),
                format!("{UNCOUNTED_ABOVE}+"),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for r in rows {
            let group = match (list, &r.name) {
                (Some(list), _) if lang == Lang::Zh => refs.label(list, &r.key, lang).to_string(),
                (_, Some(name)) => name.clone(),
                _ => r.key.clone(),
            };
            let _ = wtr.write_record(line(name.text(lang), &group, r));
        }
    }
    wtr.into_inner().unwrap_or_default()
}

/// One group's line: its breakdown, its name and its figures.
fn line(breakdown: &str, group: &str, r: &Row) -> [String; 8] {
    [
        breakdown.to_string(),
        guard(group).into_owned(),
        r.cases.to_string(),
        r.accepted.to_string(),
        r.settled.to_string(),
        // Empty when nothing was accepted: there is nothing to divide.
        r.success_rate().shown().unwrap_or_default(),
        r.amount_claimed.plain(),
        r.amount_agreed.plain(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_breakdown_left_uncounted_says_why_in_its_own_line() {
        let b = Breakdowns {
            uncounted: vec![Breakdown::Category, Breakdown::Mediator],
            ..Breakdowns::default()
        };
        for lang in [Lang::Zh, Lang::En] {
            let bytes = encode(&b, &RefLists::default(), lang);
            let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
            let lines: Vec<&str> = text.lines().skip(1).collect();
            assert_eq!(lines.len(), 2, "{text}");
            assert!(lines[0].starts_with(CATEGORY.text(lang)), "{text}");
            assert!(lines[0].contains(Msg::StUncounted.text(lang)), "{text}");
            assert!(lines[0].contains("10000+"), "{text}");
            assert!(
                lines[1].starts_with(Heading::new("mediator", "调解员").text(lang)),
                "{text}"
            );
        }
    }
}
