//! `accord stats --packet --period 2026-Q3 [--committee ID] [--out FILE]`:
//! one committee's figures for a period as a signed statistics packet
//! (issue 16, `domain::packet`), for the parent installation's
//! `POST /api/v1/rollup`. Signed with the configured `rollup_key`; holds
//! counts and sums by code only, never a case or a name.

use std::io::Write;

use super::super::anyhow_like::Result;
use super::StatsArgs;
use crate::config::Config;
use crate::domain::official::OfficialPeriod;
use crate::domain::packet::{self, Contents, OfficialLine, Sender};
use crate::store::stats::official;
use crate::store::{now_utc, orgs, rollup};

pub async fn run(config: Config, args: StatsArgs) -> Result {
    let text = args.period.as_deref().unwrap_or("");
    let period = OfficialPeriod::parse(text).map_err(|e| format!("bad period {text:?}: {e}"))?;
    let key = config.rollup_key.as_deref().ok_or(
        "--packet: set `rollup_key` (in the config file, or ACCORD_ROLLUP_KEY), the key shared with the parent installation",
    )?;
    let pool = super::super::open_database(&config).await?;
    let own: Vec<orgs::Organisation> = orgs::list(&pool)
        .await?
        .into_iter()
        .filter(|o| o.is_committee())
        .collect();
    let committee = match args.committee {
        Some(id) => own
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| format!("no committee has id {id} (see `accord org list`)"))?,
        None => {
            let mut working: Vec<_> = own.into_iter().filter(|o| !o.retired && !o.remote).collect();
            if working.len() != 1 {
                return Err("--packet: name the committee with --committee ID (see `accord org list`)".into());
            }
            working.remove(0)
        }
    };
    let [months, days] = rollup::rows(&pool, committee.id, period).await?;
    let (from, to) = period.bounds();
    let official = official::monthly_cells(&pool, from, to, committee.id)
        .await?
        .into_iter()
        .map(|(month, cell)| OfficialLine {
            month,
            national_type: cell.national_type,
            source_group: cell.source_group,
            figures: cell.figures,
        })
        .collect();
    pool.close().await;
    let contents = Contents {
        period,
        committee: Sender {
            id: committee.id,
            name: committee.name.clone(),
            region_code: committee.region_code.clone(),
        },
        created_at: now_utc(),
        months,
        days,
        official,
    };
    let sealed = packet::seal(key, &contents)?;
    let Contents { months, days, .. } = contents;
    let mut text = serde_json::to_string_pretty(&sealed)?;
    text.push('\n');
    match &args.out {
        Some(path) => {
            // Never over an existing file: a packet sent is a record.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    let received: i64 = (months.iter()).filter(|r| r.dim == "all").map(|r| r.received).sum();
    eprintln!(
        "statistics packet of {} (committee {}) for {}: {} cases received, {} rows, signed",
        committee.name,
        committee.id,
        period.code(),
        received,
        months.len() + days.len()
    );
    Ok(())
}
