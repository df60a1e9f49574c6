//! `accord stats [--year Y | --from D --to D] [--json]`: the statistics of
//! a period, as a table for people or as JSON for programs; `--official`
//! the official statistics report (issue 16, [`official`]); `--packet` a
//! committee's signed statistics packet for the parent installation
//! ([`packet`]).

mod official;
mod packet;

use clap::Args;
use serde_json::{Value, json};

use super::anyhow_like::Result;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::reference::RefLists;
use crate::domain::stats::{Rate, Row, Stats, millions};
use crate::domain::{CaseFilter, Deadlines, Period, RefList};
use crate::i18n::{Lang, Msg};
use crate::store::cases::Scope;
use crate::store::{self, reference};

/// The options of `accord stats`; a struct so more can join (e.g. `--csv`).
#[derive(Debug, Clone, Default, Args)]
pub struct StatsArgs {
    /// One calendar year, e.g. 2023.
    #[arg(long, value_name = "YEAR", conflicts_with_all = ["from", "to"])]
    pub year: Option<String>,
    /// First day of a range (with --to), e.g. 2023-01-01.
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<String>,
    /// Last day of a range (with --from).
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<String>,
    /// Print a JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Print the breakdowns as CSV (UTF-8 with BOM) for the annual report's tables.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// The official statistics report (人民调解工作统计表) of --period, as --csv or --json.
    #[arg(long, conflicts_with_all = ["year", "from", "to"], requires = "period")]
    pub official: bool,
    /// One committee's figures of --period as a statistics packet signed with
    /// `rollup_key`, for the parent installation's POST /api/v1/rollup.
    #[arg(long, conflicts_with_all = ["year", "from", "to", "official", "json", "csv"], requires = "period")]
    pub packet: bool,
    /// The period of --official or --packet: a month (2026-07), a quarter (2026-Q3) or a year (2026).
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// The committee (its id) of --official (without it, every committee's
    /// added up) or of --packet (without it, the only one).
    #[arg(long, value_name = "ID")]
    pub committee: Option<i64>,
    /// Where --packet writes the packet (a new file); without it, standard output.
    #[arg(long, value_name = "FILE", requires = "packet")]
    pub out: Option<std::path::PathBuf>,
}

impl StatsArgs {
    /// The period asked for; none means every year.
    pub fn period(&self) -> Result<Period> {
        Period::parse(self.year.as_deref(), self.from.as_deref(), self.to.as_deref())
            .map_err(|e| format!("bad period: {e}").into())
    }
}

pub async fn run(config: Config, args: StatsArgs) -> Result {
    if args.official {
        return official::run(config, args).await;
    }
    if args.packet {
        return packet::run(config, args).await;
    }
    if args.period.is_some() || args.committee.is_some() {
        return Err("--period and --committee go with --official or --packet".into());
    }
    let period = args.period()?;
    let pool = super::open_database(&config).await?;
    let today = Clock::System.today(config.timezone);
    let deadlines = Deadlines::new(today, config.mediation_limit_days);
    if args.csv {
        // Issue 6: the same breakdowns as GET /export/stats.csv.
        let breakdowns =
            store::stats::breakdowns(&pool, &period, &CaseFilter::default(), Scope::All, deadlines).await?;
        let refs = reference::load(&pool).await?;
        let bytes = crate::csv_io::stats::encode(&breakdowns, &refs, config.default_language);
        std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes)?;
        pool.close().await;
        return Ok(());
    }
    let stats = store::stats::stats(&pool, &period, &CaseFilter::default(), Scope::All, deadlines).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&json_of(&stats))?);
    } else {
        let refs = reference::load(&pool).await?;
        print!("{}", table(&stats, &refs, config.default_language));
    }
    pool.close().await;
    Ok(())
}

/// The JSON form: amounts as strings with two decimals, rates as strings
/// with one decimal, codes rather than labels.
pub fn json_of(stats: &Stats) -> Value {
    let t = &stats.totals;
    let (from, to) = stats.period.bounds();
    let rows = |rows: &[Row], key: &str| -> Value {
        rows.iter()
            .map(|r| {
                let mut v = json!({
                    key: r.key,
                    "cases": r.cases,
                    "amount_claimed": r.amount_claimed.plain(),
                    "accepted": r.accepted,
                    "settled": r.settled,
                    "success_rate": r.success_rate().percent(),
                    "provisional": is_provisional(r.success_rate(), r.in_mediation),
                    "in_mediation": r.in_mediation,
                    "amount_agreed": r.amount_agreed.plain(),
                });
                if let Some(name) = &r.name {
                    v["name"] = json!(name);
                }
                v
            })
            .collect()
    };
    json!({
        "period": match stats.period {
            Period::All => json!({"all": true}),
            Period::Year(y) => json!({"year": y, "from": from, "to": to}),
            Period::Range { .. } => json!({"from": from, "to": to}),
        },
        "cases_total": t.cases_total,
        "accepted": t.accepted,
        "settled": t.settled,
        "failed": t.failed,
        "withdrawn": t.withdrawn,
        "declined": t.declined,
        "in_mediation": t.in_mediation,
        "registered": t.registered,
        "success_rate": t.success_rate().percent(),
        // As the dashboard's 暂: the rate may change while `in_mediation` > 0.
        "provisional": is_provisional(t.success_rate(), t.in_mediation),
        "amount_claimed_total": t.amount_claimed.plain(),
        "amount_agreed_total": t.amount_agreed.plain(),
        "average_days_to_close": t.average_days_to_close(),
        "fulfilment_rate": t.fulfilment_rate().percent(),
        "overdue": t.overdue,
        "by_category": rows(&stats.breakdowns.by_category, "category"),
        "by_source": rows(&stats.breakdowns.by_source, "source"),
        "by_district": rows(&stats.breakdowns.by_district, "district"),
        "by_mediator": rows(&stats.breakdowns.by_mediator, "mediator_id"),
        "by_month": rows(&stats.breakdowns.by_month, "month"),
    })
}

