//! The synthetic cases, drawn from one seed so the same seed always gives
//! the same data.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::estates::{CATEGORIES, SOURCES, place, weighted};
use super::names;
use super::outcome::outcome;
use crate::domain::workflow::Judicial;
use crate::domain::{CaseNo, PartyRole, Status};
use crate::store::demo::DemoCase;

/// The demo covers these seven years; the last cases are still open.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).expect("a valid date")
}

pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 31).expect("a valid date")
}

/// What to generate.
pub struct Plan {
    pub cases: usize,
    pub seed: u64,
    /// When set, amount_claimed adds up to exactly this many fen.
    pub total_claimed: Option<i64>,
    /// The committees the cases join, in turn: case `i` goes to desk
    /// `i % desks.len()`, so each receives cases over all the years.
    pub desks: Vec<Desk>,
    pub first_case_id: i64,
    pub first_session_id: i64,
}

/// One committee as the generator numbers and staffs its cases.
pub struct Desk {
    pub committee_id: i64,
    pub prefix: String,
    /// (id, name) of the committee's mediators to assign.
    pub mediators: Vec<(i64, String)>,
    /// Each year's last case number already used.
    pub counters: BTreeMap<i32, i64>,
}

/// Hands out the cases batch by batch, in the order they were received.
pub struct Generator {
    plan: Plan,
    rng: StdRng,
    /// The official report's fields, on a stream of their own: the other
    /// draws (and so every earlier demo of a seed) stay as they were.
    figures_rng: StdRng,
    categories: Vec<u8>,
    amounts: Vec<i64>,
    next: usize,
    next_session: i64,
}

/// An amount of yuan between two bounds, in fen, rounded to ten yuan.
fn yuan(rng: &mut StdRng, low: i64, high: i64) -> i64 {
    rng.gen_range(low / 10..=high / 10) * 1000
}

/// A plausible amount in dispute for a category; neighbours' quarrels are
/// often about no money at all.
fn claim(rng: &mut StdRng, category: &str) -> i64 {
    match category {
        "fees" => yuan(rng, 800, 20_000),
        "service_quality" => yuan(rng, 0, 12_000),
        "parking" => yuan(rng, 1_000, 12_000),
        "repairs_leaks" => yuan(rng, 2_000, 40_000),
        "neighbour" if rng.gen_bool(0.6) => 0,
        "neighbour" => yuan(rng, 500, 5_000),
        "renovation" => yuan(rng, 0, 20_000),
        "common_revenue" => yuan(rng, 20_000, 150_000),
        "maintenance_fund" => yuan(rng, 30_000, 200_000),
        "handover" => yuan(rng, 10_000, 80_000),
        "owners_committee" => yuan(rng, 0, 30_000),
        "safety_loss" => yuan(rng, 1_000, 30_000),
        _ => yuan(rng, 0, 10_000),
    }
}

impl Generator {
    pub fn new(plan: Plan) -> Generator {
        // Categories and amounts are drawn first, on their own stream, so
        // they can be scaled to an exact total before any case is written.
        let mut pre = StdRng::seed_from_u64(plan.seed ^ 0x5EED_CAFE);
        let categories: Vec<u8> = (0..plan.cases)
            .map(|_| weighted(&mut pre, CATEGORIES, |c| c.1) as u8)
            .collect();
        let mut amounts: Vec<i64> = categories
            .iter()
            .map(|&c| claim(&mut pre, CATEGORIES[c as usize].0))
            .collect();
        if let Some(total) = plan.total_claimed {
            scale_to(&mut amounts, total);
        }
        Generator {
            rng: StdRng::seed_from_u64(plan.seed),
            figures_rng: StdRng::seed_from_u64(plan.seed ^ 0x0FF1_C1A1),
            next_session: plan.first_session_id,
            plan,
            categories,
            amounts,
            next: 0,
        }
    }

    /// The committees with each year's last case number, after the cases
    /// handed out so far.
    pub fn desks(&self) -> &[Desk] {
        &self.plan.desks
    }

    /// The next cases, at most `size`; empty when all are out.
    pub fn batch(&mut self, size: usize) -> Vec<DemoCase> {
        let end = (self.next + size).min(self.plan.cases);
        let batch = (self.next..end).map(|i| self.case(i)).collect();
        self.next = end;
        batch
    }

