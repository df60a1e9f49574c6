//! The write side of the benchmark, on scratch files beside `--db`: what
//! each durability setting costs (case registrations per second, each its
//! own transaction, as from the form), and how long a big CSV import
//! holds the write lock.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use super::super::anyhow_like::Result;
use crate::csv_io::import::{self, Options};
use crate::domain::case::{CaseInput, PartyInput};
use crate::domain::{Durability, Money, PartyRole, Phone};
use crate::store::orgs::{Committee, FIRST_COMMITTEE};
use crate::store::{self, mediators};

/// A scratch database file next to `db`, removed (with its WAL) on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(db: &Path, name: &str) -> Scratch {
        let dir = db
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let scratch = Scratch(dir.join(format!(".accord-bench-{name}-{}.db", std::process::id())));
        scratch.remove();
        scratch
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.remove();
    }
}

fn case(mediator: i64, n: usize) -> CaseInput {
    let party = |role, party_type: &str, name: String| PartyInput {
        role,
        party_type: party_type.to_string(),
        name,
        phone: Phone::default(),
        details: Default::default(),
    };
    CaseInput {
        received_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
        source: "party_application".into(),
        category: "fees".into(),
        project: format!("第{n}号楼"),
        district: "chaoyang".into(),
        summary: "业主拖欠物业费两年,物业公司申请调解。".repeat(4),
        amount_claimed: Some(Money::from_fen(1_234_560)),
        parties: vec![
            party(PartyRole::Applicant, "property_company", format!("物业公司{n}")),
            party(PartyRole::Respondent, "owner", format!("业主{n}")),
        ],
        mediator_ids: vec![mediator],
        figures: Default::default(),
    }
}

/// Case registrations per second with a durability setting.
async fn creates_per_second(db: &Path, durability: Durability, creates: usize) -> Result<f64> {
    let scratch = Scratch::new(db, durability.code());
    let pool = store::open_with(&scratch.0, store::BUSY_TIMEOUT, durability).await?;
    let mediator = mediators::insert(&pool, FIRST_COMMITTEE, "王调解", "", true).await?;
    let committee = Committee::first("物调");
    let started = Instant::now();
    for n in 0..creates {
        store::cases::create(&pool, &case(mediator, n), &committee, None).await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    pool.close().await;
    Ok(creates as f64 / seconds.max(1e-9))
}

/// Prints case creates per second with `full` and `normal` side by side.
pub async fn durability(db: &Path, creates: usize) -> Result {
    let full = creates_per_second(db, Durability::Full, creates).await?;
    let normal = creates_per_second(db, Durability::Normal, creates).await?;
    println!(
        "{:<36} {:>10} {:>12} {:>8}",
        "case creates per second", "full", "normal", "ratio"
    );
    println!(
        "{:<36} {:>10.0} {:>12.0} {:>8.2}",
        format!("{creates} creates, one transaction each"),
        full,
        normal,
        normal / full.max(1e-9)
    );
    println!("durability = \"full\" (the default) keeps every commit through a power cut; ratio = normal / full");
    Ok(())
}

/// An import file in the export's English format.
fn import_file(rows: usize) -> String {
    let mut file = String::from(
        "case_no,received_on,accepted_on,source,category,project,district,summary,amount_claimed,status,\
         agreement_type,amount_agreed,agreement_on,performance_due,fulfilment,judicial_confirmation,closed_on,\
         applicants,applicant_type,respondents,respondent_type,mediators\n",
    );
    let categories = ["fees", "parking", "repairs_leaks", "neighbour", "renovation"];
    let districts = ["chaoyang", "haidian", "dongcheng", "fengtai"];
    for i in 0..rows {
        let year = 2023 + (i % 3);
        let received = format!("{year}-{:02}-{:02}", 1 + (i % 12), 1 + (i % 28));
        let outcome = if i % 4 == 0 {
            format!(
                "settled,written,{},{received},{year}-12-31,pending,,{received}",
                (i * 11) % 50_000
            )
        } else {
            "registered,,,,,,,".to_string()
        };
        let accepted = if i % 4 == 0 { received.as_str() } else { "" };
        file.push_str(&format!(
            ",{received},{accepted},party_application,{},第{i}号楼,{},\"业主{i}与物业就费用发生争议,要求调解。\",{}.{:02},{outcome},\
             业主{i};业主{i}家属,owner,物业公司{},property_company,调解员{}\n",
            categories[i % categories.len()],
            districts[i % districts.len()],
            (i * 37) % 100_000,
            i % 100,
            i % 50,
            i % 7,
        ));
    }
    file
}

/// Imports `rows` rows into a fresh file and prints the whole time and
/// the time the write lock was held.
pub async fn import(db: &Path, rows: usize, durability: Durability) -> Result {
    let scratch = Scratch::new(db, "import");
    let pool = store::open_with(&scratch.0, store::BUSY_TIMEOUT, durability).await?;
    let file = import_file(rows);
    let options = Options {
        today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default(),
        committee: Committee::first("物调"),
        actor: None,
        dry_run: false,
        max_parties_per_side: 50,
    };
    let started = Instant::now();
    let report = import::run(&pool, file.as_bytes(), &options)
        .await
        .map_err(|e| format!("the benchmark's import failed: {e}"))?;
    let total = started.elapsed().as_secs_f64();
    pool.close().await;
    let locked = report.locked.as_secs_f64();
    println!(
        "{:<36} {:>8.2} s total {:>8.2} s write lock   target < 3 s   {}",
        format!("import, {} rows ({:.0} MB)", report.cases, file.len() as f64 / 1e6),
        total,
        locked,
        if locked < 3.0 { "ok" } else { "SLOW" }
    );
    Ok(())
}
