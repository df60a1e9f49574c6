//! The action forms' rules, case by case.

use super::*;

fn dates() -> CaseDates {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    CaseDates {
        today: d("2026-11-28"),
        received_on: d("2026-11-02"),
        accepted_on: Some(d("2026-11-05")),
        agreement_on: None,
        closed_on: None,
    }
}

fn form(pairs: &[(&str, &str)]) -> ActionForm {
    let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    ActionForm::from_pairs(&pairs)
}

#[test]
fn settling_needs_the_whole_agreement() {
    let flaws = form(&[("on", "2026-11-20")])
        .validate(Action::Settle, &dates())
        .unwrap_err();
    for field in [
        "agreement_type",
        "amount_agreed",
        "agreement_on",
        "performance_due",
        "agreement_terms",
    ] {
        assert_eq!(flaws.get(field), Some(Problem::Required), "{field}");
    }
    let ok = form(&[
        ("on", "2026-11-20"),
        ("agreement_type", "written"),
        ("amount_agreed", "8,000"),
        ("agreement_on", "2026/11/20"),
        ("performance_due", "2026-12-31"),
        ("agreement_terms", "业主于12月31日前支付物业费8000元。"),
    ])
    .validate(Action::Settle, &dates())
    .unwrap();
    let Change::Settle { agreement, .. } = ok else {
        panic!("not a settlement")
    };
    assert_eq!(agreement.amount.fen(), 800_000);
    assert_eq!(agreement.kind, AgreementType::Written);
}

#[test]
fn agreement_dates_must_be_in_order() {
    let flaws = form(&[
        ("on", "2026-11-10"),
        ("agreement_type", "oral"),
        ("amount_agreed", "0"),
        ("agreement_on", "2026-11-12"),
        ("performance_due", "2026-11-11"),
        ("agreement_terms", "道歉"),
    ])
    .validate(Action::Settle, &dates())
    .unwrap_err();
    assert_eq!(flaws.get("agreement_on"), Some(Problem::AfterClosing));
    assert_eq!(flaws.get("performance_due"), Some(Problem::BeforeAgreement));
    let flaws = form(&[("on", "2026-11-04"), ("agreement_on", "2026-11-04")])
        .validate(Action::Settle, &dates())
        .unwrap_err();
    assert_eq!(flaws.get("on"), Some(Problem::BeforeAccepted));
    assert_eq!(flaws.get("agreement_on"), Some(Problem::BeforeAccepted));
}

#[test]
fn failing_names_a_route_and_withdrawing_a_reason() {
    let flaws = form(&[("on", "2026-11-20")])
        .validate(Action::Fail, &dates())
        .unwrap_err();
    assert_eq!(flaws.get("routes"), Some(Problem::NeedRoute));
    let ok = form(&[("on", "2026-11-20"), ("routes", "court"), ("routes", "arbitration")])
        .validate(Action::Fail, &dates())
        .unwrap();
    assert!(matches!(ok, Change::Fail { ref routes, .. } if routes == &[Route::Arbitration, Route::Court]));
    let flaws = form(&[("on", "2026-11-20"), ("reason", "  ")])
        .validate(Action::Withdraw, &dates())
        .unwrap_err();
    assert_eq!(flaws.get("reason"), Some(Problem::Required));
}

#[test]
fn acceptance_is_dated_between_receipt_and_today() {
    let v = |on: &str| form(&[("on", on)]).validate(Action::Accept, &dates());
    assert!(v("2026-11-02").is_ok());
    assert_eq!(v("2026-11-01").unwrap_err().get("on"), Some(Problem::BeforeReceived));
    assert_eq!(v("2026-11-29").unwrap_err().get("on"), Some(Problem::DateInFuture));
    assert_eq!(v("").unwrap_err().get("on"), Some(Problem::Required));
}

#[test]
fn judicial_confirmation_once_applied_carries_its_date() {
    let mut d = dates();
    d.agreement_on = Some("2026-11-20".parse().unwrap());
    let flaws = form(&[("judicial", "applied")])
        .validate(Action::Judicial, &d)
        .unwrap_err();
    assert_eq!(flaws.get("judicial_applied_on"), Some(Problem::Required));
    let flaws = form(&[("judicial", "applied"), ("judicial_applied_on", "2026-11-19")])
        .validate(Action::Judicial, &d)
        .unwrap_err();
    assert_eq!(flaws.get("judicial_applied_on"), Some(Problem::BeforeAgreement));
    let none = form(&[("judicial", "none"), ("judicial_applied_on", "2026-11-25")]).validate(Action::Judicial, &d);
    assert_eq!(
        none,
        Ok(Change::Judicial {
            status: Judicial::None,
            applied_on: None
        })
    );
    assert!(
        form(&[("fulfilment", "most")])
            .validate(Action::Fulfilment, &d)
            .is_err()
    );
}

#[test]
fn a_correction_of_the_agreement_uses_the_settlement_rules_and_needs_a_reason() {
    let settled = CaseDates {
        closed_on: Some("2026-11-20".parse().unwrap()),
        agreement_on: Some("2026-11-20".parse().unwrap()),
        ..dates()
    };
    let fields = [
        ("agreement_type", "written"),
        ("amount_agreed", "9,000"),
        ("agreement_on", "2026-11-21"),
        ("performance_due", "2026-12-31"),
        ("agreement_terms", "分两期支付。"),
    ];
    let flaws = form(&fields).validate(Action::CorrectAgreement, &settled).unwrap_err();
    assert_eq!(flaws.get("reason"), Some(Problem::NeedReason));
    assert_eq!(
        flaws.get("agreement_on"),
        Some(Problem::AfterClosing),
        "the closing date stays and bounds the agreement"
    );
    let mut fixed = fields.to_vec();
    fixed[2] = ("agreement_on", "2026-11-19");
    fixed.push(("reason", "金额录入有误"));
    let change = form(&fixed).validate(Action::CorrectAgreement, &settled).unwrap();
    assert_eq!(change.correction_reason(), Some("金额录入有误"));
    let Change::CorrectAgreement { agreement, .. } = change else {
        panic!("not a correction")
    };
    assert!(agreement.needs_confirmation(Some(800_000), &ActionForm::default()));
    assert!(
        !agreement.needs_confirmation(None, &ActionForm::default()),
        "nothing claimed"
    );
    assert!(!agreement.needs_confirmation(Some(900_000), &ActionForm::default()));
    let confirmed = ActionForm {
        confirmed_amount: "900000".into(),
        ..ActionForm::default()
    };
    assert!(!agreement.needs_confirmation(Some(800_000), &confirmed));
}

#[test]
fn reopen_unarchive_and_void_each_need_a_reason_and_archive_takes_one_if_given() {
    for action in [Action::Reopen, Action::Unarchive, Action::Void] {
        let flaws = form(&[("reason", " \n ")]).validate(action, &dates()).unwrap_err();
        assert_eq!(flaws.get("reason"), Some(Problem::NeedReason), "{action:?}");
        let ok = form(&[("reason", "登记重复")]).validate(action, &dates()).unwrap();
        assert_eq!(ok.correction_reason(), Some("登记重复"));
    }
    let archive = form(&[]).validate(Action::Archive, &dates()).unwrap();
    assert_eq!(archive.correction_reason(), None);
}