    fn day(&self, i: usize) -> NaiveDate {
        // More cases in later years, as committees become known: the share
        // of cases received by time t is 0.55 t + 0.45 t², inverted here.
        let span = (last_day() - first_day()).num_days() as f64;
        let f = i as f64 / self.plan.cases.max(1) as f64;
        let t = ((0.55f64 * 0.55 + 1.8 * f).sqrt() - 0.55) / 0.9;
        first_day() + Days::new((span * t) as u64)
    }

    fn case(&mut self, i: usize) -> DemoCase {
        let received = self.day(i);
        let year = received.year();
        let k = i % self.plan.desks.len();
        let desk = &mut self.plan.desks[k];
        let seq = {
            let last = desk.counters.entry(year).or_insert(0);
            *last += 1;
            *last
        };
        let desk = &self.plan.desks[k];
        let rng = &mut self.rng;
        let category = CATEGORIES[self.categories[i] as usize].0;
        let source = SOURCES[weighted(rng, SOURCES, |s| s.1)].0;
        let (district, project) = place(rng);
        let amount = self.amounts[i];
        let parties = parties(rng, category, &project);
        let summary = summary(rng, category, &parties);
        let n_mediators = if rng.gen_bool(0.2) { 2 } else { 1 };
        let mut mediators: Vec<(i64, String)> = Vec::new();
        while mediators.len() < n_mediators.min(desk.mediators.len()) {
            let m = &desk.mediators[rng.gen_range(0..desk.mediators.len())];
            if !mediators.iter().any(|(id, _)| *id == m.0) {
                mediators.push(m.clone());
            }
        }
        let mut case = DemoCase {
            id: self.plan.first_case_id + i as i64,
            committee_id: desk.committee_id,
            case_no: CaseNo::new(&desk.prefix, year, seq).to_string(),
            year,
            seq,
            received_on: received,
            accepted_on: None,
            source,
            category,
            project,
            district,
            summary,
            amount_claimed: amount,
            status: Status::Registered,
            agreement_type: None,
            amount_agreed: None,
            agreement_on: None,
            performance_due: None,
            agreement_terms: None,
            fulfilment: None,
            judicial_confirmation: Judicial::None,
            judicial_applied_on: None,
            closed_on: None,
            close_reason: None,
            routes_informed: None,
            people_involved: None,
            prevented_crime_people: 0,
            prevented_petition_people: 0,
            parties,
            mediators: mediators.iter().map(|(id, _)| *id).collect(),
            sessions: Vec::new(),
            visits: Vec::new(),
        };
        let visitor = mediators.first().map(|(_, n)| n.clone()).unwrap_or_default();
        outcome(rng, &mut case, received, &visitor, &mut self.next_session);
        figures(&mut self.figures_rng, &mut case);
        case
    }
}

/// The official report's fields, as committees fill them: about three
/// cases in ten name more people than their parties (2 to 40, a building's
/// owners behind one committee); about one settled case in a hundred kept
/// 1 to 5 people from 民转刑, one in two hundred 5 to 60 from a mass
/// petition. Drawn for every case, so each case's draws do not depend on
/// the others' outcomes.
fn figures(rng: &mut StdRng, case: &mut DemoCase) {
    let people = rng.gen_range(2..=40);
    let more = rng.gen_bool(0.3);
    let (crime, petition) = (rng.gen_range(1..=5), rng.gen_range(5..=60));
    let (kept_crime, kept_petition) = (rng.gen_bool(0.01), rng.gen_bool(0.005));
    case.people_involved = more.then_some(people);
    if case.status == Status::Settled {
        case.prevented_crime_people = if kept_crime { crime } else { 0 };
        case.prevented_petition_people = if kept_petition { petition } else { 0 };
    }
}

/// Scales amounts so they add up to `total` fen: whole yuan each, and the
/// remainder added to the last case that has an amount.
pub fn scale_to(amounts: &mut [i64], total: i64) {
    let sum: i128 = amounts.iter().map(|&a| a as i128).sum();
    if sum == 0 {
        if let Some(last) = amounts.last_mut() {
            *last = total;
        }
        return;
    }
    for a in amounts.iter_mut() {
        *a = ((*a as i128 * total as i128 / sum) / 100 * 100) as i64;
    }
    let rest = total - amounts.iter().sum::<i64>();
    if let Some(last) = amounts.iter_mut().rev().find(|a| **a > 0) {
        *last += rest;
    }
}

