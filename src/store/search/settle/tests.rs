//! The settle on a real SQLite file after a demo load.

use sqlx::{AssertSqlSafe, SqliteConnection};

use super::Structure;
use crate::domain::{Durability, PartyRole};
use crate::store::orgs::Committee;

async fn structure(conn: &mut SqliteConnection, table: &str) -> Structure {
    let read = format!("SELECT block FROM {table}_data WHERE id = 10");
    let block: Vec<u8> = sqlx::query_scalar(AssertSqlSafe(read)).fetch_one(conn).await.unwrap();
    Structure::decode(&block).unwrap()
}

/// The ids of the segments on an index's highest populated level.
fn oldest(s: &Structure) -> Vec<u64> {
    let top = *s.populated().last().unwrap();
    s.levels[top].segments.iter().map(|seg| seg[0]).collect()
}

/// After a demo load its bulk segments sit on the levels their sizes
/// call for, and the registrations after it leave them alone (before,
/// the sixteenth made FTS5 merge them all again, at once); the indexes
/// pass FTS5's integrity check, find the new cases, and find an edited
/// demo case by its new words and no longer by its old ones.
#[tokio::test]
async fn the_writes_after_a_bulk_load_leave_its_segments_alone() {
    let dir = tempfile::tempdir().unwrap();
    let pool = crate::store::open(&dir.path().join("settle.db")).await.unwrap();
    let committee = Committee::first("物调");
    let options = crate::demo::Options {
        cases: Some(3000),
        seed: 7,
        force: false,
        durability: Durability::Full,
    };
    crate::demo::load(&pool, &committee, &options).await.unwrap();
    let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
    let mut bulk = Vec::new();
    for table in crate::store::search::index::FTS_TABLES {
        let s = structure(&mut conn, table).await;
        assert!(s.populated()[0] > 1, "{table}: {:?}", s.populated());
        bulk.push(oldest(&s));
    }
    drop(conn);
    let mediator = crate::store::mediators::insert(&pool, crate::store::orgs::FIRST_COMMITTEE, "王调解", "", true)
        .await
        .unwrap();
    for n in 0..40 {
        let input = crate::store::search::index::tests::case(
            &format!("测试小区{n:02}号院"),
            "漏水",
            &[(PartyRole::Applicant, "张伟")],
            mediator,
        );
        crate::store::cases::create(&pool, &input, &committee, None)
            .await
            .unwrap();
    }
    // A demo case's documents, in a moved segment, replaced by an edit.
    let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
    let old: String = sqlx::query_scalar("SELECT project FROM cases WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let found = async |conn: &mut SqliteConnection, sql: &str, word: String| -> Vec<i64> {
        sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
            .bind(word)
            .fetch_all(conn)
            .await
            .unwrap()
    };
    let search = "SELECT rowid FROM case_search WHERE case_search MATCH ?";
    let by_old = found(
        &mut conn,
        &format!("{search} AND rowid = 1"),
        crate::store::search::phrase(&old),
    )
    .await;
    assert_eq!(by_old, [1], "{old}");
    drop(conn);
    let edit =
        crate::store::search::index::tests::case("翡翠湾测试苑", "漏水", &[(PartyRole::Applicant, "欧阳")], mediator);
    assert!(crate::store::cases::update(&pool, 1, &edit, None).await.unwrap());
    let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
    assert_eq!(
        found(&mut conn, search, crate::store::search::phrase("翡翠湾测试苑")).await,
        [1]
    );
    let grams = "SELECT rowid FROM case_grams WHERE case_grams MATCH ?";
    let by_name = found(
        &mut conn,
        grams,
        crate::store::search::phrase(&crate::store::search::gram_token("欧阳")),
    )
    .await;
    assert!(by_name.contains(&1), "{by_name:?}");
    let by_old = found(
        &mut conn,
        &format!("{search} AND rowid = 1"),
        crate::store::search::phrase(&old),
    )
    .await;
    assert!(by_old.is_empty(), "{old}");
    for (table, bulk) in crate::store::search::index::FTS_TABLES.into_iter().zip(bulk) {
        assert_eq!(oldest(&structure(&mut conn, table).await), bulk, "{table}");
        let check = format!("INSERT INTO {table} ({table}) VALUES ('integrity-check')");
        sqlx::query(AssertSqlSafe(check)).execute(&mut *conn).await.unwrap();
    }
    let found: i64 = sqlx::query_scalar("SELECT count(*) FROM case_search WHERE case_search MATCH '\"测试小区\"'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(found, 40);
}
