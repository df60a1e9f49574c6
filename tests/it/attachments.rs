//! Issue 13, part 2: attachments (附件) on a case: uploads told by content,
//! stored once by SHA-256, downloaded only by those who may see the case,
//! voided with a reason; the backup directory and `accord check`.

use axum::http::StatusCode;

use crate::common::{TestApp, accord_cmd, case_form, today};
use accord::config::Config;
use accord::domain::Role;
use accord::store::attachments::files::{FileStore, PART_PREFIX};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

/// A minimal Office Open XML zip holding `[Content_Types].xml` and `part`.
fn ooxml(part: &str) -> Vec<u8> {
    let entry = |name: &str| [b"PK\x03\x04".as_slice(), &[0u8; 26], name.as_bytes(), b"<x/>"].concat();
    [entry("[Content_Types].xml"), entry(part)].concat()
}

/// An OLE compound file naming the stream `stream` in its directory.
fn ole(stream: &str) -> Vec<u8> {
    let mut f = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    f.extend_from_slice(&[0; 504]);
    f.extend(stream.encode_utf16().flat_map(|c| c.to_le_bytes()));
    f.extend_from_slice(&[0; 64]);
    f
}

/// An app with the admin `boss`, the mediators `own` (signed in, with an
/// accepted case) and `other`, and the secretary `sec`.
async fn setup(config: Config) -> (TestApp, i64) {
    let mut app = TestApp::with_config(config, today()).await;
    app.add_user("boss", Role::Admin).await;
    app.add_user("sec", Role::Secretary).await;
    app.add_user("own", Role::Mediator).await;
    app.add_user("other", Role::Mediator).await;
    app.login("own").await;
    let m = app.mediator_of("own").await;
    let id = app.create_case(&case_form(m, &[])).await;
    app.accept(id, "2026-11-03").await;
    (app, id)
}

/// Uploads files (kind, name, bytes) in one request, through the form's fields.
async fn upload(app: &mut TestApp, case_id: i64, files: &[(&str, &str, &[u8])]) -> crate::common::Page {
    let token = app.csrf().await;
    let kinds: Vec<String> = (1..=files.len()).map(|n| format!("kind_{n}")).collect();
    let notes: Vec<String> = (1..=files.len()).map(|n| format!("note_{n}")).collect();
    let names: Vec<String> = (1..=files.len()).map(|n| format!("file_{n}")).collect();
    let mut fields: Vec<(&str, Option<&str>, &[u8])> =
        vec![("csrf_token", None, token.as_bytes()), ("link", None, b"")];
    for (i, (kind, name, bytes)) in files.iter().enumerate() {
        fields.push((&kinds[i], None, kind.as_bytes()));
        fields.push((&notes[i], None, "扫描件".as_bytes()));
        fields.push((&names[i], Some(name), bytes));
    }
    app.post_multipart(&format!("/cases/{case_id}/attachments"), &fields)
        .await
}

async fn upload_ok(app: &mut TestApp, case_id: i64, files: &[(&str, &str, &[u8])]) {
    let page = upload(app, case_id, files).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "upload failed: {}", page.body);
}

/// Every file under a folder, relative to it, sorted.
fn files_in(root: &std::path::Path) -> Vec<String> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    if root.exists() {
        walk(root, root, &mut out);
    }
    out.sort();
    out
}

