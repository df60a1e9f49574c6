//! The `accord` binary: first start, user commands, configuration errors.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use accord::domain::Durability;
use accord::on_db;
use accord::store::{Backend, Location};

use crate::common::{PgDatabase, accord_cmd};

/// The database a test runs the binary on: the file `path` on SQLite, a
/// database of its own on PostgreSQL (dropped with the second value).
pub async fn database(path: std::path::PathBuf) -> (String, Option<PgDatabase>) {
    match crate::common::backend() {
        Backend::Sqlite => (path.to_str().unwrap().to_string(), None),
        Backend::Postgres => {
            let pg = PgDatabase::create().await;
            (pg.url(), Some(pg))
        }
    }
}

async fn password_hash(db: &str, user: &str) -> Option<String> {
    let pool = accord::store::connect(&Location::parse(db), accord::store::BUSY_TIMEOUT, Durability::Full)
        .await
        .unwrap();
    let hash = on_db!(pool, |e| {
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
            .bind(user)
            .fetch_optional(e)
            .await
    })
    .unwrap();
    pool.close().await;
    hash
}

#[tokio::test]
async fn first_start_creates_the_folder_the_database_and_an_admin_whose_password_is_printed_once() {
    crate::common::both(async || {
        let dir = tempfile::tempdir().unwrap();
        // On SQLite the file and its folders are made on first start.
        let (db, _pg) = database(dir.path().join("nested/folder/accord.db")).await;
        let mut child = accord_cmd(dir.path())
            .args(["--db", db.as_str(), "serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut password = None;
        let mut address = None;
        for line in lines.by_ref().take(5) {
            let line = line.unwrap();
            if let Some(p) = line.strip_prefix("Created the first user: admin / ") {
                password = Some(p.to_string());
            }
            if let Some(a) = line.strip_prefix("Accord is serving at http://") {
                address = Some(a.trim_end_matches('/').to_string());
                break;
            }
        }
        let address = address.expect("the server says where it listens");
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("ok"));
        let password = password.expect("the admin password is printed");
        let hash = password_hash(&db, "admin").await.unwrap();
        assert!(accord::password::verify(&password, &hash));

        // A second start prints no password.
        let out = accord_cmd(dir.path())
            .args(["--db", db.as_str(), "user", "passwd", "admin", "--password-stdin"])
            .stdin(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin.take().unwrap().write_all(b"a-new-long-password\n")?;
                c.wait_with_output()
            })
            .unwrap();
        assert!(out.status.success());
        let hash = password_hash(&db, "admin").await.unwrap();
        assert!(accord::password::verify("a-new-long-password", &hash));
    })
    .await;
}

#[tokio::test]
async fn user_add_creates_a_user_and_refuses_short_passwords_and_duplicates() {
    crate::common::both(async || {
        let dir = tempfile::tempdir().unwrap();
        let (db, _pg) = database(dir.path().join("a.db")).await;
        let run = |args: &[&str], stdin: &str| {
            let mut child = accord_cmd(dir.path())
                .args(["--db", db.as_str()])
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // A refused command may exit before it reads its input.
            let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
            if let Err(e) = written {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
            }
            child.wait_with_output().unwrap()
        };
        let ok = run(
            &["user", "add", "li", "--role", "mediator", "--password-stdin"],
            "long-enough-pw\n",
        );
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        assert!(accord::password::verify(
            "long-enough-pw",
            &password_hash(&db, "li").await.unwrap()
        ));
        let dup = run(
            &["user", "add", "li", "--role", "secretary", "--password-stdin"],
            "long-enough-pw\n",
        );
        assert!(!dup.status.success());
        assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
        let short = run(
            &["user", "add", "wang", "--role", "secretary", "--password-stdin"],
            "short\n",
        );
        assert!(!short.status.success());
        assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10"));
        assert!(password_hash(&db, "wang").await.is_none());
        let printed = run(&["user", "add", "zhao", "--role", "admin"], "");
        assert!(printed.status.success());
        let out = String::from_utf8_lossy(&printed.stdout);
        let pw = out.lines().find_map(|l| l.strip_prefix("Password: ")).unwrap();
        assert!(accord::password::verify(pw, &password_hash(&db, "zhao").await.unwrap()));
    })
    .await;
}

#[test]
fn a_bad_configuration_stops_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "mediation_limit_days = \"soon\"\n").unwrap();
    let out = accord_cmd(dir.path())
        .args(["--config", config.to_str().unwrap(), "serve"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mediation_limit_days"));
    let out = accord_cmd(dir.path())
        .env("ACCORD_BIND", "not-an-address")
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ACCORD_BIND"));
}

#[tokio::test]
async fn org_add_builds_the_tree_that_org_list_prints_and_refuses_naming_the_option() {
    crate::common::both(async || {
        let dir = tempfile::tempdir().unwrap();
        let (db, _pg) = database(dir.path().join("a.db")).await;
        let run = |args: &[&str]| {
            accord_cmd(dir.path())
                .args(["--db", db.as_str(), "org"])
                .args(args)
                .output()
                .unwrap()
        };
        let association = run(&[
            "add",
            "--kind",
            "association",
            "--parent",
            "1",
            "--name",
            "朝阳区物业管理协会",
            "--region",
            "110105",
        ]);
        assert!(
            association.status.success(),
            "{}",
            String::from_utf8_lossy(&association.stderr)
        );
        let added = run(&[
            "add",
            "--kind",
            "committee",
            "--parent",
            "3",
            "--name",
            "朝阳区调委会",
            "--region",
            "110105",
            "--prefix",
            "朝调",
        ]);
        assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));

        let bad = run(&[
            "add",
            "--kind",
            "committee",
            "--parent",
            "4",
            "--name",
            "x",
            "--region",
            "12",
            "--prefix",
            "朝调",
        ]);
        assert!(!bad.status.success());
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(err.contains("--region"), "{err}");
        let under_committee = run(&[
            "add",
            "--kind",
            "committee",
            "--parent",
            "4",
            "--name",
            "x",
            "--region",
            "110105",
            "--prefix",
            "x调",
        ]);
        assert!(String::from_utf8_lossy(&under_committee.stderr).contains("--parent"));

        let list = run(&["list"]);
        assert!(list.status.success());
        let out = String::from_utf8_lossy(&list.stdout);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        let committee = lines.iter().find(|l| l.contains("朝阳区调委会")).unwrap();
        assert!(
            committee.starts_with("    4\tcommittee\t-\t110105\t朝调\t"),
            "{committee:?}"
        );
        assert!(lines[0].starts_with("1\tassociation\tcity\t"), "{out}");

        let retired = run(&["retire", "4"]);
        assert!(retired.status.success());
        assert!(!run(&["retire", "1"]).status.success(), "the root stays");
        let renamed = run(&["rename", "3", "朝阳区物协"]);
        assert!(renamed.status.success());
        let out = String::from_utf8_lossy(&run(&["list"]).stdout).to_string();
        assert!(out.contains("朝阳区物协") && out.contains("(retired)"), "{out}");

        // A supervisor sits at an association, a secretary in a committee.
        let user = |role: &str, org: &str| {
            accord_cmd(dir.path())
                .args(["--db", db.as_str(), "user", "add", "zhou", "--role", role, "--org", org])
                .output()
                .unwrap()
        };
        let wrong = user("supervisor", "2");
        assert!(String::from_utf8_lossy(&wrong.stderr).contains("--org"));
        assert!(!user("secretary", "3").status.success());
        assert!(!user("secretary", "4").status.success(), "committee 4 is retired");
        let ok = user("supervisor", "3");
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    })
    .await;
}
