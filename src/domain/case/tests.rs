//! The case form's rules.

use super::*;
use crate::domain::money::MoneyError;

struct World;
impl Lookup for World {
    fn today(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }
    fn code_allowed(&self, _: RefList, code: &str) -> bool {
        ["fees", "party_application", "chaoyang", "owner", "property_company"].contains(&code)
    }
    fn mediator_allowed(&self, id: i64) -> bool {
        id == 1
    }
    fn max_parties_per_side(&self) -> usize {
        3
    }
}

fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut base = vec![
        ("received_on", "2026/11/2"),
        ("source", "party_application"),
        ("category", "fees"),
        ("project", "阳光花园"),
        ("district", "chaoyang"),
        ("summary", "拖欠物业费"),
        ("amount_claimed", "1.5万"),
        ("applicant_type", "property_company"),
        ("applicant_name", "某物业公司"),
        ("applicant_phone", "010-62345678"),
        ("respondent_type", "owner"),
        ("respondent_name", "张三"),
        ("respondent_phone", ""),
        ("mediators", "1"),
    ];
    base.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    base.extend_from_slice(extra);
    base.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn a_complete_form_becomes_a_case() {
    let case = CaseForm::from_pairs(&pairs(&[])).validate(&World).unwrap();
    assert_eq!(case.amount_claimed, Some(Money::from_fen(1_500_000)));
    assert_eq!(case.parties.len(), 2);
    assert_eq!(case.received_on, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
}

#[test]
fn every_problem_is_reported_at_its_field() {
    let errors = CaseForm::from_pairs(&pairs(&[
        ("received_on", "2027-01-01"),
        ("category", "bribes"),
        ("amount_claimed", "-3"),
        ("respondent_name", ""),
        ("applicant_phone", "12345"),
        ("mediators", "9"),
    ]))
    .validate(&World)
    .unwrap_err();
    assert_eq!(errors.get("received_on"), Some(Problem::DateInFuture));
    assert_eq!(errors.get("category"), Some(Problem::UnknownCode));
    assert_eq!(errors.get("amount_claimed"), Some(Problem::Money(MoneyError::Negative)));
    assert_eq!(errors.get("respondent_name.0"), Some(Problem::NeedRespondent));
    assert_eq!(errors.get("applicant_phone.0"), Some(Problem::BadPhone));
    assert_eq!(errors.get("mediators"), Some(Problem::UnknownMediator));
}

#[test]
fn more_parties_on_a_side_than_allowed_is_one_error_at_the_first_extra_row() {
    let mut extra: Vec<(String, String)> = pairs(&[]);
    for n in 0..4 {
        extra.push(("respondent_type".into(), "owner".into()));
        extra.push(("respondent_name".into(), format!("业主{n}")));
        extra.push(("respondent_phone".into(), String::new()));
    }
    let errors = CaseForm::from_pairs(&extra).validate(&World).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors:?}");
    assert_eq!(errors.get("respondent_name.3"), Some(Problem::TooManyParties(3)));
    // Blank rows do not count.
    let mut blank = pairs(&[]);
    for _ in 0..5 {
        blank.push(("applicant_name".into(), String::new()));
    }
    assert!(CaseForm::from_pairs(&blank).validate(&World).is_ok());
}

#[test]
fn an_add_row_button_adds_one_blank_row_up_to_the_cap() {
    let typed = pairs(&[("add_respondent", "1")]);
    assert_eq!(CaseForm::add_row_pressed(&typed), Some(PartyRole::Respondent));
    let mut form = CaseForm::from_pairs(&typed);
    form.add_party_row(PartyRole::Respondent, 50).unwrap();
    assert_eq!(form.respondents.len(), 2);
    assert_eq!(form.respondents[0].name, "张三");
    form.respondents.resize(50, PartyForm::default());
    let refused = form.add_party_row(PartyRole::Respondent, 50).unwrap_err();
    assert_eq!(refused.field, "respondents");
    assert_eq!(form.respondents.len(), 50);
}

#[test]
fn a_masked_id_number_sent_back_stands_for_the_stored_one() {
    let mut form = CaseForm::default();
    form.applicants.push(PartyForm {
        id_number: "1101**********002X".into(),
        ..PartyForm::default()
    });
    form.respondents.push(PartyForm {
        id_number: "1101**********9999".into(),
        ..PartyForm::default()
    });
    let restored = form.with_masked_ids_restored(&["11010519491231002X", "H12345678"]);
    assert_eq!(restored.applicants[0].id_number, "11010519491231002X");
    assert_eq!(
        restored.respondents[0].id_number, "1101**********9999",
        "masks no stored number"
    );
}