/// Display width: CJK characters take two columns in a terminal.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Whether a rate is provisional (暂): cases accepted in the period are
/// still in mediation and there is a rate to qualify, as on the dashboard
/// (`web::views::rates`).
fn is_provisional(rate: Rate, open: i64) -> bool {
    open > 0 && rate.shown().is_some()
}

/// `(暂,3件调解中)` while the rate [`is_provisional`].
fn provisional_note(rate: Rate, open: i64, lang: Lang) -> Option<String> {
    is_provisional(rate, open).then(|| Msg::StProvisionalNote.text(lang).replace("{n}", &open.to_string()))
}

/// `96.9%`, `50.0%(暂,3件调解中)` or `—`.
fn rate_text(rate: Rate, open: i64, lang: Lang) -> String {
    match rate.shown() {
        None => "—".into(),
        Some(p) => format!("{p}%{}", provisional_note(rate, open, lang).unwrap_or_default()),
    }
}

/// The table for people, in the configured language.
pub fn table(stats: &Stats, refs: &RefLists, lang: Lang) -> String {
    let t = &stats.totals;
    let amount = |m| match lang {
        Lang::Zh => format!("{}{}", crate::domain::Money::wan(m), Msg::StWan.text(lang)),
        Lang::En => format!("{} {}", millions(m), Msg::StWan.text(lang)),
    };
    let (from, to) = stats.period.bounds();
    let mut out = match stats.period {
        Period::All => format!("{}\n", Msg::StAllYears.text(lang)),
        _ => format!("{} {from} – {to}\n", Msg::StPeriod.text(lang)),
    };
    let lines: Vec<(Msg, String)> = vec![
        (Msg::StCases, t.cases_total.to_string()),
        (Msg::StAccepted, t.accepted.to_string()),
        (Msg::StSettled, t.settled.to_string()),
        (Msg::StatusFailed, t.failed.to_string()),
        (Msg::StatusWithdrawn, t.withdrawn.to_string()),
        (Msg::StatusDeclined, t.declined.to_string()),
        (Msg::StatusInMediation, t.in_mediation.to_string()),
        (Msg::StSuccessRate, rate_text(t.success_rate(), t.in_mediation, lang)),
        (
            Msg::StClaimed,
            format!("{} ({})", amount(t.amount_claimed), t.amount_claimed),
        ),
        (
            Msg::StAgreed,
            format!("{} ({})", amount(t.amount_agreed), t.amount_agreed),
        ),
        (Msg::StAvgDays, t.average_days_to_close().unwrap_or_else(|| "—".into())),
        (
            Msg::StFulfilment,
            t.fulfilment_rate()
                .shown()
                .map_or_else(|| "—".to_string(), |p| format!("{p}%")),
        ),
        (Msg::StOverdue, t.overdue.to_string()),
    ];
    for (msg, value) in lines {
        out.push_str(&format!("  {} {value}\n", pad(msg.text(lang), 24)));
    }
    let b = &stats.breakdowns;
    let sections: [(Msg, &[Row], Option<RefList>); 5] = [
        (Msg::StByCategory, &b.by_category, Some(RefList::Category)),
        (Msg::StBySource, &b.by_source, Some(RefList::Source)),
        (Msg::StByDistrict, &b.by_district, Some(RefList::District)),
        (Msg::StByMediator, &b.by_mediator, None),
        (Msg::StByMonth, &b.by_month, None),
    ];
    for (title, rows, list) in sections {
        out.push_str(&format!("\n{}\n", title.text(lang)));
        out.push_str(&format!(
            "  {} {:>9} {:>9} {:>9} {:>7} {:>18}\n",
            pad("", 28),
            Msg::StCases.text(lang),
            Msg::StAccepted.text(lang),
            Msg::StSettled.text(lang),
            "%",
            Msg::StClaimed.text(lang)
        ));
        for r in rows {
            let label = match (list, &r.name) {
                (Some(list), _) => refs.label(list, &r.key, lang).to_string(),
                (None, Some(name)) => name.clone(),
                (None, None) => r.key.clone(),
            };
            out.push_str(&format!(
                "  {} {:>9} {:>9} {:>9} {:>7} {:>18}{}\n",
                pad(&label, 28),
                r.cases,
                r.accepted,
                r.settled,
                r.success_rate().shown().unwrap_or_else(|| "—".into()),
                r.amount_claimed.plain(),
                // After the last column, so the columns stay aligned.
                provisional_note(r.success_rate(), r.in_mediation, lang)
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default()
            ));
        }
    }
    out
}
