//! The layout at a laptop's and a phone's width (issue 10): the case list,
//! a case page, the dashboard and the report, each screenshotted into
//! target/screens/ and checked to be no wider than the viewport.
//! Skipped like the browser test when chromedriver is missing.

use accord::clock::Clock;
use accord::config::Config;
use accord::domain::Role;
use accord::store::{self, users};
use accord::web::{self, AppState};
use fantoccini::Client;

use crate::browser::{PASSWORD, connect, fill, start_driver, submit};

/// The viewport's width as the page sees it, and the page's own width.
async fn widths(c: &Client) -> (i64, i64) {
    let v = c
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    let pair = v.as_array().cloned().unwrap_or_default();
    let n = |i: usize| pair.get(i).and_then(|v| v.as_i64()).unwrap_or(-1);
    (n(0), n(1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_pages_fit_a_laptop_and_a_phone_screen() {
    if std::env::var("ACCORD_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED the layout test: ACCORD_SKIP_BROWSER=1");
        return;
    }
    let Some((_driver, driver_port)) = start_driver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.database = accord::store::Location::File(dir.path().join("accord.db"));
    let pool = store::open(config.database.file().unwrap()).await.unwrap();
    let options = accord::demo::Options {
        cases: Some(300),
        seed: 1,
        force: false,
        durability: accord::domain::Durability::Full,
    };
    accord::demo::load(
        &pool,
        &accord::store::orgs::Committee::first(&config.case_prefix),
        &options,
    )
    .await
    .unwrap();
    let hash = accord::password::hash(PASSWORD);
    users::insert(
        &pool,
        "admin",
        &hash,
        Role::Admin,
        None,
        accord::store::orgs::FIRST_COMMITTEE,
    )
    .await
    .unwrap();
    let (case_id, year): (i64, i64) = sqlx::query_as(
        "SELECT c.id, c.case_year FROM cases c WHERE EXISTS (SELECT 1 FROM return_visits v WHERE v.case_id = c.id)
             ORDER BY c.id DESC LIMIT 1",
    )
    .fetch_one(pool.sqlite().unwrap())
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = web::router(AppState::new(pool.clone(), config.clone(), Clock::System));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let c = connect(driver_port).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "#username", "admin").await;
    fill(&c, "input[name=password]", PASSWORD).await;
    submit(&c, "section.login button[type=submit]").await;

    let screens = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("screens");
    std::fs::create_dir_all(&screens).unwrap();
    let pages = [
        ("cases", "/cases".to_string()),
        ("case", format!("/cases/{case_id}")),
        ("dashboard", format!("/dashboard?year={year}")),
        ("report", format!("/reports/{year}")),
        ("new-case", "/cases/new".to_string()),
        ("audit", "/audit".to_string()),
    ];
    let mut too_wide = Vec::new();
    for (lang, width) in [("zh", 1366u32), ("zh", 390), ("en", 390)] {
        c.goto(&format!("{base}/lang/{lang}?next=/")).await.unwrap();
        c.set_window_size(width, 2400).await.unwrap();
        for (name, path) in &pages {
            c.goto(&format!("{base}{path}")).await.unwrap();
            let (viewport, page) = widths(&c).await;
            assert!(
                viewport > 0 && viewport <= width as i64,
                "{name} at {width}: viewport {viewport}"
            );
            std::fs::write(
                screens.join(format!("{name}-{width}-{lang}.png")),
                c.screenshot().await.unwrap(),
            )
            .unwrap();
            if page > viewport {
                too_wide.push(format!(
                    "{name} ({lang}) at {width} px: {page} px wide in a {viewport} px viewport"
                ));
            }
        }
    }
    c.close().await.unwrap();
    assert!(too_wide.is_empty(), "{too_wide:#?}");
}