#[tokio::test]
async fn every_allowed_type_is_taken_by_its_content_and_listed_on_the_case() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        let docx = ooxml("word/document.xml");
        let xlsx = ooxml("xl/workbook.xml");
        let (doc, xls) = (ole("WordDocument"), ole("Workbook"));
        let jpeg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];
        let batches: [&[(&str, &str, &[u8])]; 4] = [
            &[
                ("application", "申请书.pdf", PDF),
                ("photo", "现场.jpg", jpeg),
                ("photo", "照片.png", PNG),
            ],
            &[
                ("photo", "手机.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
                ("photo", "图.webp", b"RIFF\x24\0\0\0WEBPVP8 \0\0"),
                ("evidence", "说明.docx", &docx),
            ],
            &[
                ("evidence", "账单.xlsx", &xlsx),
                ("evidence", "旧说明.doc", &doc),
                ("evidence", "旧账单.xls", &xls),
            ],
            &[("other", "记录.txt", "物业费明细\n2026年:8000元\n".as_bytes())],
        ];
        for batch in batches {
            upload_ok(&mut app, id, batch).await;
        }
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(
            page.texts("#attachments td.type"),
            [
                "PDF", "JPEG", "PNG", "HEIC", "WebP", "DOCX", "XLSX", "DOC", "XLS", "TXT"
            ]
        );
        assert_eq!(page.texts("#attachments a.download")[0], "申请书.pdf");
        assert_eq!(page.texts("#attachments td.kind")[0], "申请书");
        // JPEG, PNG and WebP are shown inline as thumbnails; HEIC is not.
        assert_eq!(page.attrs("#attachments img.thumb", "src").len(), 3);
        assert_eq!(files_in(&app.config.files_dir).len(), 10);
        // The upload is in the case's history.
        let history = page.texts("#history li[data-entity=attachment]");
        assert_eq!(history.len(), 10);
        assert!(history[0].contains("附件"), "{history:?}");
        assert!(history[0].contains("文件名: 申请书.pdf"), "{history:?}");
        assert!(history[0].contains("类别: 申请书"), "{history:?}");
    })
    .await;
}

#[tokio::test]
async fn a_program_renamed_to_pdf_is_refused_by_name_and_nothing_of_the_upload_is_written() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        let exe: &[u8] = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0 This program cannot be run in DOS mode";
        let page = upload(
            &mut app,
            id,
            &[("application", "申请书.pdf", PDF), ("evidence", "证据.pdf", exe)],
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problems = page.texts("#upload-errors li");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("“证据.pdf”不是允许的文件类型"), "{problems:?}");
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
        assert!(
            files_in(&app.config.files_dir).is_empty(),
            "{:?}",
            files_in(&app.config.files_dir)
        );
        // The kinds typed are kept for the next try.
        assert_eq!(page.attrs("#kind_2 option[selected]", "value"), ["evidence"]);
    })
    .await;
}

#[tokio::test]
async fn an_oversize_file_is_refused_by_name_and_an_oversize_request_writes_nothing() {
    crate::common::both(async || {
        let mut config = Config::defaults();
        config.max_upload_mb = 1;
        let (mut app, id) = setup(config).await;
        let mut big = PDF.to_vec();
        big.resize(1024 * 1024 + 1, b' ');
        let page = upload(&mut app, id, &[("evidence", "扫描件.pdf", &big)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.text("#upload-errors li")
                .contains("“扫描件.pdf”超过单个文件 1 MB 的上限")
        );
        let mut fits = PDF.to_vec();
        fits.resize(1024 * 1024, b' ');
        // Five files at the limit are more than one request may carry (4 MB).
        let five: Vec<(&str, &str, &[u8])> = (0..5).map(|_| ("evidence", "a.pdf", fits.as_slice())).collect();
        let page = upload(&mut app, id, &five).await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            page.text("#upload-errors li")
                .contains("一次上传的内容过大:每个文件最大 1 MB"),
            "{}",
            page.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
        assert!(
            files_in(&app.config.files_dir).is_empty(),
            "{:?}",
            files_in(&app.config.files_dir)
        );
        // Without a declared length, the request is cut when it outgrows the limit.
        let token = app.csrf().await;
        let mut fields: Vec<(&str, Option<&str>, &[u8])> = vec![("csrf_token", None, token.as_bytes())];
        for name in ["file_1", "file_2", "file_3", "file_1", "file_2"] {
            fields.push((name, Some("a.pdf"), fits.as_slice()));
        }
        let page = app
            .post_multipart_sized(&format!("/cases/{id}/attachments"), &fields, false)
            .await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", page.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
        assert!(files_in(&app.config.files_dir).is_empty());
        // A file at the limit is taken.
        upload_ok(&mut app, id, &[("evidence", "扫描件.pdf", &fits)]).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_same_file_uploaded_twice_is_stored_once() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        upload_ok(&mut app, id, &[("signed_agreement", "协议书.pdf", PDF)]).await;
        upload_ok(&mut app, id, &[("signed_agreement", "协议书(再次).pdf", PDF)]).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 2);
        assert_eq!(app.count("SELECT COUNT(DISTINCT sha256) FROM attachments").await, 1);
        let stored = files_in(&app.config.files_dir);
        assert_eq!(stored.len(), 1, "{stored:?}");
        let sha: String = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT sha256 FROM attachments LIMIT 1"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(stored[0], format!("{}/{}", &sha[..2], &sha[2..]));
    })
    .await;
}

