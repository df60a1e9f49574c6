//! Issue 2: sign-in, CSRF, the case register, validation, case numbers,
//! filters and paging, languages.

use crate::common::{TestApp, case_form};
use axum::http::StatusCode;

use accord::domain::Role;
use accord::store::Backend;

async fn mediator_app() -> (TestApp, i64) {
    let mut app = TestApp::new().await;
    app.add_user("li", Role::Mediator).await;
    app.login("li").await;
    let m = app.mediator_of("li").await;
    (app, m)
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_back_afterwards() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        let page = app.get("/cases/new").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location.as_deref(), Some("/login?next=%2Fcases%2Fnew"));
        for path in ["/", "/cases", "/cases/1", "/mediators", "/no-such-page"] {
            let page = app.get(path).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
            assert!(page.location.unwrap().starts_with("/login"), "{path}");
        }
        let login = app.get("/login?next=%2Fcases%2Fnew").await;
        assert_eq!(login.status, StatusCode::OK);
        assert_eq!(login.attrs("input[name=next]", "value"), vec!["/cases/new"]);
        let page = app
            .post(
                "/login",
                &[
                    ("username", "li"),
                    ("password", crate::common::PASSWORD),
                    ("next", "/cases/new"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location.as_deref(), Some("/cases/new"));
        let cookie = page.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert_eq!(app.get("/cases/new").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_an_offsite_next_is_ignored() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("li", Role::Mediator).await;
        let page = app
            .post("/login", &[("username", "li"), ("password", "wrong-password")])
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.text(".error-message").contains("用户名或密码不正确"));
        assert_eq!(app.get("/cases").await.status, StatusCode::SEE_OTHER);
        let page = app
            .post(
                "/login",
                &[
                    ("username", "li"),
                    ("password", crate::common::PASSWORD),
                    ("next", "//evil.example/"),
                ],
            )
            .await;
        assert_eq!(page.location.as_deref(), Some("/"));
    })
    .await;
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    crate::common::both(async || {
        let (mut app, _) = mediator_app().await;
        assert_eq!(app.get("/cases").await.status, StatusCode::OK);
        let sessions_before = app
            .sql_i64("SELECT COUNT(*) FROM http_sessions WHERE data LIKE '%user_id%'")
            .await;
        assert_eq!(sessions_before, 1);
        let page = app.post("/logout", &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.sql_i64("SELECT COUNT(*) FROM http_sessions WHERE data LIKE '%user_id%'")
                .await,
            0
        );
        assert_eq!(app.get("/cases").await.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn a_post_without_a_valid_csrf_token_is_refused_and_writes_nothing() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        let form = case_form(m, &[]);
        let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = app.post_without_token("/cases", &pairs).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.text(".error-message").contains("表单已过期"));
        pairs.push(("csrf_token", "0000"));
        assert_eq!(
            app.post_without_token("/cases", &pairs).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 0);
        // Sign-in itself needs the token too.
        app.logout_locally();
        let page = app
            .post_without_token("/login", &[("username", "li"), ("password", crate::common::PASSWORD)])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_case_with_two_applicants_is_created_listed_found_and_shown() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        let mut form = case_form(m, &[]);
        form.retain(|(k, _)| !k.starts_with("applicant_"));
        for (t, n, p) in [("owner", "王芳", "13911112222"), ("owner", "赵强", "")] {
            form.push(("applicant_type".into(), t.into()));
            form.push(("applicant_name".into(), n.into()));
            form.push(("applicant_phone".into(), p.into()));
        }
        form.push(("respondent_type".into(), "property_company".into()));
        form.push(("respondent_name".into(), "".into()));
        form.push(("respondent_phone".into(), "".into()));
        let id = app.create_case(&form).await;

        let page = app.get(&format!("/cases/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("#case-no"), "物调〔2026〕第0001号");
        assert_eq!(page.texts("#applicants .party-name"), vec!["王芳", "赵强"]);
        assert_eq!(page.texts("#respondents .party-name"), vec!["张三"]);
        assert_eq!(page.text("#amount-claimed"), "¥12,345.60");
        assert_eq!(page.text("#category"), "物业费纠纷");
        assert_eq!(page.text(".notice"), "案件已登记。");
        assert_eq!(app.sql_i64("SELECT amount_claimed FROM cases").await, 1_234_560);

        let list = app.get("/cases").await;
        assert_eq!(list.texts("a.case-link"), vec!["物调〔2026〕第0001号"]);
        assert!(list.text("td.parties").contains("王芳; 赵强"));
        for q in ["赵强", "阳光花园", "拖欠物业费", "第0001号"] {
            let found = app.get(&format!("/cases?q={}", urlencode(q))).await;
            assert_eq!(found.texts("a.case-link").len(), 1, "search {q}");
        }
        let none = app.get(&format!("/cases?q={}", urlencode("李四"))).await;
        assert!(none.texts("a.case-link").is_empty());
        assert!(none.has("p.empty"));
    })
    .await;
}

#[tokio::test]
async fn a_case_can_be_edited_and_keeps_its_number() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        let id = app.create_case(&case_form(m, &[])).await;
        let edit = app.get(&format!("/cases/{id}/edit")).await;
        assert_eq!(edit.attrs("input[name=amount_claimed]", "value"), vec!["12345.60"]);
        let form = case_form(m, &[("project", "翠湖苑"), ("amount_claimed", "1.5万")]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = app.post(&format!("/cases/{id}"), &pairs).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let shown = app.get(&format!("/cases/{id}")).await;
        assert_eq!(shown.text("#project"), "翠湖苑");
        assert_eq!(shown.text("#amount-claimed"), "¥15,000.00");
        assert_eq!(shown.text("#case-no"), "物调〔2026〕第0001号");
    })
    .await;
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .unwrap()
        .trim_start_matches("x=")
        .to_string()
}

