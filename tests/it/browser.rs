//! A real browser: headless Chromium driven through chromedriver signs in,
//! registers a case through the form, accepts and settles it, watches the
//! dashboard's numbers change, opens the printable agreement, and leaves a
//! screenshot of the dashboard in target/dashboard.png.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without chromedriver the
//! test says it is skipped and passes, unless ACCORD_REQUIRE_BROWSER=1 (set by
//! CI) makes a missing browser a failure.

use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use accord::clock::Clock;
use accord::config::Config;
use accord::domain::Role;
use accord::store::{self, mediators, users};
use accord::web::{self, AppState};
use chrono::Days;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub(crate) const PASSWORD: &str = "browser-password-1";

/// Ends chromedriver (and its browser) however the test ends.
pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts chromedriver, or says why not (None: skip).
pub(crate) fn start_driver() -> Option<(Driver, u16)> {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(child) => Some((Driver(child), port)),
        Err(e) if std::env::var("ACCORD_REQUIRE_BROWSER").as_deref() == Ok("1") => panic!(
            "chromedriver could not be started ({e}) and ACCORD_REQUIRE_BROWSER=1: install Debian's \
             `chromium` and `chromium-driver` (apt-get install -y chromium chromium-driver)."
        ),
        Err(e) => {
            eprintln!(
                "SKIPPED the browser test: chromedriver could not be started ({e}); \
                 apt-get install chromium chromium-driver to run it"
            );
            None
        }
    }
}

pub(crate) async fn connect(port: u16) -> Client {
    let profile = tempfile::tempdir().unwrap().keep();
    let mut options = json!({
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
            "--window-size=1280,1800", "--lang=zh-CN",
            format!("--user-data-dir={}", profile.display()),
        ]
    });
    if std::path::Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return client,
            // chromedriver takes a moment to listen.
            Err(e) if started.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("could not open a browser session: {e}"),
        }
    }
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