#[tokio::test]
async fn a_download_names_the_file_in_chinese_and_is_sent_as_found_never_sniffed() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        upload_ok(
            &mut app,
            id,
            &[
                ("signed_agreement", "调解协议书 签字版.pdf", PDF),
                ("photo", "现场.png", PNG),
            ],
        )
        .await;
        let page = app.get(&format!("/cases/{id}")).await;
        let links = page.attrs("#attachments a.download", "href");
        let file = app.get(&links[0]).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.bytes, PDF);
        assert_eq!(
            file.headers["content-disposition"],
            "attachment; filename=\"_____ ___.pdf\"; \
         filename*=UTF-8''%E8%B0%83%E8%A7%A3%E5%8D%8F%E8%AE%AE%E4%B9%A6%20%E7%AD%BE%E5%AD%97%E7%89%88.pdf"
        );
        assert_eq!(file.headers["content-type"], "application/pdf");
        assert_eq!(file.headers["x-content-type-options"], "nosniff");
        assert_eq!(file.headers["cache-control"], "no-store");
        // Images also inline, for the thumbnails; a PDF is never sent inline.
        let image = app.get(&format!("{}/inline", links[1])).await;
        assert_eq!(image.status, StatusCode::OK);
        assert!(
            image.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("inline;")
        );
        assert_eq!(image.headers["content-type"], "image/png");
        assert_eq!(
            app.get(&format!("{}/inline", links[0])).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn a_download_is_refused_to_a_mediator_of_another_case_and_to_signed_out_users() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        upload_ok(&mut app, id, &[("photo", "现场.png", PNG)]).await;
        let aid = app.count("SELECT MAX(id) FROM attachments").await;
        let (file, inline) = (
            format!("/cases/{id}/attachments/{aid}"),
            format!("/cases/{id}/attachments/{aid}/inline"),
        );
        let mut other = app.client();
        other.login("other").await;
        assert_eq!(other.get(&file).await.status, StatusCode::NOT_FOUND);
        assert_eq!(other.get(&inline).await.status, StatusCode::NOT_FOUND);
        let mut anonymous = app.client();
        let page = anonymous.get(&file).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(page.location.unwrap().starts_with("/login"));
        assert!(!page.bytes.starts_with(b"\x89PNG"));
        // The secretary reads every case; another case's attachment id is not found.
        let mut sec = app.client();
        sec.login("sec").await;
        assert_eq!(sec.get(&file).await.bytes, PNG);
        assert_eq!(
            app.get(&format!("/cases/{}/attachments/{aid}", id + 1)).await.status,
            StatusCode::NOT_FOUND
        );
        // Who only reads cannot upload.
        let page = upload(&mut sec, id, &[("photo", "b.png", PNG)]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn an_upload_without_its_token_first_in_the_body_is_refused() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        let fields: [(&str, Option<&str>, &[u8]); 3] = [
            ("kind_1", None, b"photo"),
            ("file_1", Some("a.png"), PNG),
            ("csrf_token", None, b"forged"),
        ];
        let page = app.post_multipart(&format!("/cases/{id}/attachments"), &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
        assert!(files_in(&app.config.files_dir).is_empty());
    })
    .await;
}

#[tokio::test]
async fn voiding_needs_a_reason_and_keeps_the_attachment_listed_struck_through_with_its_file() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        upload_ok(&mut app, id, &[("identity", "身份证.png", PNG)]).await;
        let aid = app.count("SELECT MAX(id) FROM attachments").await;
        let void = format!("/cases/{id}/attachments/{aid}/void");
        let form = app.get(&void).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.text("#void-name"), "身份证.png");
        let refused = app.post(&void, &[("reason", "  ")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.text("#reason-error"), "必填。");
        let mut sec = app.client();
        sec.login("sec").await;
        assert_eq!(
            sec.post(&void, &[("reason", "错传")]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM attachments WHERE voided_at IS NOT NULL")
                .await,
            0
        );

        app.post_ok(&void, &[("reason", "传错了案件")]).await;
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.texts("#attachments tr.voided del a.download"), ["身份证.png"]);
        assert_eq!(page.text("#attachments .void-reason"), "传错了案件");
        assert!(page.attrs("#attachments a.void", "href").is_empty(), "no second void");
        let entries = page.texts("#history li[data-entity=attachment][data-action=void]");
        assert_eq!(entries.len(), 1);
        assert!(entries[0].contains("传错了案件"), "{entries:?}");
        // The file stays, and can still be fetched from the history.
        assert_eq!(files_in(&app.config.files_dir).len(), 1);
        assert_eq!(app.get(&format!("/cases/{id}/attachments/{aid}")).await.bytes, PNG);
    })
    .await;
}

