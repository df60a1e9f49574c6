//! One new case's snapshot, as `cases::snapshot_expr` makes it: its row,
//! its parties by side and its mediators' names.

use std::collections::HashMap;

use super::json::{Object, push_string};
use crate::domain::PartyRole;
use crate::domain::case::PartyInput;
use crate::store::cases::NewCase;

/// The parties of one side as `json_group_array(json_object(...))` lists
/// them: in form order, with the columns an import leaves to their
/// defaults ('') as such.
fn side(parties: &[PartyInput], role: PartyRole) -> String {
    let mut list = String::from("[");
    for p in parties.iter().filter(|p| p.role == role) {
        if list.len() > 1 {
            list.push(',');
        }
        let mut party = Object::new();
        party.text("type", Some(&p.party_type));
        party.text("name", Some(&p.name));
        party.text("phone", Some(p.phone.as_str()));
        party.text("id_number", Some(""));
        party.text("address", Some(""));
        party.text("representative", Some(""));
        list.push_str(&party.end());
    }
    list.push(']');
    list
}

/// The mediators' names, ordered by name then id as the snapshot orders them.
fn mediators(ids: &[i64], names: &HashMap<i64, String>) -> String {
    let mut named: Vec<(&str, i64)> = ids
        .iter()
        .map(|id| (names.get(id).map_or("", String::as_str), *id))
        .collect();
    named.sort_unstable();
    let mut list = String::from("[");
    for (i, (name, _)) in named.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        push_string(&mut list, name);
    }
    list.push(']');
    list
}

/// A new case's snapshot: its row as inserted, its parties and the names
/// of its mediators (`mediator_ids` as stored, `names` by id).
pub(super) fn of(
    row: &NewCase<'_>,
    parties: &[PartyInput],
    mediator_ids: &[i64],
    names: &HashMap<i64, String>,
) -> String {
    let mut o = Object::new();
    o.text("case_no", Some(row.case_no));
    o.date("received_on", Some(row.received_on));
    o.date("accepted_on", row.accepted_on);
    o.text("source", Some(row.source));
    o.text("category", Some(row.category));
    o.text("project", Some(row.project));
    o.text("district", Some(row.district));
    o.text("summary", Some(row.summary));
    o.int(
        "amount_claimed",
        (!row.amount_claimed_blank).then_some(row.amount_claimed),
    );
    o.text("status", Some(row.status.code()));
    o.text("agreement_type", row.agreement_type.map(|v| v.code()));
    o.int("amount_agreed", row.amount_agreed);
    o.date("agreement_on", row.agreement_on);
    o.date("performance_due", row.performance_due);
    o.text("agreement_terms", row.agreement_terms);
    o.text("fulfilment", row.fulfilment.map(|v| v.code()));
    o.text("judicial_confirmation", Some(row.judicial_confirmation.code()));
    o.date("closed_on", row.closed_on);
    o.text("close_reason", row.close_reason);
    o.text("routes_informed", row.routes_informed);
    // Set only by later actions, never by an insert.
    o.text("archived_on", None);
    o.date("judicial_applied_on", row.judicial_applied_on);
    o.text("voided_on", None);
    // The official report's fields (issue 16).
    o.int("people_involved", row.people_involved);
    o.int("prevented_crime_people", Some(row.prevented_crime_people));
    o.int("prevented_petition_people", Some(row.prevented_petition_people));
    o.raw("applicants", &side(parties, PartyRole::Applicant));
    o.raw("respondents", &side(parties, PartyRole::Respondent));
    o.raw("mediators", &mediators(mediator_ids, names));
    o.end()
}