#[tokio::test]
async fn amounts_are_accepted_in_the_ways_people_write_them() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        for (typed, fen) in [
            ("1234.5", 123_450),
            ("1,234.50", 123_450),
            ("¥800", 80_000),
            ("1.5万", 1_500_000),
            ("", 0),
        ] {
            let id = app.create_case(&case_form(m, &[("amount_claimed", typed)])).await;
            let stored: i64 = accord::on_db!(app.pool, |e| {
                sqlx::query_scalar("SELECT amount_claimed FROM cases WHERE id = $1")
                    .bind(id)
                    .fetch_one(e)
                    .await
            })
            .unwrap();
            assert_eq!(stored, fen, "{typed}");
        }
    })
    .await;
}

#[tokio::test]
async fn every_validation_rule_answers_422_at_its_field_keeps_the_input_and_writes_nothing() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        let long = "长".repeat(10_001);
        let cases: Vec<(&str, &str, &str, &str)> = vec![
            ("amount_claimed", "-5", "#amount_claimed-error", "不能为负数"),
            ("amount_claimed", "12.345", "#amount_claimed-error", "两位小数"),
            ("amount_claimed", "abc", "#amount_claimed-error", "不是有效金额"),
            ("amount_claimed", "1000000000.01", "#amount_claimed-error", "超过十亿元"),
            ("received_on", "2023-02-30", "#received_on-error", "不是有效日期"),
            ("received_on", "next week", "#received_on-error", "不是有效日期"),
            ("received_on", "2027-01-01", "#received_on-error", "不能晚于今天"),
            ("received_on", "", "#received_on-error", "必填"),
            ("respondent_phone", "12345", "#respondent_phone-0-error", "电话号码"),
            ("applicant_phone", "call me", "#applicant_phone-0-error", "电话号码"),
            ("summary", long.as_str(), "#summary-error", "过长"),
            ("summary", "   ", "#summary-error", "必填"),
            ("project", "", "#project-error", "必填"),
            ("category", "bribery", "#category-error", "不是可选的值"),
            ("source", "", "#source-error", "必填"),
            ("district", "gotham", "#district-error", "不是可选的值"),
            ("respondent_name", "", "#respondent_name-0-error", "被申请人"),
            ("mediators", "", "#mediators-error", "调解员"),
            ("mediators", "999", "#mediators-error", "调解员"),
        ];
        for (field, value, selector, words) in cases {
            let mut form = case_form(m, &[(field, value)]);
            if field == "respondent_name" {
                form.retain(|(k, _)| k != "respondent_phone");
            }
            if value.is_empty() && field == "mediators" {
                form.retain(|(k, _)| k != "mediators");
            }
            let page = app.post_case(&form).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
            let message = page.texts(selector).join(" ");
            assert!(message.contains(words), "{field}={value}: {message:?}");
            assert!(page.has(".error-message"), "{field}");
            // The rest of the input is kept.
            if field != "project" {
                assert_eq!(
                    page.attrs("input[name=project]", "value"),
                    vec!["阳光花园小区"],
                    "{field}"
                );
            }
            if field == "amount_claimed" {
                assert_eq!(
                    page.attrs("input[name=amount_claimed]", "value"),
                    vec![value.to_string()]
                );
            }
        }
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 0);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM parties").await, 0);
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM case_counters").await, 0);
    })
    .await;
}

