//! Issue 16, Accord Exchange v1: whole cases in a JSON document between
//! two installations, by UUID, idempotent, with the attachments' files
//! beside the document; `schema/exchange-v1.json` validates every export.

mod refusals;
mod round_trip;
mod uuids;

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::{TestApp, case_form};
use accord::csv_io::exchange::{self, ExportOptions, ImportError, ImportOptions, Imported};
use accord::domain::Role;
use accord::store::attachments::files::FileStore;
use accord::store::exchange::Selection;
use accord::store::orgs::Committee;

/// A small PDF, as the attachment sniffer takes it.
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

/// Installation A: the mediator `own` (signed in) with two cases: one
/// accepted, heard, settled and visited, with a signed agreement
/// attached; one only registered, its amount left blank.
async fn installation_a() -> TestApp {
    let mut app = TestApp::new().await;
    app.add_user("own", Role::Mediator).await;
    app.login("own").await;
    let m = app.mediator_of("own").await.to_string();
    // The official report's fields (issue 16) travel with the case.
    let figures = [("people_involved", "6"), ("prevented_petition", "12")];
    let id = app.create_case(&case_form(m.parse().unwrap(), &figures)).await;
    app.accept(id, "2026-11-03").await;
    app.post_ok(
        &format!("/cases/{id}/sessions"),
        &[
            ("held_on", "2026-11-05"),
            ("form", "on_site"),
            ("mediators", &m),
            ("notes", "双方到场,就欠费金额达成初步意向。"),
        ],
    )
    .await;
    app.settle(id, "2026-11-10", "2026-12-31").await;
    app.post_ok(
        &format!("/cases/{id}/visits"),
        &[
            ("visited_on", "2026-11-20"),
            ("visitor", "李"),
            ("performance", "fulfilled"),
            ("satisfaction", "satisfied"),
        ],
    )
    .await;
    upload(&mut app, id, "协议书.pdf", PDF).await;
    let form = case_form(
        m.parse().unwrap(),
        &[
            ("amount_claimed", ""),
            ("respondent_name", "李四"),
            ("project", "星河湾"),
        ],
    );
    app.create_case(&form).await;
    app
}

/// Uploads one file as a signed agreement through the case page's form.
async fn upload(app: &mut TestApp, case_id: i64, name: &str, bytes: &[u8]) {
    let token = app.csrf().await;
    let fields: Vec<(&str, Option<&str>, &[u8])> = vec![
        ("csrf_token", None, token.as_bytes()),
        ("link", None, b""),
        ("kind_1", None, b"signed_agreement"),
        ("note_1", None, "签字版".as_bytes()),
        ("file_1", Some(name), bytes),
    ];
    let page = app
        .post_multipart(&format!("/cases/{case_id}/attachments"), &fields)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "upload failed: {}", page.body);
}

/// Installation B: a fresh one with a second committee, 朝调 (id 3),
/// that imported cases join.
async fn installation_b() -> TestApp {
    let app = TestApp::new().await;
    app.add_committee(3, "朝阳区物业纠纷人民调解委员会", "朝调").await;
    app
}

/// Exports every case of `app` to `path`, with the files beside it.
async fn export_to(app: &TestApp, path: &Path) -> exchange::Exported {
    let opts = ExportOptions {
        selection: Selection::default(),
        association: app.config.association_name.clone(),
        default_prefix: app.config.case_prefix.clone(),
        files_folder: String::new(),
        gzip: false,
        now: "2026-11-28T08:00:00Z".into(),
    };
    let store = FileStore::new(app.config.files_dir.clone());
    exchange::export_file(&app.pool, opts, path, Some(&store))
        .await
        .unwrap()
}

/// How `app` imports a document lying at `path` into committee 3.
fn import_options(app: &TestApp, path: &Path, dry_run: bool) -> ImportOptions {
    ImportOptions {
        committee: Committee {
            id: 3,
            prefix: "朝调".into(),
        },
        today: app.today,
        dry_run,
        beside: path.parent().map(Path::to_path_buf),
        files: FileStore::new(app.config.files_dir.clone()),
        default_prefix: app.config.case_prefix.clone(),
    }
}

async fn import_file(app: &TestApp, path: &Path, dry_run: bool) -> Result<Imported, ImportError> {
    let bytes = std::fs::read(path).unwrap();
    exchange::import(&app.pool, &bytes, &import_options(app, path, dry_run)).await
}

/// Counts of everything an import may write.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM cases",
        "SELECT COUNT(*) FROM parties",
        "SELECT COUNT(*) FROM mediators",
        "SELECT COUNT(*) FROM case_mediators",
        "SELECT COUNT(*) FROM mediation_sessions",
        "SELECT COUNT(*) FROM session_mediators",
        "SELECT COUNT(*) FROM return_visits",
        "SELECT COUNT(*) FROM attachments",
        "SELECT COUNT(*) FROM audit_log",
        "SELECT CAST(COALESCE(SUM(last_seq), 0) AS BIGINT) FROM case_counters",
    ] {
        out.push(app.count(sql).await);
    }
    out
}

/// A document read back as JSON.
fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    let doc = exchange::parse(&bytes).expect("a document this program reads");
    serde_json::to_value(doc).unwrap()
}

/// A document less what must differ between installations: when it was
/// written, each case's number and prefix there, and where its files lie.
fn comparable(mut doc: Value) -> Value {
    doc["exported_at"] = Value::Null;
    for c in doc["cases"].as_array_mut().unwrap() {
        c["case_no"] = Value::Null;
        c["committee_prefix"] = Value::Null;
        for a in c["attachments"].as_array_mut().unwrap() {
            a["path"] = Value::Null;
        }
    }
    doc
}

/// A folder of the test's own, beside the app's database.
fn folder(app: &TestApp, name: &str) -> PathBuf {
    let dir = app.dir.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