#[tokio::test]
async fn a_backup_with_files_restores_into_a_fresh_directory_and_check_passes_then_fails_on_an_altered_file() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        upload_ok(
            &mut app,
            id,
            &[("signed_agreement", "协议书.pdf", PDF), ("photo", "现场.png", PNG)],
        )
        .await;
        // A file a crash left under its temporary name is no attachment.
        std::fs::write(app.config.files_dir.join(format!("{PART_PREFIX}0123")), b"half").unwrap();
        let work = app.dir.path();
        // The database as `--db` takes it: the live one (a file or a server), or a restored file.
        let run = |db: &std::ffi::OsStr, files: &std::path::Path, args: &[&str]| {
            accord_cmd(work)
                .env("ACCORD_FILES_DIR", files)
                .arg("--db")
                .arg(db)
                .args(args)
                .output()
                .unwrap()
        };
        let live_check = run(app.config.database.as_ref(), &app.config.files_dir, &["check"]);
        assert!(
            live_check.status.success(),
            "{}",
            String::from_utf8_lossy(&live_check.stderr)
        );

        let dest = work.join("backup-2026-11-28");
        let out = run(
            app.config.database.as_ref(),
            &app.config.files_dir,
            &["backup", dest.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("2 attachment files"), "{said}");
        assert_eq!(files_in(&dest.join("files")).len(), 2, "the temporary file is left out");
        let again = run(
            app.config.database.as_ref(),
            &app.config.files_dir,
            &["backup", dest.to_str().unwrap()],
        );
        assert!(!again.status.success());

        // Restore into a fresh folder, as the README says, and check it.
        let fresh = tempfile::tempdir().unwrap();
        let (db, files) = (fresh.path().join("data/accord.db"), fresh.path().join("data/files"));
        std::fs::create_dir_all(&files).unwrap();
        std::fs::copy(dest.join("accord.db"), &db).unwrap();
        for f in files_in(&dest.join("files")) {
            std::fs::create_dir_all(files.join(&f).parent().unwrap()).unwrap();
            std::fs::copy(dest.join("files").join(&f), files.join(&f)).unwrap();
        }
        let ok = run(db.as_os_str(), &files, &["check"]);
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        assert!(String::from_utf8_lossy(&ok.stdout).contains("2 attachment files"));

        // The restored installation serves the file.
        let mut config = app.config.clone();
        config.database = accord::store::Location::File(db.clone());
        config.files_dir = files.clone();
        let pool = accord::store::open(&db).await.unwrap();
        let mut restored = app.client();
        restored.router = accord::web::router(accord::web::AppState::new(
            pool.clone(),
            config,
            accord::clock::Clock::Fixed(app.today),
        ));
        restored.pool = pool;
        restored.login("own").await;
        let aid = restored.count("SELECT MIN(id) FROM attachments").await;
        assert_eq!(restored.get(&format!("/cases/{id}/attachments/{aid}")).await.bytes, PDF);

        // One altered byte, then a missing file: check names each and fails.
        let sha: String = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT sha256 FROM attachments WHERE original_name = '协议书.pdf'"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        let pdf = FileStore::new(&files).path_of(&sha);
        let mut bytes = std::fs::read(&pdf).unwrap();
        bytes[10] ^= 1;
        std::fs::write(&pdf, bytes).unwrap();
        let bad = run(db.as_os_str(), &files, &["check"]);
        assert!(!bad.status.success());
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(err.contains("协议书.pdf") && err.contains("altered"), "{err}");
        std::fs::remove_file(&pdf).unwrap();
        let err = String::from_utf8_lossy(&run(db.as_os_str(), &files, &["check"]).stderr).into_owned();
        assert!(err.contains("协议书.pdf") && err.contains("missing"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn an_upload_may_be_tied_to_a_session_of_its_case_and_no_other() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        let m = app.mediator_of("own").await.to_string();
        let session = [
            ("held_on", "2026-11-04"),
            ("form", "on_site"),
            ("mediators", m.as_str()),
            ("notes", ""),
        ];
        app.post_ok(&format!("/cases/{id}/sessions"), &session).await;
        let sid = app.count("SELECT MAX(id) FROM mediation_sessions").await;
        let token = app.csrf().await;
        let link = format!("session:{sid}");
        let fields: [(&str, Option<&str>, &[u8]); 4] = [
            ("csrf_token", None, token.as_bytes()),
            ("link", None, link.as_bytes()),
            ("kind_1", None, b"evidence"),
            ("file_1", Some("笔录.pdf"), PDF),
        ];
        let page = app.post_multipart(&format!("/cases/{id}/attachments"), &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let page = app.get(&format!("/cases/{id}")).await;
        assert!(page.text("#attachments tbody tr").contains("调解记录 2026-11-04"));
        // A row's several files share its kind.
        let several: [(&str, Option<&str>, &[u8]); 4] = [
            ("csrf_token", None, token.as_bytes()),
            ("kind_1", None, b"photo"),
            ("file_1", Some("一.png"), PNG),
            ("file_1", Some("二.png"), PNG),
        ];
        let page = app.post_multipart(&format!("/cases/{id}/attachments"), &several).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.texts("#attachments td.kind"), ["证据材料", "照片", "照片"]);
        // Another case's session is not a choice.
        let other = app.create_case(&case_form(app.mediator_of("own").await, &[])).await;
        let page = app
            .post_multipart(&format!("/cases/{other}/attachments"), &fields)
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("#link.invalid"));
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 3);
    })
    .await;
}