#[tokio::test]
async fn dates_and_phones_are_accepted_in_common_forms() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        for (date, phone) in [
            ("2023/9/21", "010-62345678"),
            ("2023年9月21日", "+86 139 1234 5678"),
            ("2023-09-21", ""),
        ] {
            let id = app
                .create_case(&case_form(m, &[("received_on", date), ("respondent_phone", phone)]))
                .await;
            let page = app.get(&format!("/cases/{id}")).await;
            assert_eq!(page.text("#received-on"), "2023-09-21");
        }
    })
    .await;
}

#[tokio::test]
async fn case_numbers_run_per_year_without_gaps_even_after_failed_writes() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        let mut numbers = Vec::new();
        for date in ["2025-12-30", "2026-01-02", "2025-12-31"] {
            let id = app.create_case(&case_form(m, &[("received_on", date)])).await;
            numbers.push(app.get(&format!("/cases/{id}")).await.text("#case-no"));
        }
        // A refused form draws no number.
        let bad = app
            .post_case(&case_form(
                m,
                &[("received_on", "2026-01-05"), ("amount_claimed", "-1")],
            ))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A write that fails inside the transaction rolls its number back.
        match crate::common::backend() {
            Backend::Sqlite => {
                app.sql_exec(
                    "CREATE TRIGGER fail_party BEFORE INSERT ON parties WHEN NEW.name = 'BOOM'
                     BEGIN SELECT RAISE(ABORT, 'boom'); END",
                )
                .await;
            }
            Backend::Postgres => {
                app.sql_exec(
                    "CREATE FUNCTION fail_party() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN IF NEW.name = 'BOOM' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$",
                )
                .await;
                app.sql_exec(
                    "CREATE TRIGGER fail_party BEFORE INSERT ON parties FOR EACH ROW EXECUTE FUNCTION fail_party()",
                )
                .await;
            }
        }
        let failed = app
            .post_case(&case_form(
                m,
                &[("received_on", "2026-01-06"), ("respondent_name", "BOOM")],
            ))
            .await;
        assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!failed.body.contains("boom"), "internals must not be shown");
        assert_eq!(app.sql_i64("SELECT COUNT(*) FROM cases").await, 3);
        let id = app.create_case(&case_form(m, &[("received_on", "2026-01-07")])).await;
        numbers.push(app.get(&format!("/cases/{id}")).await.text("#case-no"));
        assert_eq!(
            numbers,
            vec![
                "物调〔2025〕第0001号",
                "物调〔2026〕第0001号",
                "物调〔2025〕第0002号",
                "物调〔2026〕第0002号"
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn filters_narrow_the_list_and_survive_paging() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        let other = app.add_mediator("周敏").await;
        // 55 parking cases in Haidian, 5 fee cases in Chaoyang.
        for i in 0..55 {
            let day = format!("2026-{:02}-{:02}", 1 + i % 10, 1 + i % 28);
            let amount = format!("{}", 100 + i);
            app.create_case(&case_form(
                m,
                &[
                    ("category", "parking"),
                    ("district", "haidian"),
                    ("received_on", &day),
                    ("amount_claimed", &amount),
                ],
            ))
            .await;
        }
        let o = other.to_string();
        for _ in 0..5 {
            app.create_case(&case_form(m, &[("received_on", "2025-06-01"), ("mediators", &o)]))
                .await;
        }
        let all = app.get("/cases").await;
        assert_eq!(all.text("#total"), "60");
        assert_eq!(all.texts("a.case-link").len(), 50);

        let page1 = app.get("/cases?category=parking&district=haidian").await;
        assert_eq!(page1.text("#total"), "55");
        let next = page1.attrs("a[rel=next]", "href");
        assert_eq!(next, vec!["/cases?category=parking&district=haidian&page=2"]);
        let page2 = app.get(&next[0]).await;
        assert_eq!(page2.texts("a.case-link").len(), 5);
        assert_eq!(
            page2.attrs("select[name=category] option[selected]", "value"),
            vec!["parking"]
        );
        assert_eq!(
            page2.attrs("a[rel=prev]", "href"),
            vec!["/cases?category=parking&district=haidian"]
        );
        // Newest first.
        let dates = page1.texts("table.cases tbody tr td:nth-child(2)");
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted);

        assert_eq!(app.get("/cases?category=fees").await.text("#total"), "5");
        assert_eq!(app.get(&format!("/cases?mediator={other}")).await.text("#total"), "5");
        assert_eq!(
            app.get("/cases?from=2025-01-01&to=2025-12-31").await.text("#total"),
            "5"
        );
        assert_eq!(app.get("/cases?from=2026-10-01").await.text("#total"), "5");
        assert_eq!(app.get("/cases?from=2026-11-01").await.text("#total"), "0");
        assert_eq!(
            app.get("/cases?status=registered&source=party_application")
                .await
                .text("#total"),
            "60"
        );
        assert_eq!(app.get("/cases?status=settled").await.text("#total"), "0");
    })
    .await;
}

