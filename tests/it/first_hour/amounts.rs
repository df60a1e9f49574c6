//! A blank amount claimed, kept apart from zero.

use axum::http::StatusCode;

use super::import;
use crate::common::{admin_app, case_form};

#[tokio::test]
async fn a_blank_amount_claimed_shows_a_dash_and_stays_apart_from_zero_everywhere() {
    crate::common::both(async || {
        let mut app = admin_app().await;
        let m = app.add_mediator("王调解员").await;
        let blank = app.create_case(&case_form(m, &[("amount_claimed", "")])).await;
        let zero = app.create_case(&case_form(m, &[("amount_claimed", "0")])).await;
        let some = app.create_case(&case_form(m, &[("amount_claimed", "100")])).await;

        assert_eq!(app.get(&format!("/cases/{blank}")).await.text("#amount-claimed"), "—");
        assert_eq!(
            app.get(&format!("/cases/{zero}")).await.text("#amount-claimed"),
            "¥0.00"
        );
        assert_eq!(
            app.get(&format!("/cases/{some}")).await.text("#amount-claimed"),
            "¥100.00"
        );
        let edit = app.get(&format!("/cases/{blank}/edit")).await;
        assert_eq!(edit.attrs("input[name=amount_claimed]", "value"), vec![String::new()]);
        let list = app.get("/cases").await;
        let mut amounts = list.texts("table td.num");
        amounts.sort();
        assert_eq!(amounts, vec!["¥0.00", "¥100.00", "—"]);

        // Statistics count a blank as zero.
        let dashboard = app.get("/dashboard?year=2026").await;
        assert_eq!(dashboard.status, StatusCode::OK);
        let totals = app
            .sql_i64("SELECT CAST(SUM(claimed) AS BIGINT) FROM stats_monthly WHERE committee_id = 0 AND dim = 'all'")
            .await;
        assert_eq!(totals, 10_000);

        // The export leaves the cell empty, and an import reads it back as blank.
        let exported = app.get("/export/cases.csv?lang=en").await;
        let text = String::from_utf8_lossy(&exported.bytes).to_string();
        let mut reader = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headings = reader.headers().unwrap().clone();
        let column = headings.iter().position(|h| h == "amount_claimed").unwrap();
        let mut cells: Vec<String> = reader.records().map(|r| r.unwrap()[column].to_string()).collect();
        cells.sort();
        assert_eq!(cells, vec!["", "0.00", "100.00"]);
        let mut other = admin_app().await;
        let page = import(&mut other, &exported.bytes).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(
            other
                .sql_i64("SELECT COUNT(*) FROM cases WHERE amount_claimed_blank")
                .await,
            1
        );
        assert_eq!(
            other
                .sql_i64("SELECT COUNT(*) FROM cases WHERE amount_claimed = 0")
                .await,
            2
        );
        let again = other.get("/export/cases.csv?lang=en").await;
        assert_eq!(again.bytes, exported.bytes);
    })
    .await;
}
