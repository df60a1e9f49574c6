//! Sealing and opening packets: the signature, and every row's checks.

use super::check::fen_of;
use super::*;

const KEY: &str = "a shared key of at least thirty-two bytes";

fn row(at: &str) -> SummaryRow {
    SummaryRow {
        dim: "category".into(),
        code: "fees".into(),
        at: at.into(),
        status: "settled".into(),
        received: 3,
        claimed: 1_234_550,
        accepted: 2,
        agreed: 800_000,
        closed: 2,
        close_days: 17,
        fulfilled: 1,
    }
}

fn line(month: &str) -> OfficialLine {
    OfficialLine {
        month: month.into(),
        national_type: NationalType::Property,
        source_group: SourceGroup::Referral,
        figures: Figures {
            accepted: 4,
            settled: 2,
            amount_agreed: Money::from_fen(923_450),
            people: 9,
            crime_cases: 1,
            crime_people: 3,
            ..Figures::default()
        },
    }
}

fn contents(months: Vec<SummaryRow>, official: Vec<OfficialLine>) -> Contents {
    Contents {
        period: OfficialPeriod::Quarter(2026, 3),
        committee: Sender {
            id: 2,
            name: "朝阳调委会".into(),
            region_code: Some("110105".into()),
        },
        created_at: "2026-10-05T16:00:00+08:00".into(),
        months,
        days: vec![row("2026-09-30")],
        official,
    }
}

fn sealed() -> Packet {
    seal(KEY, &contents(vec![row("2026-07")], vec![line("2026-08")])).unwrap()
}

#[test]
fn a_sealed_packet_opens_with_its_key_and_gives_back_its_rows() {
    let packet = sealed();
    assert_eq!(packet.months[0].claimed, "12345.50");
    assert_eq!(packet.official[0].amount_agreed, "9234.50");
    let checked = open(KEY, &packet).unwrap();
    // The time of making comes back in UTC, in the one spelling that compares as text.
    assert_eq!(checked.created_at, "2026-10-05T08:00:00.000000Z");
    let sent = contents(vec![row("2026-07")], vec![line("2026-08")]);
    assert_eq!(
        checked,
        Contents {
            created_at: checked.created_at.clone(),
            ..sent
        }
    );
    // Spacing and key order do not matter: it is read, then written again.
    let pretty = serde_json::to_string_pretty(&packet).unwrap();
    let reread: Packet = serde_json::from_str(&pretty).unwrap();
    assert!(open(KEY, &reread).is_ok());
}

#[test]
fn any_changed_value_or_another_key_breaks_the_signature() {
    let mut packet = sealed();
    packet.months[0].received += 1;
    assert_eq!(open(KEY, &packet), Err(PacketError::BadSignature));
    let mut packet = sealed();
    packet.committee.name = "别的调委会".into();
    assert_eq!(open(KEY, &packet), Err(PacketError::BadSignature));
    let packet = sealed();
    assert_eq!(
        open("another shared key of thirty-two bytes!", &packet),
        Err(PacketError::BadSignature)
    );
    assert_eq!(open("short", &packet), Err(PacketError::NoKey));
    let mut packet = sealed();
    packet.signature = "zz".into();
    assert_eq!(open(KEY, &packet), Err(PacketError::BadSignature));
}

#[test]
fn rows_outside_the_period_or_of_bad_values_are_refused_even_when_signed() {
    let seal_with = |months: &[SummaryRow]| seal(KEY, &contents(months.to_vec(), Vec::new())).unwrap();
    let refused = |months: &[SummaryRow]| match open(KEY, &seal_with(months)) {
        Err(PacketError::BadRow { problem, .. }) => problem,
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(refused(&[row("2026-10")]), RowProblem::OutsidePeriod);
    assert_eq!(refused(&[row("2026-7")]), RowProblem::OutsidePeriod);
    let voided = SummaryRow {
        status: "voided".into(),
        ..row("2026-07")
    };
    assert_eq!(refused(&[voided]), RowProblem::Status);
    let mediator = SummaryRow {
        dim: "mediator".into(),
        ..row("2026-07")
    };
    assert_eq!(refused(&[mediator]), RowProblem::Dimension);
    let negative = SummaryRow {
        received: -1,
        ..row("2026-07")
    };
    assert_eq!(refused(&[negative]), RowProblem::Negative);
    assert_eq!(refused(&[row("2026-08"), row("2026-08")]), RowProblem::Twice);
    let official = |lines: Vec<OfficialLine>| match open(KEY, &seal(KEY, &contents(Vec::new(), lines)).unwrap()) {
        Err(PacketError::BadRow { grain, problem, .. }) => (grain, problem),
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(official(vec![line("2026-06")]), ("official", RowProblem::OutsidePeriod));
    assert_eq!(
        official(vec![line("2026-08"), line("2026-08")]),
        ("official", RowProblem::Twice)
    );
    let mut negative = line("2026-08");
    negative.figures.petition_people = -1;
    assert_eq!(official(vec![negative]), ("official", RowProblem::Negative));
    let mut changed = seal(KEY, &contents(Vec::new(), vec![line("2026-08")])).unwrap();
    changed.official[0].crime_people += 1;
    assert_eq!(
        open(KEY, &changed),
        Err(PacketError::BadSignature),
        "changed after sealing"
    );
}

#[test]
fn amounts_are_yuan_with_two_decimals() {
    assert_eq!(fen_of("12345.50"), Some(1_234_550));
    assert_eq!(fen_of("0.00"), Some(0));
    for bad in ["12345.5", "-1.00", "+1.00", "1e3", "12,345.00", "", "1.000"] {
        assert_eq!(fen_of(bad), None, "{bad}");
    }
}

#[test]
fn a_packet_without_a_time_of_making_is_refused() {
    for bad in ["", "2026-10-05", "2026-10-05 08:00:00", "yesterday"] {
        let mut c = contents(vec![row("2026-07")], Vec::new());
        c.created_at = bad.into();
        let packet = seal(KEY, &c).unwrap();
        assert_eq!(open(KEY, &packet), Err(PacketError::BadCreatedAt), "{bad:?}");
    }
}
