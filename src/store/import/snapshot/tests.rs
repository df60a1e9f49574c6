//! The snapshots an import writes, compared with those SQLite makes, and
//! an import around a write that came between its staging and its lock.

use sqlx::AssertSqlSafe;

use crate::domain::case::PartyInput;
use crate::domain::{CaseNo, PartyRole};
use crate::store::import::{ImportedCase, Stamp};

fn party(role: PartyRole, party_type: &str, name: &str, phone: &str) -> PartyInput {
    PartyInput {
        role,
        party_type: party_type.into(),
        name: name.into(),
        phone: crate::domain::Phone::parse(phone).unwrap(),
        details: Default::default(),
    }
}

fn imported(
    row: usize,
    case_no: Option<&str>,
    summary: &str,
    parties: Vec<PartyInput>,
    mediators: Vec<i64>,
) -> ImportedCase {
    let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%F").unwrap();
    ImportedCase {
        row,
        case_no: case_no.map(|n| CaseNo::parse(n).unwrap()),
        case: crate::domain::case::CaseInput {
            received_on: date("2024-03-05"),
            source: "party_application".into(),
            category: "fees".into(),
            project: "阳光\"花园\" B\\座".into(),
            district: "chaoyang".into(),
            summary: summary.into(),
            amount_claimed: None,
            parties,
            mediator_ids: mediators,
            figures: Default::default(),
        },
        status: crate::domain::Status::Registered,
        accepted_on: None,
        agreement_type: None,
        amount_agreed: None,
        agreement_on: None,
        performance_due: None,
        fulfilment: None,
        judicial_confirmation: crate::domain::workflow::Judicial::None,
        closed_on: None,
        agreement_terms: None,
        close_reason: None,
    }
}