#[tokio::test]
async fn the_web_backup_page_says_attachments_need_the_command() {
    crate::common::both(async || {
        let (mut app, _) = setup(Config::defaults()).await;
        app.login("boss").await;
        let page = app.get("/backup").await;
        assert!(page.text("p.attachments-note").contains("accord backup"));
    })
    .await;
}

#[tokio::test]
async fn a_note_too_long_or_a_missing_kind_is_named_with_its_file_row_and_nothing_is_written() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        let token = app.csrf().await;
        let long = "说".repeat(501);
        let fields: [(&str, Option<&str>, &[u8]); 6] = [
            ("csrf_token", None, token.as_bytes()),
            ("kind_1", None, b"evidence"),
            ("note_1", None, long.as_bytes()),
            ("file_1", Some("a.pdf"), PDF),
            ("kind_2", None, b""),
            ("file_2", Some("b.pdf"), PDF),
        ];
        let page = app.post_multipart(&format!("/cases/{id}/attachments"), &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            page.texts("#upload-errors li"),
            ["文件 1 · 说明: 内容过长。", "文件 2 · 类别: 必填。"]
        );
        assert_eq!(page.text("#note_1-error"), "内容过长。");
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
        assert!(files_in(&app.config.files_dir).is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_dossier_lists_the_attachments_in_its_contents_and_prints_the_images_also_offline() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        upload_ok(
            &mut app,
            id,
            &[("signed_agreement", "协议书.pdf", PDF), ("photo", "现场.png", PNG)],
        )
        .await;
        let page = app.get(&format!("/cases/{id}/dossier")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.texts(".toc-title").iter().any(|t| t == "附件清单"),
            "the contents name the attachments: {:?}",
            page.texts(".toc-title")
        );
        let rows = page.texts(".attachments-list tbody tr");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(
            rows[0].contains("签字协议书") && rows[0].contains("协议书.pdf"),
            "{rows:?}"
        );
        assert!(rows[1].contains("照片") && rows[1].contains("现场.png"), "{rows:?}");
        // The web page prints the image by its address; the PDF is listed only.
        assert!(
            page.body.contains(&format!("/cases/{id}/attachments/")),
            "the image is printed"
        );
        assert_eq!(page.texts(".dossier-image").len(), 1);

        // The offline file carries the image inside it.
        let number: String = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT case_no FROM cases WHERE id = $1"
        )
        .bind(id)
        .fetch_one(e)
        .await)
        .unwrap();
        let out = app.dir.path().join("dossier.html");
        let run = accord_cmd(app.dir.path())
            .env("ACCORD_FILES_DIR", &app.config.files_dir)
            .arg("--db")
            .arg(&app.config.database)
            .args(["dossier", &number, "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains("data:image/png;base64,"), "the image is inside the file");
        assert!(!html.contains("/attachments/"), "nothing is fetched from the server");
    })
    .await;
}

