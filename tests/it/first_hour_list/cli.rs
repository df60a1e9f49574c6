//! Long commands show progress; off a terminal, as plain lines (item 17).

#[test]
fn demo_and_export_print_plain_progress_lines_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("accord.db");
    let db = db.to_str().unwrap();
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
}