/// Each imported case's audit entry holds, byte for byte, the snapshot
/// SQLite's `cases::snapshot_expr` makes of the case as stored.
#[tokio::test]
async fn an_imported_case_s_audit_entry_is_its_snapshot() {
    use crate::domain::workflow::{AgreementType, Fulfilment, Judicial};
    let dir = tempfile::tempdir().unwrap();
    let pool = crate::store::open(&dir.path().join("snapshot.db")).await.unwrap();
    let zhang = crate::store::mediators::insert(&pool, crate::store::orgs::FIRST_COMMITTEE, "张调解", "", true)
        .await
        .unwrap();
    let wang = crate::store::mediators::insert(&pool, crate::store::orgs::FIRST_COMMITTEE, "Wang \"W\"", "", true)
        .await
        .unwrap();
    let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%F").ok();
    let mut settled = imported(
        2,
        Some("物调〔2024〕第7号"),
        "第一行\n\t第二行 «été» 🏠 \\ '",
        vec![
            party(
                PartyRole::Respondent,
                "property_company",
                "某物业\"公司\"",
                "13912345678",
            ),
            party(PartyRole::Applicant, "owner", "张三", "13812345678"),
            party(PartyRole::Applicant, "owner", "O'Brien", ""),
        ],
        vec![zhang, -1, wang],
    );
    settled.case.amount_claimed = Some(crate::domain::Money::from_fen(123_456));
    settled.status = crate::domain::Status::Settled;
    settled.accepted_on = date("2024-03-06");
    settled.agreement_type = Some(AgreementType::Written);
    settled.amount_agreed = Some(crate::domain::Money::from_fen(100_000));
    settled.agreement_on = date("2024-04-01");
    settled.performance_due = date("2024-12-31");
    settled.fulfilment = Some(Fulfilment::Pending);
    settled.judicial_confirmation = Judicial::Confirmed;
    settled.closed_on = date("2024-04-01");
    settled.agreement_terms = Some("分期\r\n付清".into());
    settled.close_reason = Some(String::new());
    settled.case.figures = crate::domain::official::CaseFigures {
        people_involved: Some(30),
        prevented_crime: 3,
        prevented_petition: 0,
    };
    let cases = [
        settled,
        imported(
            3,
            None,
            "",
            vec![party(PartyRole::Applicant, "owner", "李", "")],
            vec![wang],
        ),
        imported(4, None, "无当事人", Vec::new(), Vec::new()),
    ];
    let new = ["Älter".to_string()];
    crate::store::import::write(
        &pool,
        &cases,
        &new,
        &crate::store::orgs::Committee::first("物调"),
        None,
        true,
    )
    .await
    .unwrap();
    let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
    let sql = format!(
        "SELECT c.id, a.after, {} FROM audit_log a JOIN cases c ON c.id = a.entity_id
             WHERE a.entity = 'case' ORDER BY a.id",
        crate::store::cases::snapshot_expr(crate::store::Backend::Sqlite)
    );
    let compared: Vec<(i64, String, String)> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *conn).await.unwrap();
    assert_eq!(compared.iter().map(|c| c.0).collect::<Vec<_>>(), [1, 2, 3]);
    for (_, ours, sqlite) in &compared {
        assert_eq!(ours, sqlite);
    }
    assert!(
        compared[0].1.contains(r#""mediators":["Wang \"W\"","Älter","张调解"]"#),
        "{}",
        compared[0].1
    );
    assert!(
        compared[0]
            .1
            .contains(r#""people_involved":30,"prevented_crime_people":3,"prevented_petition_people":0"#),
        "{}",
        compared[0].1
    );
}

/// What the import made ahead rests on a case number, a case id and
/// a mediator id another writer takes before the lock: it is made
/// again under the lock, and the import goes after that writer's rows.
#[tokio::test]
async fn a_write_between_the_staging_and_the_lock_is_written_around() {
    use crate::store::import::ahead::{Ahead, Basis};
    use crate::store::orgs::{Committee, FIRST_COMMITTEE};
    let dir = tempfile::tempdir().unwrap();
    let pool = crate::store::open(&dir.path().join("between.db")).await.unwrap();
    let committee = Committee::first("物调");
    let zhang = crate::store::mediators::insert(&pool, FIRST_COMMITTEE, "张调解", "", true)
        .await
        .unwrap();
    let cases = [imported(
        2,
        None,
        "物业费",
        vec![party(PartyRole::Applicant, "owner", "张三", "")],
        vec![zhang, -1],
    )];
    let new = ["新调解".to_string()];
    let mut conn = pool.acquire().await.unwrap();
    let now = crate::store::now_utc();
    let stamp = Stamp {
        committee_id: committee.id,
        actor: None,
        now: &now,
    };
    let basis = Basis::read(&mut conn.conn(), &cases, &committee).await.unwrap();
    let mut ahead = Ahead::make(crate::store::Backend::Sqlite, basis, &cases, &new, &committee, stamp);
    ahead.stage(&mut conn.conn()).await.unwrap();
    // Meanwhile, from another connection: a case of the same year and a mediator.
    let mut input = cases[0].case.clone();
    input.mediator_ids = vec![zhang];
    let (by_hand, number) = crate::store::cases::create(&pool, &input, &committee, None)
        .await
        .unwrap();
    let wang = crate::store::mediators::insert(&pool, FIRST_COMMITTEE, "王调解", "", true)
        .await
        .unwrap();
    let written = crate::store::import::write_locked(&mut conn, &cases, &new, &committee, stamp, ahead, true)
        .await
        .unwrap();
    crate::store::import::ahead::unstage(&mut conn.conn()).await.unwrap();
    drop(conn);
    assert_eq!((by_hand, number.as_str()), (1, "物调〔2024〕第0001号"));
    assert_eq!(written.mediators, [wang + 1]);
    let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
    let numbers: Vec<(i64, String)> = sqlx::query_as("SELECT id, case_no FROM cases ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(numbers, [(1, number.clone()), (2, "物调〔2024〕第0002号".to_string())]);
    let links: Vec<i64> = sqlx::query_scalar("SELECT mediator_id FROM case_mediators WHERE case_id = 2 ORDER BY 1")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(links, [zhang, wang + 1]);
    let sql = format!(
        "SELECT a.after, {} FROM audit_log a JOIN cases c ON c.id = a.entity_id
             WHERE a.entity = 'case' AND a.action = 'import'",
        crate::store::cases::snapshot_expr(crate::store::Backend::Sqlite)
    );
    let compared: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *conn).await.unwrap();
    assert_eq!(compared.len(), 1);
    assert_eq!(compared[0].0, compared[0].1);
    let grams: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_grams WHERE case_grams MATCH '\"E789A9\"'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(grams, 2, "the two cases' grams of 物");
    drop(conn);
    assert_eq!(crate::store::stats::summary_drift(&pool).await.unwrap(), 0);
}
