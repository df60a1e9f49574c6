//! The audit snapshots of imported cases, written here from the rows the
//! import inserts rather than read back from the database (SQLite only):
//! the text `cases::snapshot_expr` makes of the same case, byte for byte
//! (the test `an_imported_case_s_audit_entry_is_its_snapshot` compares
//! them). Reading 50,000 cases back through the snapshot's subqueries took
//! a fifth of the time a big import held the write lock.

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, SqliteConnection};

use super::{ImportedCase, Stamp};
use crate::domain::case::PartyInput;
use crate::domain::{CaseNo, PartyRole};
use crate::store::cases::NewCase;

/// Audit entries an INSERT carries: 2 values each, under SQLite's 32,766.
const ENTRIES_PER_STATEMENT: usize = 1000;

/// Where the mediators an import creates stand among [`names`]: the n-th
/// (from 1) at `NEW + n`, after every mediator on record, as their ids
/// will be.
const NEW: i64 = i64::MAX / 2;

/// The mediators' names by id, those on record (every committee's: the
/// snapshot names whoever a case links).
pub(super) async fn names(conn: &mut SqliteConnection) -> Result<HashMap<i64, String>, sqlx::Error> {
    Ok(sqlx::query_as("SELECT id, name FROM mediators")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect())
}

/// The import's audit entries, one per case (ids from `first` on, in
/// order), each with the case's snapshot as `after`, made before they are
/// written: `names` are the mediators on record ([`names`]), with those
/// the import creates (`new_mediators`) after them.
#[derive(Debug, Default)]
pub(super) struct Entries {
    entries: Vec<(i64, String)>,
    /// Written into `temp.import_audit` already ([`Entries::stage`]).
    staged: bool,
}

impl Entries {
    pub(super) fn new(
        cases: &[ImportedCase],
        numbers: &[CaseNo],
        new_mediators: &[String],
        names: &HashMap<i64, String>,
        stamp: Stamp<'_>,
        first: i64,
    ) -> Entries {
        let mut names = names.clone();
        names.extend((1..).zip(new_mediators).map(|(n, name)| (NEW + n, name.clone())));
        let entries = (first..)
            .zip(cases)
            .zip(numbers)
            .map(|((id, c), number)| {
                let text = number.to_string();
                let ids: Vec<i64> = c
                    .case
                    .mediator_ids
                    .iter()
                    .map(|&m| if m < 0 { NEW - m } else { m })
                    .collect();
                (
                    id,
                    of(&c.row(Some(id), number, &text, stamp), &c.case.parties, &ids, &names),
                )
            })
            .collect();
        Entries { entries, staged: false }
    }

    /// Writes them into `temp.import_audit`, emptied first: the
    /// connection's own table, whose writing takes no lock of the
    /// database's, copied into the log under the lock ([`Entries::write`]).
    pub(super) async fn stage(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        sqlx::query("DROP TABLE IF EXISTS temp.import_audit")
            .execute(&mut *conn)
            .await?;
        sqlx::query("CREATE TEMP TABLE import_audit (id INTEGER, after TEXT)")
            .execute(&mut *conn)
            .await?;
        let mut entries = std::mem::take(&mut self.entries).into_iter().peekable();
        while entries.peek().is_some() {
            let chunk: Vec<(i64, String)> = entries.by_ref().take(ENTRIES_PER_STATEMENT).collect();
            // Plain `?`s, bound in order (see `cases::insert_many`).
            let mut sql = String::from("INSERT INTO temp.import_audit (id, after) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str("(?, ?)");
            }
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (id, after) in chunk {
                query = query.bind(id).bind(after);
            }
            query.execute(&mut *conn).await?;
        }
        self.staged = true;
        Ok(())
    }

    /// Writes them into the log, from the staging table (staged first if
    /// they are not yet).
    pub(super) async fn write(mut self, conn: &mut SqliteConnection, stamp: Stamp<'_>) -> Result<(), sqlx::Error> {
        if !self.staged {
            self.stage(&mut *conn).await?;
        }
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, entity, entity_id, case_id, action, before, after)
             SELECT ?, ?, 'case', id, id, 'import', NULL, after FROM temp.import_audit",
        )
        .bind(stamp.now)
        .bind(stamp.actor)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// Drops `temp.import_audit` (see [`Entries::stage`]).
pub(super) async fn unstage(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DROP TABLE IF EXISTS temp.import_audit")
        .execute(conn)
        .await?;
    Ok(())
}

/// A JSON object as SQLite's `json_object()` writes it: keys in the order
/// given, no spaces.
struct Object(String);

impl Object {
    fn new() -> Object {
        Object(String::from("{"))
    }

    fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_string(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    fn text(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(v) => push_string(self.key(key), v),
            None => self.key(key).push_str("null"),
        }
    }

    fn int(&mut self, key: &str, value: Option<i64>) {
        match value {
            Some(v) => self.key(key).push_str(&v.to_string()),
            None => self.key(key).push_str("null"),
        }
    }

    fn date(&mut self, key: &str, value: Option<chrono::NaiveDate>) {
        // As sqlx stores a date in SQLite.
        self.text(key, value.map(|d| d.format("%F").to_string()).as_deref());
    }

    fn raw(&mut self, key: &str, json: &str) {
        self.key(key).push_str(json);
    }

    fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// A string as SQLite's JSON functions quote it (`jsonAppendString`):
/// `"` and `\` behind a backslash, the control characters as `\b \t \n
/// \f \r` or `\u00xx`, everything else as it is.
fn push_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

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
        super::super::write(
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
        let compared: Vec<(i64, String, String)> =
            sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *conn).await.unwrap();
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
        use super::super::ahead::{Ahead, Basis};
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
        let written = super::super::write_locked(&mut conn, &cases, &new, &committee, stamp, ahead, true)
            .await
            .unwrap();
        super::super::ahead::unstage(&mut conn.conn()).await.unwrap();
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

    #[tokio::test]
    async fn strings_are_quoted_as_sqlite_quotes_them() {
        let mut db = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let every_control: String = (1u8..0x20).map(char::from).collect();
        for text in ["", "a\"b\\c/'", "张三 🏠 «été»\u{7f}\u{2028}", every_control.as_str()] {
            let quoted: String = sqlx::query_scalar("SELECT json_quote(?)")
                .bind(text)
                .fetch_one(&mut db)
                .await
                .unwrap();
            let mut ours = String::new();
            push_string(&mut ours, text);
            assert_eq!(ours, quoted);
        }
    }
}
