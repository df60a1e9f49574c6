//! Any number of parties per side, added without JavaScript (item 8).

use axum::http::StatusCode;

use crate::common::{admin_app, case_form};

/// The case form as a browser sends it: one filled applicant row and the
/// blank row after it, plus the given extra pairs.
fn typed_case(m: i64, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = case_form(m, &[]);
    for k in ["applicant_type", "applicant_name", "applicant_phone"] {
        form.push((k.into(), String::new()));
    }
    form.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    form
}

#[tokio::test]
async fn the_add_applicant_button_shows_one_more_row_keeping_what_was_typed() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("林杰").await;
        let fresh = app.get("/cases/new").await;
        assert_eq!(fresh.attrs("input[name=applicant_name]", "value").len(), 2);
        assert_eq!(fresh.attrs("button[name=add_applicant]", "type"), ["submit"]);
        // Enter in a field saves: the form's first submit button is not an "add" button.
        let first = fresh.texts("form.case-form button[type=submit]");
        assert_eq!(first[0], "保存", "{first:?}");

        let page = app.post_case(&typed_case(m, &[("add_applicant", "1")])).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.has(".error-message") && !page.has(".field-error"),
            "no errors shown"
        );
        assert_eq!(
            page.attrs("input[name=applicant_name]", "value"),
            ["北京某物业服务有限公司", "", ""]
        );
        assert_eq!(
            page.attrs("input[name=applicant_name][autofocus]", "id"),
            ["applicant_name_2"]
        );
        assert_eq!(page.attrs("input[name=respondent_name]", "value")[0], "张三");
        assert_eq!(page.attrs("input#project", "value"), ["阳光花园小区"]);
        assert_eq!(page.text("textarea#summary"), "业主拖欠物业费两年,物业公司申请调解。");
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 0, "nothing saved");

        // Three applicants, saved.
        let mut form = case_form(m, &[]);
        for (t, n) in [("owner", "王芳"), ("owner", "赵强"), ("occupant", "李明")] {
            form.extend([
                ("applicant_type".to_string(), t.to_string()),
                ("applicant_name".to_string(), n.to_string()),
                ("applicant_phone".to_string(), String::new()),
            ]);
        }
        let id = app.create_case(&form).await;
        let shown = app.get(&format!("/cases/{id}")).await;
        assert_eq!(
            shown.texts("#applicants .party-name"),
            ["北京某物业服务有限公司", "王芳", "赵强", "李明"]
        );
    })
    .await;
}

#[tokio::test]
async fn the_edit_form_adds_a_respondent_row_too() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("林杰").await;
        let id = app.create_case(&case_form(m, &[])).await;
        let mut form = case_form(m, &[]);
        form.push(("add_respondent".into(), "1".into()));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = app.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.attrs("input[name=respondent_name]", "value"), ["张三", ""]);
        assert!(!page.has(".field-error"));
    })
    .await;
}

#[tokio::test]
async fn a_side_stops_at_fifty_parties_with_a_clear_message() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("林杰").await;
        let mut form = case_form(m, &[]);
        form.retain(|(k, _)| !k.starts_with("applicant_"));
        for i in 0..50 {
            form.extend([
                ("applicant_type".to_string(), "owner".to_string()),
                ("applicant_name".to_string(), format!("业主{i}")),
                ("applicant_phone".to_string(), String::new()),
            ]);
        }
        let mut full = form.clone();
        full.push(("add_applicant".into(), "1".into()));
        let page = app.post_case(&full).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.attrs("input[name=applicant_name]", "value").len(), 50);
        assert!(page.text("#applicants-error").contains("最多 50"));
        assert!(!page.has("button[name=add_applicant]"));
        // Fifty are saved; fifty-one are refused.
        assert_eq!(app.post_case(&form).await.status, StatusCode::SEE_OTHER);
        form.extend([
            ("applicant_type".to_string(), "owner".to_string()),
            ("applicant_name".to_string(), "业主50".to_string()),
            ("applicant_phone".to_string(), String::new()),
        ]);
        let refused = app.post_case(&form).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        // One message, at the first row over the limit (max_parties_per_side).
        assert!(refused.text("#applicant_name-50-error").contains("最多 50"));
    })
    .await;
}
