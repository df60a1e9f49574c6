//! A mediator's own list, the administration pages (mediators, transfers,
//! users, organisations, reference lists, the official report, the audit
//! log, import, backup), the CSV exports and the JSON API (issue 16).

use super::{Page, Who, as_, page, target, with_sql};
use crate::cli::bench::sql;

/// Administration, the exports and the API.
pub(super) const ADMIN: &[Page] = &[
    as_(page("/my", "/my, a mediator with many cases", "/my"), Who::Mediator),
    page("/mediators", "/mediators", "/mediators"),
    page(
        "/mediators/{id}/edit",
        "/mediators/{id}/edit",
        "/mediators/{mediator}/edit",
    ),
    // Case transfer (issue 15): the committee's transfers, and the send form.
    page("/transfers", "/transfers", "/transfers"),
    page("/cases/{id}/transfer", "/cases/{id}/transfer", "/cases/{case}/transfer"),
    page("/users", "/users", "/users"),
    // The organisations (issue 15); the first committee's edit form.
    page("/orgs", "/orgs", "/orgs"),
    page("/orgs/{id}/edit", "/orgs/{id}/edit", "/orgs/2/edit"),
    page("/users/{id}/edit", "/users/{id}/edit", "/users/{user}/edit"),
    page("/reference", "/reference (usage counts)", "/reference"),
    page(
        "/reference/{list}/{code}/retire",
        "/reference/…/retire",
        "/reference/categories/fees/retire",
    ),
    page(
        "/reference/{list}/{code}/delete",
        "/reference/…/delete",
        "/reference/categories/fees/delete",
    ),
    // The official statistics report and its mapping (issue 16): a year of
    // accepted cases, grouped once over the cases themselves.
    page(
        "/reports/official",
        "/reports/official (a year)",
        "/reports/official?period={year}",
    ),
    page("/reference/official", "/reference/official", "/reference/official"),
    page("/audit", "/audit", "/audit"),
    page("/audit", "/audit, page 1000", "/audit?page=1000"),
    page("/import", "/import", "/import"),
    page("/backup", "/backup", "/backup"),
    page("/export/stats.csv", "/export/stats.csv", "/export/stats.csv"),
    page(
        "/export/stats.csv",
        "/export/stats.csv, range + filter",
        "/export/stats.csv?from=2023-03-17&to=2024-08-09&status=settled",
    ),
    // Every case as CSV: issue 6's 200,000 rows/s, so 5 s for 1,000,000.
    target(
        with_sql(
            page(
                "/export/cases.csv",
                "/export/cases.csv (every case)",
                "/export/cases.csv",
            ),
            sql::EXPORT,
        ),
        5000.0,
    ),
    // The JSON API (issue 16): the document and its page are public; the
    // /api/v1 routes take the admin's read token.
    as_(
        page("/api/openapi.json", "/api/openapi.json", "/api/openapi.json"),
        Who::Anonymous,
    ),
    as_(page("/api/docs", "/api/docs", "/api/docs"), Who::Anonymous),
    as_(page("/api/v1/cases", "/api/v1/cases", "/api/v1/cases"), Who::ApiToken),
    as_(
        page("/api/v1/cases/{id}", "/api/v1/cases/{case}", "/api/v1/cases/{case}"),
        Who::ApiToken,
    ),
    as_(
        page("/api/v1/reference", "/api/v1/reference", "/api/v1/reference"),
        Who::ApiToken,
    ),
    as_(page("/api/v1/stats", "/api/v1/stats", "/api/v1/stats"), Who::ApiToken),
    // One case as an exchange document (the bench's token is its admin's).
    as_(
        page(
            "/api/v1/exchange",
            "/api/v1/exchange (one case)",
            "/api/v1/exchange?{case_query}",
        ),
        Who::ApiToken,
    ),
    // The official report as CSV (issue 16 leftovers): a year, as the page.
    page(
        "/reports/official.csv",
        "/reports/official.csv (a year)",
        "/reports/official.csv?period={year}",
    ),
];