#[tokio::test]
async fn a_photo_is_shown_on_the_case_page_by_a_small_thumbnail_made_once() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        // A real photo, 1200 × 600 pixels.
        let photo = image::RgbImage::from_fn(1200, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(photo)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        upload_ok(&mut app, id, &[("photo", "现场.png", &png), ("photo", "坏图.png", PNG)]).await;
        let page = app.get(&format!("/cases/{id}")).await;
        let thumbs = page.attrs("table.attachments img.thumb", "src");
        assert_eq!(thumbs.len(), 2, "{thumbs:?}");
        assert!(thumbs.iter().all(|src| src.ends_with("/thumb")), "{thumbs:?}");

        let small = app.get(&thumbs[0]).await;
        assert_eq!(small.status, StatusCode::OK);
        assert_eq!(small.content_type.as_deref(), Some("image/jpeg"));
        let drawn = image::load_from_memory(&small.bytes).unwrap();
        assert_eq!(
            (drawn.width(), drawn.height()),
            (320, 160),
            "scaled to fit 320 px, its shape kept"
        );
        let kept = app.config.files_dir.join("thumbs");
        assert_eq!(std::fs::read_dir(&kept).unwrap().count(), 1, "the thumbnail is kept");
        let again = app.get(&thumbs[0]).await;
        assert_eq!(again.bytes, small.bytes, "and served again as made");

        // An image that cannot be drawn is shown as it is.
        let damaged = app.get(&thumbs[1]).await;
        assert_eq!(damaged.status, StatusCode::OK);
        assert_eq!(damaged.content_type.as_deref(), Some("image/png"));
        assert_eq!(damaged.bytes, PNG);
    })
    .await;
}

#[tokio::test]
async fn an_admin_purges_the_files_of_a_voided_case_and_keeps_those_another_case_needs() {
    crate::common::both(async || {
        let (mut app, id) = setup(Config::defaults()).await;
        upload_ok(
            &mut app,
            id,
            &[("identity", "身份证.pdf", PDF), ("photo", "现场.png", PNG)],
        )
        .await;
        let m = app.mediator_of("own").await;
        let other = app.create_case(&case_form(m, &[])).await;
        upload_ok(&mut app, other, &[("photo", "同一张.png", PNG)]).await;
        let number: String = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT case_no FROM cases WHERE id = $1"
        )
        .bind(id)
        .fetch_one(e)
        .await)
        .unwrap();
        let work = app.dir.path().to_path_buf();
        let (files, db) = (app.config.files_dir.clone(), app.config.database.clone());
        let run = |args: &[&str]| {
            accord_cmd(&work)
                .env("ACCORD_FILES_DIR", &files)
                .arg("--db")
                .arg(&db)
                .args(args)
                .output()
                .unwrap()
        };
        let refused = run(&["purge", &number]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("not voided"));
        assert_eq!(files_in(&files).len(), 2, "nothing removed");

        app.login("boss").await;
        let voided = app.post(&format!("/cases/{id}/void"), &[("reason", "重复登记")]).await;
        assert_eq!(voided.status, StatusCode::SEE_OTHER);
        let done = run(&["purge", &number]);
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
        let said = String::from_utf8_lossy(&done.stdout);
        assert!(said.contains("2 attachment(s) purged, 1 file(s) removed"), "{said}");
        assert_eq!(files_in(&files).len(), 1, "the photo the other case has stays");

        // The rows stay listed, without their files; the other case's photo downloads.
        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.texts("table.attachments tbody tr").len(), 2);
        assert!(page.text("table.attachments").contains("文件已清除"));
        assert!(!page.has("table.attachments a.download"));
        let first: i64 = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT MIN(id) FROM attachments WHERE case_id = $1"
        )
        .bind(id)
        .fetch_one(e)
        .await)
        .unwrap();
        let gone = app.get(&format!("/cases/{id}/attachments/{first}")).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        let kept: i64 = accord::on_db!(app.pool, |e| sqlx::query_scalar(
            "SELECT id FROM attachments WHERE case_id = $1"
        )
        .bind(other)
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(app.get(&format!("/cases/{other}/attachments/{kept}")).await.bytes, PNG);
        assert!(
            page.text("#history").contains("清除附件文件"),
            "the purge is in the history"
        );
        let check = run(&["check"]);
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    })
    .await;
}