#[tokio::test]
async fn pages_are_chinese_by_default_and_english_when_chosen() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        let id = app.create_case(&case_form(m, &[])).await;
        let zh = app.get(&format!("/cases/{id}")).await;
        assert!(zh.body.contains("<html lang=\"zh-Hans\""));
        assert_eq!(zh.text("#category"), "物业费纠纷");
        assert!(zh.texts("nav.main a").contains(&"案件".to_string()));

        let switch = app.get(&format!("/lang/en?next=%2Fcases%2F{id}")).await;
        assert_eq!(switch.location.as_deref(), Some(format!("/cases/{id}").as_str()));
        let en = app.get(&format!("/cases/{id}")).await;
        assert!(en.body.contains("<html lang=\"en\""));
        assert_eq!(en.text("#category"), "Property fees");
        assert!(en.texts("nav.main a").contains(&"Cases".to_string()));
        assert_eq!(en.text("#amount-claimed"), "¥12,345.60");
        let bad = app.post_case(&case_form(m, &[("amount_claimed", "-1")])).await;
        assert!(bad.text("#amount_claimed-error").contains("cannot be negative"));
    })
    .await;
}

#[tokio::test]
async fn health_check_answers_ok_without_signing_in() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        let page = app.get("/healthz").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body, "ok");
    })
    .await;
}

#[tokio::test]
async fn mediators_can_be_added_and_edited() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        app.add_user("boss", Role::Admin).await;
        app.login("boss").await;
        let page = app
            .post("/mediators", &[("name", "陈静"), ("phone", "13700001111")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let bad = app.post("/mediators", &[("name", ""), ("phone", "12")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.has("#name-error") && bad.has("#phone-error"));
        let list = app.get("/mediators").await;
        assert_eq!(list.texts("td.name"), vec!["陈静"]);
        let id: i64 = app.sql_i64("SELECT id FROM mediators WHERE name = '陈静'").await;
        let page = app
            .post(&format!("/mediators/{id}"), &[("name", "陈静怡"), ("phone", "")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let list = app.get("/mediators").await;
        assert_eq!(list.texts("td.name"), vec!["陈静怡"]);
        assert_eq!(
            list.texts("tr.inactive td.name"),
            vec!["陈静怡"],
            "unticked 'active' retires the mediator"
        );
    })
    .await;
}

#[tokio::test]
async fn each_role_lands_on_its_own_home_page() {
    crate::common::both(async || {
        let mut app = TestApp::new().await;
        for (name, role, home) in [
            ("boss", Role::Admin, "/cases"),
            ("sec", Role::Secretary, "/dashboard"),
            ("li", Role::Mediator, "/my"),
        ] {
            app.add_user(name, role).await;
            app.login(name).await;
            assert_eq!(app.get("/").await.location.as_deref(), Some(home), "{name}");
        }
    })
    .await;
}

#[tokio::test]
async fn nonsense_in_the_url_never_breaks_the_list() {
    crate::common::both(async || {
        let (mut app, m) = mediator_app().await;
        app.create_case(&case_form(m, &[])).await;
        for query in [
            "page=9223372036854775807",
            "page=-3",
            "page=abc",
            "from=2025-13-01",
            "q=%22",
            "q=NEAR(a",
            "q=%25_%25",
            "status=zzz&flag=zzz",
        ] {
            let page = app.get(&format!("/cases?{query}")).await;
            assert_eq!(page.status, StatusCode::OK, "{query}");
        }
        // A page past the end is the last page (issue 10).
        assert_eq!(
            app.get("/cases?page=9223372036854775807")
                .await
                .texts("a.case-link")
                .len(),
            1
        );
        assert_eq!(app.get("/cases?q=%22").await.text("#total"), "0");
    })
    .await;
}
