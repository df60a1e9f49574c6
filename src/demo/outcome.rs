//! How a demo case ends: sessions, then settled, failed or withdrawn, and
//! for settled cases the agreement, its performance and return visits.

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::generator::{last_day, pick};
use crate::domain::Status;
use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, Satisfaction, SessionMode};
use crate::store::demo::{DemoCase, DemoSession, DemoVisit};

/// Acceptance, sessions, the outcome, the agreement and its follow-up.
/// Cases whose steps would fall after the demo's last day stay open there.
pub(super) fn outcome(
    rng: &mut StdRng,
    case: &mut DemoCase,
    received: NaiveDate,
    visitor: &str,
    next_session: &mut i64,
) {
    let end = last_day();
    if rng.gen_bool(0.03) {
        let on = received + Days::new(rng.gen_range(1..=7));
        if on <= end {
            case.status = Status::Declined;
            case.closed_on = Some(on);
            case.close_reason = Some("被申请人明确拒绝调解".into());
        }
        return;
    }
    let accepted = received + Days::new(rng.gen_range(0..=4));
    if accepted > end {
        return;
    }
    case.status = Status::InMediation;
    case.accepted_on = Some(accepted);
    let closing = accepted + Days::new(rng.gen_range(2..=42));
    let last_session = closing.min(end);
    let count = rng.gen_range(1..=3u64);
    let span = (last_session - accepted).num_days().max(0) as u64;
    for k in 1..=count {
        let held = accepted + Days::new(span * k / count);
        let form = pick(
            rng,
            &[
                (SessionMode::OnSite, 60),
                (SessionMode::Phone, 25),
                (SessionMode::Online, 15),
            ],
        );
        let notes = match k {
            1 => "听取双方陈述,释明相关法律规定。",
            _ if k == count => "双方就争议事项进一步协商。",
            _ => "分别做双方工作,缩小分歧。",
        };
        case.sessions.push(DemoSession {
            id: *next_session,
            held_on: held.to_string(),
            form,
            notes: notes.into(),
        });
        *next_session += 1;
    }
    if closing > end {
        return;
    }
    case.closed_on = Some(closing);
    match pick(
        rng,
        &[(Status::Settled, 88), (Status::Failed, 8), (Status::Withdrawn, 4)],
    ) {
        Status::Failed => {
            case.status = Status::Failed;
            case.close_reason = Some("双方分歧较大,调解不成".into());
            case.routes_informed = Some(
                pick(
                    rng,
                    &[("court", 3), ("arbitration,court", 1), ("administrative,court", 1)],
                )
                .into(),
            );
        }
        Status::Withdrawn => {
            case.status = Status::Withdrawn;
            case.close_reason = Some("申请人撤回调解申请".into());
        }
        _ => settle(rng, case, closing, visitor),
    }
}

fn settle(rng: &mut StdRng, case: &mut DemoCase, on: NaiveDate, visitor: &str) {
    let end = last_day();
    case.status = Status::Settled;
    let written = rng.gen_bool(0.75);
    case.agreement_type = Some(if written {
        AgreementType::Written
    } else {
        AgreementType::Oral
    });
    // Agreed sums are usually a part of the claim; whole yuan.
    let percent = rng.gen_range(40..=100);
    case.amount_agreed = Some(case.amount_claimed * percent / 100 / 100 * 100);
    case.agreement_on = Some(on);
    let due = on + Days::new(rng.gen_range(15..=60));
    case.performance_due = Some(due);
    case.agreement_terms = Some(match case.category {
        "fees" => "被申请人于履行期限内一次性缴清所欠物业服务费,物业公司减免滞纳金。".into(),
        "neighbour" => "双方互谅互让,约定夜间十时后不再制造噪音,妥善管理宠物。".into(),
        _ => "被申请人于履行期限内支付协议款项,双方就此纠纷再无其他争议。".into(),
    });
    let fulfilment = if due > end {
        Fulfilment::Pending
    } else {
        pick(
            rng,
            &[
                (Fulfilment::Fulfilled, 85),
                (Fulfilment::Partial, 8),
                (Fulfilment::Unfulfilled, 4),
                (Fulfilment::Pending, 3),
            ],
        )
    };
    case.fulfilment = Some(fulfilment);
    if written && rng.gen_bool(0.2) {
        let applied = on + Days::new(rng.gen_range(3..=25));
        if applied <= end {
            case.judicial_confirmation = pick(
                rng,
                &[
                    (Judicial::Confirmed, 10),
                    (Judicial::Applied, 3),
                    (Judicial::Rejected, 2),
                ],
            );
            case.judicial_applied_on = Some(applied);
        }
    }
    let visited = due + Days::new(rng.gen_range(1..=10));
    if visited <= end && fulfilment != Fulfilment::Pending {
        use Satisfaction::*;
        let satisfaction = if fulfilment == Fulfilment::Fulfilled {
            pick(rng, &[(Satisfied, 80), (BasicallySatisfied, 18), (Dissatisfied, 2)])
        } else {
            pick(rng, &[(Satisfied, 20), (BasicallySatisfied, 50), (Dissatisfied, 30)])
        };
        case.visits.push(DemoVisit {
            visited_on: visited.to_string(),
            visitor: visitor.to_string(),
            performance: fulfilment,
            satisfaction,
        });
    }
}
