//! Export, import, export again: the schema, the exact round trip between
//! two installations, idempotence, updates, and the command line.

use serde_json::Value;

use super::{comparable, export_to, folder, footprint, import_file, installation_a, installation_b, read_json};
use crate::common::accord_cmd;
use accord::csv_io::exchange::Outcome;
use accord::domain::Role;

#[tokio::test]
async fn every_export_validates_against_the_schema_in_the_repository() {
    crate::common::both(async || {
        let a = installation_a().await;
        let path = folder(&a, "out").join("cases.json");
        export_to(&a, &path).await;
        let schema: Value = serde_json::from_str(include_str!("../../../schema/exchange-v1.json")).unwrap();
        let validator = jsonschema::validator_for(&schema).expect("the schema is a valid draft 2020-12 schema");
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "the export breaks the schema: {errors:#?}");
        let settled = &doc["cases"][0];
        assert_eq!(settled["fields"]["amount_claimed"], "12345.60");
        assert_eq!(settled["fields"]["amount_agreed"], "8000.00");
        assert_eq!(settled["fields"]["status"], "settled");
        assert_eq!(settled["fields"]["people_involved"], 6);
        assert_eq!(settled["fields"]["prevented_petition_people"], 12);
        assert_eq!(settled["fields"]["prevented_crime_people"], Value::Null);
        assert_eq!(settled["sessions"][0]["form"], "on_site");
        assert_eq!(settled["attachments"][0]["name"], "协议书.pdf");
        assert_eq!(
            doc["cases"][1]["fields"]["amount_claimed"],
            Value::Null,
            "a blank amount stays blank"
        );
    })
    .await;
}

#[tokio::test]
async fn a_case_moves_to_a_fresh_installation_and_back_unchanged() {
    crate::common::both(async || {
        let a = installation_a().await;
        let b = installation_b().await;
        let from_a = folder(&a, "a").join("cases.json");
        let sent = export_to(&a, &from_a).await;
        assert_eq!((sent.cases, sent.files_written), (2, 1));

        let done = import_file(&b, &from_a, false).await.unwrap();
        assert_eq!((done.created, done.updated, done.unchanged), (2, 0, 0));
        assert_eq!(done.files_copied, 1);
        assert_eq!(
            done.cases[0].1, "朝调〔2026〕第0001号",
            "numbered in B's committee's series"
        );
        b.add_user_in(3, "boss3", Role::Admin).await;
        let mut boss = b.client();
        boss.login("boss3").await;
        let id = b
            .count("SELECT id FROM cases WHERE case_no = '朝调〔2026〕第0001号'")
            .await;
        let page = boss.get(&format!("/cases/{id}")).await;
        assert!(
            page.body.contains("物调〔2026〕第0001号"),
            "its page keeps the number it had in A"
        );

        let from_b = folder(&b, "b").join("cases.json");
        export_to(&b, &from_b).await;
        assert_eq!(comparable(read_json(&from_b)), comparable(read_json(&from_a)));

        // The way back: A has both cases already, as they are.
        let before = footprint(&a).await;
        let back = import_file(&a, &from_b, false).await.unwrap();
        assert_eq!((back.created, back.updated, back.unchanged), (0, 0, 2));
        assert_eq!(footprint(&a).await, before);
    })
    .await;
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    crate::common::both(async || {
        let a = installation_a().await;
        let b = installation_b().await;
        let path = folder(&a, "a").join("cases.json.gz");
        export_to(&a, &path).await;
        import_file(&b, &path, false).await.unwrap();
        let once = footprint(&b).await;
        let again = import_file(&b, &path, false).await.unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
        assert_eq!(footprint(&b).await, once, "no row, number or history entry more");
    })
    .await;
}

#[tokio::test]
async fn a_case_changed_in_the_file_is_updated_and_its_number_kept() {
    crate::common::both(async || {
        let a = installation_a().await;
        let b = installation_b().await;
        let path = folder(&a, "a").join("cases.json");
        export_to(&a, &path).await;
        import_file(&b, &path, false).await.unwrap();

        let mut doc = read_json(&path);
        doc["cases"][1]["fields"]["summary"] = "双方同意另行约定缴费时间。".into();
        doc["cases"][1]["parties"][1]["name"] = "李四(已更名)".into();
        std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
        let done = import_file(&b, &path, false).await.unwrap();
        assert_eq!((done.created, done.updated, done.unchanged), (0, 1, 1));
        assert_eq!(
            done.cases[1],
            (
                doc["cases"][1]["uuid"].as_str().unwrap().to_string(),
                "朝调〔2026〕第0002号".to_string(),
                Outcome::Updated
            )
        );
        assert_eq!(
            b.sql_text("SELECT summary FROM cases WHERE case_no = '朝调〔2026〕第0002号'")
                .await
                .as_deref(),
            Some("双方同意另行约定缴费时间。")
        );
        assert_eq!(
            b.count("SELECT COUNT(*) FROM parties WHERE name = '李四(已更名)'")
                .await,
            1
        );
        let again = import_file(&b, &path, false).await.unwrap();
        assert_eq!((again.updated, again.unchanged), (0, 2), "the update happened once");
    })
    .await;
}

#[tokio::test]
async fn the_command_line_exports_and_imports_with_a_dry_run_first() {
    crate::common::both(async || {
        let a = installation_a().await;
        let b = installation_b().await;
        let dir = folder(&a, "cli");
        let out = dir.join("moving.json.gz");
        let db = |app: &crate::common::TestApp| app.config.database.to_str().unwrap().to_string();
        let export = accord_cmd(&dir)
            .args(["--db", &db(&a), "exchange", "export", "--out"])
            .arg(&out)
            .env("ACCORD_FILES_DIR", &a.config.files_dir)
            .output()
            .unwrap();
        assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
        assert!(
            dir.join("moving.json.gz.files").is_dir(),
            "the files beside the document"
        );
        let one = dir.join("one.json");
        let picked = accord_cmd(&dir)
            .args([
                "--db",
                &db(&a),
                "exchange",
                "export",
                "--no-files",
                "--case",
                "物调〔2026〕第0002号",
                "--out",
            ])
            .arg(&one)
            .output()
            .unwrap();
        assert!(picked.status.success(), "{}", String::from_utf8_lossy(&picked.stderr));
        let doc = read_json(&one);
        assert_eq!(doc["cases"].as_array().unwrap().len(), 1);
        assert_eq!(doc["cases"][0]["case_no"], "物调〔2026〕第0002号");
        assert!(!dir.join("one.json.files").exists(), "--no-files writes none");

        let import = |dry: bool| {
            let mut cmd = accord_cmd(&dir);
            cmd.args(["--db", &db(&b), "exchange", "import"])
                .arg(&out)
                .args(["--committee", "3", "--lang", "en"])
                .env("ACCORD_FILES_DIR", &b.config.files_dir);
            if dry {
                cmd.arg("--dry-run");
            }
            let run = cmd.output().unwrap();
            assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
            String::from_utf8(run.stdout).unwrap()
        };
        let dry = import(true);
        assert!(dry.contains("2 created, 0 updated, 0 unchanged."), "{dry}");
        assert!(dry.contains("Dry run"), "{dry}");
        assert_eq!(
            b.count("SELECT COUNT(*) FROM cases").await,
            0,
            "a dry run writes nothing"
        );
        assert!(import(false).contains("2 created, 0 updated, 0 unchanged."));
        assert!(import(false).contains("0 created, 0 updated, 2 unchanged."));
    })
    .await;
}