pub(crate) async fn fill(c: &Client, css: &str, value: &str) {
    let field = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Clicks a submit button and waits for the browser to land on the next page.
pub(crate) async fn submit(c: &Client, css: &str) {
    let before = c.current_url().await.unwrap();
    click(c, css).await;
    let started = Instant::now();
    while c.current_url().await.unwrap() == before {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{css} did not leave {before}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn choose(c: &Client, css: &str, value: &str) {
    let select = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    select.select_by_value(value).await.unwrap();
}

/// A real 1×1 PNG, as a scanner's smallest page.
const ONE_PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xB5, 0x1C, 0x0C, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xD0, 0x2F, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_sees_the_dashboard_change_after_a_case_is_settled_in_the_browser() {
    let Some((_driver, driver_port)) = start_driver() else {
        return;
    };
    // The real server on a free loopback port.
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.database = accord::store::Location::File(dir.path().join("accord.db"));
    config.files_dir = dir.path().join("files");
    let pool = store::open(config.database.file().unwrap()).await.unwrap();
    let mediator = mediators::insert(
        &pool,
        accord::store::orgs::FIRST_COMMITTEE,
        "李调解员",
        "13800000000",
        true,
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = web::router(AppState::new(pool.clone(), config.clone(), Clock::System));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let c = connect(driver_port).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "#username", "admin").await;
    fill(&c, "input[name=password]", PASSWORD).await;
    submit(&c, "section.login button[type=submit]").await;

    c.goto(&format!("{base}/dashboard")).await.unwrap();
    assert_eq!(text(&c, "#card-cases .value").await, "0");
    assert_eq!(text(&c, "#cumulative").await, "累计协调物业纠纷0件,涉及金额0.0万元");

    // Register a case through the form.
    c.goto(&format!("{base}/cases/new")).await.unwrap();
    choose(&c, "#source", "party_application").await;
    choose(&c, "#category", "fees").await;
    choose(&c, "#district", "chaoyang").await;
    fill(&c, "#project", "阳光花园小区").await;
    fill(&c, "#summary", "业主拖欠物业费两年,物业公司申请调解。").await;
    fill(&c, "#amount_claimed", "13.61万").await;
    choose(&c, "#applicant_type_0", "property_company").await;
    fill(&c, "#applicant_name_0", "北京某物业服务有限公司").await;
    choose(&c, "#respondent_type_0", "owner").await;
    fill(&c, "#respondent_name_0", "张三").await;
    let box_css = format!("input[name=mediators][value='{mediator}']");
    let checkbox = c.find(Locator::Css(&box_css)).await.unwrap();
    if checkbox.prop("checked").await.unwrap().as_deref() != Some("true") {
        checkbox.click().await.unwrap();
    }
    submit(&c, "form button.primary[type=submit]").await;
    let url = c.current_url().await.unwrap();
    let id: i64 = url
        .path()
        .trim_start_matches("/cases/")
        .parse()
        .unwrap_or_else(|_| panic!("not a case page: {url}"));

    c.goto(&format!("{base}/dashboard")).await.unwrap();
    assert_eq!(text(&c, "#card-cases .value").await, "1");
    assert_eq!(text(&c, "#card-accepted .value").await, "0");

    // Accept, then settle.
    c.goto(&format!("{base}/cases/{id}")).await.unwrap();
    // Accepting returns to the same page, now offering to settle.
    click(&c, "form[action$='/accept'] button[type=submit]").await;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("a#settle"))
        .await
        .expect("the accepted case offers to settle");
    submit(&c, "a#settle").await;
    click(&c, "input[name=agreement_type][value=written]").await;
    fill(&c, "#amount_agreed", "100000").await;
    let due = chrono::Local::now().date_naive() + Days::new(30);
    fill(&c, "#performance_due", &due.to_string()).await;
    fill(&c, "#agreement_terms", "被申请人于三十日内缴清物业费。").await;
    submit(&c, "form#settle-form button.primary[type=submit]").await;
    assert!(c.current_url().await.unwrap().path().ends_with(&format!("/cases/{id}")));

    c.goto(&format!("{base}/dashboard")).await.unwrap();
    assert_eq!(text(&c, "#card-accepted .value").await, "1");
    assert_eq!(text(&c, "#card-settled .value").await, "1");
    assert_eq!(text(&c, "#card-rate .value").await, "100.0%");
    assert_eq!(text(&c, "#cumulative").await, "累计协调物业纠纷1件,涉及金额13.6万元");
    let png = c.screenshot().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("dashboard.png");
    std::fs::write(&out, &png).unwrap();

    // The printable agreement.
    c.goto(&format!("{base}/cases/{id}/agreement")).await.unwrap();
    let page = text(&c, "body").await;
    assert!(page.contains("人民调解协议书"), "{page}");
    assert!(page.contains("张三"));

    // The signed agreement's scan is attached, shown on the case page and
    // printed in the case file (卷宗) with its cover and contents.
    let scan = dir.path().join("签字协议书.png");
    std::fs::write(&scan, ONE_PIXEL_PNG).unwrap();
    c.goto(&format!("{base}/cases/{id}")).await.unwrap();
    choose(&c, "#kind_1", "signed_agreement").await;
    fill(&c, "#note_1", "双方签字").await;
    let file = c.find(Locator::Css("#file_1")).await.unwrap();
    file.send_keys(scan.to_str().unwrap()).await.unwrap();
    submit(&c, "form#upload button.primary[type=submit]").await;
    assert!(text(&c, "table.attachments").await.contains("签字协议书.png"));
    // The thumbnail loads lazily: brought into view, it is drawn.
    let script = "const img = document.querySelector('table.attachments img.thumb'); img.scrollIntoView(); \
                  return img.complete ? img.naturalWidth : -1;";
    let started = Instant::now();
    let mut drawn = c.execute(script, vec![]).await.unwrap();
    while drawn == json!(-1) && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        drawn = c.execute(script, vec![]).await.unwrap();
    }
    assert_eq!(drawn, json!(1), "the scan is shown on the case page, never enlarged");
    c.goto(&format!("{base}/cases/{id}/dossier")).await.unwrap();
    let contents = text(&c, ".toc").await;
    assert!(
        contents.contains("人民调解协议书") && contents.contains("附件清单"),
        "{contents}"
    );
    assert!(text(&c, ".attachments-list").await.contains("双方签字"));
    let png = c.screenshot().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("dossier.png");
    std::fs::write(&out, &png).unwrap();

    c.close().await.unwrap();
}
