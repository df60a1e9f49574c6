//! Reference lists need only labels and ask before retiring or deleting (item 11).

use axum::http::StatusCode;

use crate::common::{admin_app, case_form};

#[tokio::test]
async fn a_new_reference_entry_needs_only_its_labels_and_gets_a_code() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let page = app.get("/reference").await;
        assert!(!page.has("form.add-code input[name=code]"), "no code to invent");
        for (zh, en) in [
            ("电梯维修", "Lift repairs"),
            ("电梯维修二", "Lift repairs"),
            ("雄安", "雄安"),
        ] {
            let added = app
                .post("/reference/categories", &[("label_zh", zh), ("label_en", en)])
                .await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        }
        let page = app.get("/reference").await;
        let codes = page.texts("#list-categories td.code code");
        for code in ["lift_repairs", "lift_repairs_2", "c1"] {
            assert!(codes.contains(&code.to_string()), "{code} in {codes:?}");
        }
        // The new entry is offered on the case form by its label.
        let form = app.get("/cases/new").await;
        assert!(
            form.texts("select[name=category] option")
                .contains(&"电梯维修".to_string())
        );
    })
    .await;
}

#[tokio::test]
async fn retiring_an_entry_asks_for_confirmation_on_its_own_page() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let list = app.get("/reference").await;
        let href = list.attrs("#list-categories tr[data-code=parking] a.retire", "href");
        assert_eq!(href, ["/reference/categories/parking/retire"]);

        let ask = app.get(&href[0]).await;
        assert_eq!(ask.status, StatusCode::OK);
        assert!(ask.text("h1").contains("停用“停车管理"), "{}", ask.text("h1"));
        assert_eq!(
            app.sql_i64(
                "SELECT CAST(CASE WHEN retired THEN 1 ELSE 0 END AS BIGINT) FROM categories WHERE code = 'parking'"
            )
            .await,
            0
        );
        assert_eq!(ask.attrs("form.confirm", "action"), [href[0].clone()]);
        assert_eq!(ask.attrs("form.confirm input[name=csrf_token]", "value").len(), 1);
        assert_eq!(ask.attrs("form.confirm a.button", "href"), ["/reference"]);

        let done = app.post(&href[0], &[("retired", "1")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.sql_i64(
                "SELECT CAST(CASE WHEN retired THEN 1 ELSE 0 END AS BIGINT) FROM categories WHERE code = 'parking'"
            )
            .await,
            1
        );
        // Restoring needs no confirmation.
        let list = app.get("/reference").await;
        assert!(list.has("#list-categories tr[data-code=parking] form button"));
    })
    .await;
}

#[tokio::test]
async fn deleting_an_unused_entry_asks_first_and_one_in_use_offers_retiring() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        app.post(
            "/reference/districts",
            &[("label_zh", "雄安新区"), ("label_en", "Xiong'an")],
        )
        .await;
        let list = app.get("/reference").await;
        let href = list.attrs("#list-districts tr[data-code=xiong_an] a.delete", "href");
        assert_eq!(href, ["/reference/districts/xiong_an/delete"]);
        let ask = app.get(&href[0]).await;
        assert!(ask.text("h1").contains("删除“雄安新区"));
        assert!(ask.text("#confirm-text").contains("不能恢复"));
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM districts WHERE code = 'xiong_an'")
                .await,
            1
        );
        assert_eq!(app.post(&href[0], &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM districts WHERE code = 'xiong_an'")
                .await,
            0
        );

        // A code in use (by a case) cannot be deleted: the page says so.
        let m = app.add_mediator("陈静").await;
        app.create_case(&case_form(m, &[("district", "chaoyang")])).await;
        let ask = app.get("/reference/districts/chaoyang/delete").await;
        assert!(ask.text(".error-message").contains("只能停用"));
        assert!(!ask.has("form.confirm"));
        assert_eq!(
            app.get("/reference/districts/nowhere/delete").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

/// An audit entry of a reference list: entity, entity id, action, before, after.
type Entry = (String, Option<i64>, String, serde_json::Value, serde_json::Value);

/// The reference list entries of the audit log, oldest first.
async fn reference_entries(app: &crate::common::TestApp) -> Vec<Entry> {
    type Row = (String, Option<i64>, String, Option<String>, Option<String>);
    let rows: Vec<Row> = accord::on_db!(app.pool, |e| {
        sqlx::query_as(
            "SELECT entity, entity_id, action, before, after FROM audit_log
             WHERE entity IN ('categories', 'sources', 'party_types', 'districts') ORDER BY id",
        )
        .fetch_all(e)
        .await
    })
    .unwrap();
    let json = |t: Option<String>| t.map_or(serde_json::Value::Null, |t| serde_json::from_str(&t).unwrap());
    rows.into_iter()
        .map(|(entity, id, action, before, after)| (entity, id, action, json(before), json(after)))
        .collect()
}

#[tokio::test]
async fn each_change_to_a_reference_entry_is_audited_with_the_whole_entry_before_and_after() {
    crate::common::both(async || {
    let mut app = admin_app().await;
    let item = |zh: &str, en: &str, retired: bool| serde_json::json!({"code": "xiongan", "label_zh": zh, "label_en": en, "retired": retired});
    let null = serde_json::Value::Null;
    app.post_ok(
        "/reference/districts",
        &[("code", "xiongan"), ("label_zh", "雄安"), ("label_en", "Xiong'an")],
    )
    .await;
    app.post_ok(
        "/reference/districts/xiongan",
        &[("label_zh", "雄安新区"), ("label_en", "Xiong'an")],
    )
    .await;
    app.post_ok("/reference/districts/xiongan/retire", &[("retired", "1")])
        .await;
    app.post_ok("/reference/districts/xiongan/retire", &[("retired", "0")])
        .await;
    app.post_ok("/reference/districts/xiongan/delete", &[]).await;

    let d = |action: &str, before: &serde_json::Value, after: &serde_json::Value| {
        (
            "districts".to_string(),
            None,
            action.to_string(),
            before.clone(),
            after.clone(),
        )
    };
    let (first, renamed) = (item("雄安", "Xiong'an", false), item("雄安新区", "Xiong'an", false));
    let retired = item("雄安新区", "Xiong'an", true);
    assert_eq!(
        reference_entries(&app).await,
        [
            d("create", &null, &first),
            d("rename", &first, &renamed),
            d("retire", &renamed, &retired),
            d("restore", &retired, &renamed),
            d("delete", &renamed, &null),
        ]
    );
    // The audit page names the entry by its code's label, not by a number.
    let page = app.get("/audit?entity=districts").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(" #"), "no internal id on the page");
}).await;
}