fn phone(rng: &mut StdRng, company: bool) -> String {
    match (company, rng.gen_bool(0.1)) {
        (_, true) => String::new(),
        (true, false) => names::landline(rng),
        (false, false) => names::mobile(rng),
    }
}

type Party = (PartyRole, &'static str, String, String);

fn parties(rng: &mut StdRng, category: &str, project: &str) -> Vec<Party> {
    let estate = project.split(char::is_numeric).next().unwrap_or(project);
    let owner = |rng: &mut StdRng, role| (role, "owner", names::person(rng), phone(rng, false));
    let company = |rng: &mut StdRng, role| (role, "property_company", names::company(rng), phone(rng, true));
    let committee = |rng: &mut StdRng, role| {
        (
            role,
            "owners_committee",
            format!("{estate}业主委员会"),
            phone(rng, true),
        )
    };
    let mut list = match category {
        "fees" | "renovation" => vec![company(rng, PartyRole::Applicant), owner(rng, PartyRole::Respondent)],
        "neighbour" => {
            let kind = if rng.gen_bool(0.2) { "occupant" } else { "owner" };
            vec![
                owner(rng, PartyRole::Applicant),
                (PartyRole::Respondent, kind, names::person(rng), phone(rng, false)),
            ]
        }
        "common_revenue" | "owners_committee" => vec![
            committee(rng, PartyRole::Applicant),
            company(rng, PartyRole::Respondent),
        ],
        "maintenance_fund" => vec![
            committee(rng, PartyRole::Applicant),
            (
                PartyRole::Respondent,
                "developer",
                names::developer(rng),
                phone(rng, true),
            ),
        ],
        "handover" => vec![
            committee(rng, PartyRole::Applicant),
            company(rng, PartyRole::Respondent),
        ],
        _ => vec![owner(rng, PartyRole::Applicant), company(rng, PartyRole::Respondent)],
    };
    // Some owners come as a couple.
    if rng.gen_bool(0.15) {
        let side = if list[0].1 == "owner" {
            PartyRole::Applicant
        } else {
            PartyRole::Respondent
        };
        list.push(owner(rng, side));
    }
    list
}

fn summary(rng: &mut StdRng, category: &str, parties: &[Party]) -> String {
    let app = &parties[0].2;
    let resp = &parties
        .iter()
        .find(|p| p.0 == PartyRole::Respondent)
        .map(|p| p.2.as_str())
        .unwrap_or("");
    let years = rng.gen_range(1..=3);
    match category {
        "fees" => format!("{resp}拖欠物业服务费{years}年,物业公司多次催缴未果,申请调解。"),
        "service_quality" => format!("业主{app}认为保洁、安保服务不到位,要求减免部分物业费。"),
        "parking" => format!("业主{app}与物业公司就地下车位收费及车位使用发生争议。"),
        "repairs_leaks" => format!("{app}家中因楼上管道漏水受损,要求赔偿维修费用。"),
        "neighbour" => format!("{app}与邻居{resp}因夜间噪音及宠物问题发生纠纷。"),
        "renovation" => format!("{resp}装修中擅自改动墙体,物业公司要求恢复原状。"),
        "common_revenue" => "业主委员会要求物业公司公开并返还电梯广告等公共收益。".into(),
        "maintenance_fund" => "业主委员会与建设单位就专项维修资金的使用发生争议。".into(),
        "handover" => "新旧物业公司交接中,原物业公司未按期移交资料和设施。".into(),
        "owners_committee" => "业主委员会与物业公司就物业服务合同续签发生争议。".into(),
        "safety_loss" => format!("业主{app}的车辆在小区内受损,要求物业公司赔偿。"),
        _ => "业主与物业公司因小区绿化改造发生争议。".into(),
    }
}

pub(super) fn pick<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    items[weighted(rng, items, |i| i.1)].0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_amounts_add_up_exactly_in_whole_yuan() {
        let mut amounts = vec![1_234_500, 0, 99_900, 5_000_000, 777_700];
        scale_to(&mut amounts, 136_100_000);
        assert_eq!(amounts.iter().sum::<i64>(), 136_100_000);
        assert_eq!(amounts[1], 0);
        assert!(amounts.iter().all(|a| a % 100 == 0 && *a >= 0));
    }
}
