//! What an import refuses: every refusal names the case and the field,
//! and nothing at all is written.

use serde_json::Value;

use super::{export_to, folder, footprint, import_file, installation_a, installation_b, read_json};
use accord::csv_io::exchange::{ImportError, Problem, Refusal};
use accord::i18n::Lang;

/// The refusals of an import that must fail.
fn refusals(outcome: Result<accord::csv_io::exchange::Imported, ImportError>) -> Vec<Refusal> {
    match outcome {
        Err(ImportError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_tampered_attachment_file_refuses_the_whole_import() {
    crate::common::both(async || {
        let a = installation_a().await;
        let b = installation_b().await;
        let path = folder(&a, "a").join("cases.json");
        let sent = export_to(&a, &path).await;
        let file = folder(&a, "a").join("cases.json.files").join(&sent.attachments[0]);
        std::fs::write(&file, b"%PDF-1.7\nsomething else entirely\n%%EOF\n").unwrap();
        let before = footprint(&b).await;

        let found = refusals(import_file(&b, &path, false).await);
        let doc = read_json(&path);
        assert_eq!(found.len(), 1, "{found:?}");
        let r = &found[0];
        assert_eq!(r.case.as_ref().unwrap().uuid, doc["cases"][0]["uuid"].as_str().unwrap());
        assert_eq!(r.field, "attachments[0].sha256");
        assert!(matches!(r.problem, Problem::FileMismatch(_)));
        assert!(
            r.message(Lang::En).contains("not the manifest's"),
            "{}",
            r.message(Lang::En)
        );
        assert!(r.message(Lang::Zh).contains("与清单不符"));
        assert_eq!(footprint(&b).await, before, "nothing written");
        assert!(
            !b.config.files_dir.join(&sent.attachments[0][..2]).exists(),
            "no file copied"
        );
    })
    .await;
}

#[tokio::test]
async fn malformed_json_and_another_version_are_refused_as_a_whole() {
    crate::common::both(async || {
        let b = installation_b().await;
        let dir = folder(&b, "in");
        let path = dir.join("bad.json");
        std::fs::write(&path, b"{\"format\": \"accord-exchange\", \"version\": 1, ").unwrap();
        let r = refusals(import_file(&b, &path, false).await);
        assert!(matches!(r[0].problem, Problem::NotJson(_)), "{r:?}");
        assert!(r[0].message(Lang::En).starts_with("The file is not valid JSON"));

        std::fs::write(&path, br#"{"format": "accord-exchange", "version": 2, "cases": []}"#).unwrap();
        let r = refusals(import_file(&b, &path, false).await);
        assert_eq!(r[0].problem, Problem::Version("2".into()));
        assert!(r[0].message(Lang::En).contains("version 2"));

        std::fs::write(&path, br#"{"hello": "world"}"#).unwrap();
        let r = refusals(import_file(&b, &path, false).await);
        assert_eq!(r[0].problem, Problem::NotExchange);
        assert_eq!(b.count("SELECT COUNT(*) FROM cases").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_bad_money_string_a_wrong_type_and_an_unknown_code_name_the_case_and_field() {
    crate::common::both(async || {
        let a = installation_a().await;
        let b = installation_b().await;
        let path = folder(&a, "a").join("cases.json");
        export_to(&a, &path).await;
        let good = read_json(&path);
        let before = footprint(&b).await;
        let uuid = good["cases"][0]["uuid"].as_str().unwrap().to_string();
        let case_no = good["cases"][0]["case_no"].as_str().unwrap().to_string();

        let write = |change: &dyn Fn(&mut Value)| {
            let mut doc = good.clone();
            change(&mut doc);
            std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
        };
        write(&|d| d["cases"][0]["fields"]["amount_agreed"] = "8,000".into());
        let r = refusals(import_file(&b, &path, false).await);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].field, "fields.amount_agreed");
        assert_eq!(r[0].problem, Problem::BadMoney);
        let message = r[0].message(Lang::En);
        assert!(message.contains(&uuid) && message.contains(&case_no), "{message}");
        assert!(message.contains("two decimals"), "{message}");

        write(&|d| d["cases"][0]["parties"][1]["phone"] = 13812341234u64.into());
        let r = refusals(import_file(&b, &path, false).await);
        assert_eq!(r[0].field, "parties[1].phone");
        assert_eq!(r[0].case.as_ref().unwrap().uuid, uuid);

        write(&|d| d["cases"][0]["fields"]["category"] = "lunar_rights".into());
        let r = refusals(import_file(&b, &path, false).await);
        assert_eq!(r[0].field, "fields.category");
        assert_eq!(r[0].problem, Problem::UnknownCode("lunar_rights".into()));

        write(&|d| d["cases"][0]["fields"]["summary"] = "概要\u{0}".into());
        let r = refusals(import_file(&b, &path, false).await);
        assert_eq!(r[0].field, "fields.summary");
        assert!(
            r[0].message(Lang::En).contains("control character"),
            "{}",
            r[0].message(Lang::En)
        );

        write(&|d| d["cases"][0]["history"][0]["action"] = "create\u{0}".into());
        let r = refusals(import_file(&b, &path, false).await);
        assert_eq!(r[0].field, "history[0].action");

        write(&|d| d["cases"][1]["uuid"] = d["cases"][0]["uuid"].clone());
        let r = refusals(import_file(&b, &path, false).await);
        assert!(r.iter().any(|r| r.problem == Problem::DuplicateUuid), "{r:?}");

        assert_eq!(footprint(&b).await, before, "nothing written by any of them");
    })
    .await;
}
