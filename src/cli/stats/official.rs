//! `accord stats --official --period 2026-Q3 --csv|--json [--committee ID]`:
//! the official statistics report (issue 16) for programs and Excel. The
//! same figures as `GET /reports/official`.

use serde_json::{Value, json};

use super::super::anyhow_like::Result;
use super::{StatsArgs, is_provisional};
use crate::config::Config;
use crate::csv_io::cell::{BOM, guard};
use crate::csv_io::export::writer;
use crate::domain::official::{Figures, OfficialPeriod, OfficialReport};
use crate::i18n::{Label, Lang, Msg};
use crate::store::cases::Scope;
use crate::store::orgs;
use crate::store::stats::official as store;

pub async fn run(config: Config, args: StatsArgs) -> Result {
    let text = args.period.as_deref().unwrap_or("");
    let period = OfficialPeriod::parse(text).map_err(|e| format!("bad period {text:?}: {e}"))?;
    if args.csv == args.json {
        return Err("--official writes --csv or --json: give one".into());
    }
    let pool = super::super::open_database(&config).await?;
    let scope = match args.committee {
        Some(id) => {
            let id = super::super::committee(&pool, &config, id).await?.id;
            let narrow = crate::store::cases::committee_is_narrow(&pool, id).await?;
            Scope::Committee { id, narrow }
        }
        None => Scope::All,
    };
    let (from, to) = period.bounds();
    let report = OfficialReport::from_cells(&store::cells(&pool, from, to, scope).await?);
    let mut names = Vec::new();
    for (id, _) in &report.by_committee {
        names.push(orgs::get(&pool, *id).await?.map(|o| o.name).unwrap_or_default());
    }
    pool.close().await;
    let out = if args.csv {
        csv(&report, &names, config.default_language)
    } else {
        let mut text = serde_json::to_string_pretty(&json_of(period, &report, &names))?;
        text.push('\n');
        text.into_bytes()
    };
    std::io::Write::write_all(&mut std::io::stdout().lock(), &out)?;
    Ok(())
}

/// A figure's JSON: counts as numbers, money as a string with two
/// decimals, rates as strings with one decimal (`null` with nothing to divide).
fn figures_json(f: &Figures) -> Value {
    json!({
        "accepted": f.accepted,
        "settled": f.settled,
        "success_rate": f.success_rate().shown(),
        "provisional": is_provisional(f.success_rate(), f.in_mediation),
        "in_mediation": f.in_mediation,
        "amount_agreed": f.amount_agreed.plain(),
        "people_involved": f.people,
        "fulfilment_rate": f.fulfilment_rate().shown(),
        "prevented_crime": {"cases": f.crime_cases, "people": f.crime_people},
        "prevented_petition": {"cases": f.petition_cases, "people": f.petition_people},
    })
}

/// The report as JSON, codes rather than labels.
pub fn json_of(period: OfficialPeriod, r: &OfficialReport, names: &[String]) -> Value {
    let (from, to) = period.bounds();
    let mut totals = figures_json(&r.totals);
    totals["period"] = json!({"code": period.code(), "from": from.to_string(), "to": to.to_string()});
    // Each line's figures, with its key (and, for a committee, its name).
    let lines = |rows: Vec<(Value, &Figures)>, key: &str| -> Value {
        rows.into_iter()
            .map(|(id, f)| {
                let mut v = figures_json(f);
                v[key] = id;
                v
            })
            .collect()
    };
    totals["by_source_group"] = lines(
        r.by_source.iter().map(|(g, f)| (json!(g.code()), f)).collect(),
        "source_group",
    );
    totals["by_national_type"] = lines(
        r.by_type.iter().map(|(t, f)| (json!(t.code()), f)).collect(),
        "national_type",
    );
    totals["by_committee"] = lines(
        r.by_committee.iter().map(|(id, f)| (json!(id), f)).collect(),
        "committee_id",
    );
    if let Some(rows) = totals["by_committee"].as_array_mut() {
        for (v, name) in rows.iter_mut().zip(names) {
            v["name"] = json!(name);
        }
    }
    totals
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
