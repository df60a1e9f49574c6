//! Long commands show progress; off a terminal, as plain lines (item 17).

use crate::cli::database;

#[tokio::test]
async fn demo_and_export_print_plain_progress_lines_when_not_on_a_terminal() {
    crate::common::both(async || {
        let dir = tempfile::tempdir().unwrap();
        let (db, _pg) = database(dir.path().join("accord.db")).await;
        let db = db.as_str();
        let demo = crate::common::accord_cmd(dir.path())
            .args(["--db", db, "demo", "--cases", "5000"])
            .output()
            .unwrap();
        assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
        let err = String::from_utf8_lossy(&demo.stderr);
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("demo: ")).collect();
        assert_eq!(lines.first(), Some(&"demo: 0/5000 cases"), "{err}");
        let last = lines.last().unwrap();
        assert!(
            last.starts_with("demo: 5000/5000 cases (100%), ") && last.contains("/s, done in "),
            "{err}"
        );
        assert!(
            !err.contains('\r') && !err.contains('\u{1b}'),
            "no bar drawn into a log: {err:?}"
        );
        // The sign-ins still go to standard output.
        assert!(String::from_utf8_lossy(&demo.stdout).contains("Loaded 5000 synthetic cases"));

        let out = dir.path().join("all.csv");
        let export = crate::common::accord_cmd(dir.path())
            .args(["--db", db, "export", "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
        let err = String::from_utf8_lossy(&export.stderr);
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("export: ")).collect();
        assert_eq!(lines.first(), Some(&"export: 0/5000 cases"), "{err}");
        assert!(
            lines.last().unwrap().starts_with("export: 5000/5000 cases (100%)"),
            "{err}"
        );
        assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn import_prints_plain_progress_lines_for_its_check_and_its_write_when_not_on_a_terminal() {
    crate::common::both(async || {
        let dir = tempfile::tempdir().unwrap();
        let (from, _from_pg) = database(dir.path().join("from.db")).await;
        let demo = crate::common::accord_cmd(dir.path())
            .args(["--db", from.as_str(), "demo", "--cases", "1500", "--no-users"])
            .output()
            .unwrap();
        assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
        let file = dir.path().join("all.csv");
        let export = crate::common::accord_cmd(dir.path())
            .args(["--db", from.as_str(), "export", "--out", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));

        let (to, _to_pg) = database(dir.path().join("to.db")).await;
        let import = crate::common::accord_cmd(dir.path())
            .args(["--db", to.as_str(), "import", file.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&import.stderr);
        assert!(import.status.success(), "{err}");
        let check: Vec<&str> = err.lines().filter(|l| l.starts_with("import check: ")).collect();
        assert_eq!(check.first(), Some(&"import check: 0/1500 rows"), "{err}");
        assert!(
            check
                .last()
                .unwrap()
                .starts_with("import check: 1500/1500 rows (100%), "),
            "{err}"
        );
        let write: Vec<&str> = err.lines().filter(|l| l.starts_with("import write: ")).collect();
        assert_eq!(write.first(), Some(&"import write: 0/1 step"), "{err}");
        assert!(
            write.last().unwrap().starts_with("import write: 1/1 step (100%), ")
                && write.last().unwrap().contains("done in "),
            "{err}"
        );
        assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
        // The report still goes to standard output.
        assert!(
            String::from_utf8_lossy(&import.stdout).contains("1500"),
            "{}",
            String::from_utf8_lossy(&import.stdout)
        );

        // A refused file shows its check and no write.
        std::fs::write(&file, "case_no,received_on\n,2026-13-01\n").unwrap();
        let refused = crate::common::accord_cmd(dir.path())
            .args(["--db", to.as_str(), "import", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!refused.status.success());
        let err = String::from_utf8_lossy(&refused.stderr);
        assert!(!err.contains("import write: "), "{err}");
    })
    .await;
}
