//! `accord stats --official --period 2026-Q3 --csv|--json [--committee ID]`:
//! the official statistics report (issue 16) for programs and Excel. The
//! same figures as `GET /reports/official`.

use serde_json::{Value, json};

use super::super::anyhow_like::Result;
use super::{StatsArgs, is_provisional};
use crate::config::Config;
use crate::csv_io::official;
use crate::domain::official::{Figures, OfficialPeriod, OfficialReport};
use crate::store::cases::Scope;

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
    let (report, names) = official::report(&pool, period, scope).await?;
    pool.close().await;
    let out = if args.csv {
        official::csv(&report, &names, config.default_language)
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
