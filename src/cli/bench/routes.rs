//! Every GET route of the router with the requests that time it: the
//! representative parameters of issue 12 (ranges not aligned to months,
//! filters, two-character names, deep pages, a mediator's own pages).
//! `accord bench` refuses to run while a GET route has no entry here, as
//! the permission matrix test does for roles; a unit test checks it too.
//!
//! A path may hold placeholders the benchmark fills from the database
//! before it starts (see `Setup`): `{case}` a case in mediation with one
//! to five sessions, `{session}` that session, `{settled}` a settled case,
//! `{mediator}` the benchmark's mediator record, `{user}` a user,
//! `{year}` a year with cases, `{failed}` a failed case, `{archived}` an archived
//! case, `{visit_case}` a case with return visits and `{visit}` one of them,
//! `{attachment}` a photo the benchmark attaches to `{settled}`,
//! `{case_query}` the query `case=<{case}'s number>`.

/// Who makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Admin,
    /// A mediator's account, linked to the mediator with the most cases.
    Mediator,
    /// A supervisor at the root association: every committee (issue 15).
    Supervisor,
    /// No cookie at all.
    Anonymous,
    /// The admin's read token for the JSON API (issue 16), no cookie.
    ApiToken,
}

/// One timed request.
pub struct Page {
    /// The route pattern, exactly as `web::route_list()` spells it.
    pub route: &'static str,
    /// What the line of the table says.
    pub name: &'static str,
    pub path: &'static str,
    pub who: Who,
    pub target_ms: f64,
    /// The same work as plain SQL, for the `sqlite3` shell and Datasette.
    pub sql: Option<&'static str>,
}

const fn page(route: &'static str, name: &'static str, path: &'static str) -> Page {
    Page {
        route,
        name,
        path,
        who: Who::Admin,
        target_ms: 100.0,
        sql: None,
    }
}

const fn with_sql(p: Page, sql: &'static str) -> Page {
    Page { sql: Some(sql), ..p }
}

const fn as_(p: Page, who: Who) -> Page {
    Page { who, ..p }
}

const fn target(p: Page, ms: f64) -> Page {
    Page { target_ms: ms, ..p }
}

/// Every GET route, at least once.
pub const PAGES: &[Page] = &[
    as_(page("/healthz", "/healthz", "/healthz"), Who::Anonymous),
    as_(
        page("/static/app.css", "/static/app.css", "/static/app.css"),
        Who::Anonymous,
    ),
    as_(page("/login", "/login", "/login"), Who::Anonymous),
    page("/lang/{code}", "/lang/en (redirect)", "/lang/zh"),
    page("/", "/ (redirect)", "/"),
    with_sql(
        page("/dashboard", "/dashboard, all years", "/dashboard"),
        super::sql::DASHBOARD_ALL,
    ),
    with_sql(
        page("/dashboard", "/dashboard, one year", "/dashboard?year=2024"),
        super::sql::DASHBOARD_YEAR,
    ),
    with_sql(
        page(
            "/dashboard",
            "/dashboard, unaligned range",
            "/dashboard?from=2023-03-17&to=2024-08-09",
        ),
        super::sql::DASHBOARD_RANGE,
    ),
    as_(
        page("/dashboard", "/dashboard, a mediator's own", "/dashboard"),
        Who::Mediator,
    ),
    // A supervisor at the root: every committee, added up and one by one (issue 15).
    as_(
        page("/oversight", "/oversight, all years (supervisor)", "/oversight"),
        Who::Supervisor,
    ),
    as_(
        page(
            "/oversight",
            "/oversight, one year (supervisor)",
            "/oversight?year={year}",
        ),
        Who::Supervisor,
    ),
    as_(
        page("/oversight/cases", "/oversight/cases (supervisor)", "/oversight/cases"),
        Who::Supervisor,
    ),
    as_(
        page("/reports/{year}", "/reports/{year} (supervisor)", "/reports/{year}"),
        Who::Supervisor,
    ),
    as_(
        page(
            "/export/stats.csv",
            "/export/stats.csv (supervisor)",
            "/export/stats.csv",
        ),
        Who::Supervisor,
    ),
    page("/reports", "/reports", "/reports"),
    page("/reports/{year}", "/reports/{year}", "/reports/{year}"),
    with_sql(page("/cases", "/cases, first page", "/cases"), super::sql::CASES_FIRST),
    with_sql(
        page(
            "/cases",
            "/cases, 2 filters + project search",
            "/cases?category=fees&district=chaoyang&q=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD",
        ),
        super::sql::CASES_FILTERED,
    ),
    with_sql(
        page("/cases", "/cases?q=张伟 (2-char name)", "/cases?q=%E5%BC%A0%E4%BC%9F"),
        super::sql::CASES_NAME,
    ),
    page("/cases", "/cases?q=zz (no match)", "/cases?q=zz"),
    page("/cases", "/cases?flag=follow_up", "/cases?flag=follow_up"),
    page("/cases", "/cases?flag=overdue", "/cases?flag=overdue"),
    with_sql(
        page(
            "/cases",
            "/cases by amount, page 100×200",
            "/cases?sort=amount_claimed&dir=asc&per_page=200&page=100",
        ),
        super::sql::CASES_SORTED,
    ),
    page("/cases", "/cases?page=20000 (deep)", "/cases?page=20000"),
    as_(
        page("/cases", "/cases, a mediator's page 80", "/cases?page=80"),
        Who::Mediator,
    ),
    page("/cases/new", "/cases/new", "/cases/new"),
    with_sql(
        page("/cases/{id}", "/cases/{id}", "/cases/{case}"),
        super::sql::CASE_PAGE,
    ),
    page("/cases/{id}/edit", "/cases/{id}/edit", "/cases/{case}/edit"),
    page(
        "/cases/{id}/close",
        "/cases/{id}/close?outcome=settled",
        "/cases/{case}/close?outcome=settled",
    ),
    page(
        "/cases/{id}/sessions/new",
        "/cases/{id}/sessions/new",
        "/cases/{case}/sessions/new",
    ),
    page(
        "/cases/{id}/sessions/{sid}/edit",
        "/cases/{id}/sessions/{sid}/edit",
        "/cases/{case}/sessions/{session}/edit",
    ),
    page(
        "/cases/{id}/agreement",
        "/cases/{id}/agreement",
        "/cases/{settled}/agreement",
    ),
    // The case file (issue 13): corrections' confirmation pages, attachments, documents.
    page("/cases/{id}/archive", "/cases/{id}/archive", "/cases/{settled}/archive"),
    page(
        "/cases/{id}/agreement/correct",
        "/cases/{id}/agreement/correct",
        "/cases/{settled}/agreement/correct",
    ),
    page("/cases/{id}/reopen", "/cases/{id}/reopen", "/cases/{settled}/reopen"),
    page(
        "/cases/{id}/unarchive",
        "/cases/{id}/unarchive",
        "/cases/{archived}/unarchive",
    ),
    page("/cases/{id}/void", "/cases/{id}/void", "/cases/{case}/void"),
    page(
        "/cases/{id}/sessions/{sid}/void",
        "/cases/{id}/sessions/{sid}/void",
        "/cases/{case}/sessions/{session}/void",
    ),
    page(
        "/cases/{id}/visits/{vid}/edit",
        "/cases/{id}/visits/{vid}/edit",
        "/cases/{visit_case}/visits/{visit}/edit",
    ),
    page(
        "/cases/{id}/visits/{vid}/void",
        "/cases/{id}/visits/{vid}/void",
        "/cases/{visit_case}/visits/{visit}/void",
    ),
    page(
        "/cases/{id}/attachments/{aid}",
        "/cases/{id}/attachments/{aid} (1600×1200 PNG)",
        "/cases/{settled}/attachments/{attachment}",
    ),
    page(
        "/cases/{id}/attachments/{aid}/inline",
        "/cases/{id}/attachments/{aid}/inline",
        "/cases/{settled}/attachments/{attachment}/inline",
    ),
    page(
        "/cases/{id}/attachments/{aid}/thumb",
        "/cases/{id}/attachments/{aid}/thumb",
        "/cases/{settled}/attachments/{attachment}/thumb",
    ),
    page(
        "/cases/{id}/attachments/{aid}/void",
        "/cases/{id}/attachments/{aid}/void",
        "/cases/{settled}/attachments/{attachment}/void",
    ),
    page(
        "/cases/{id}/documents/acceptance",
        "/cases/{id}/documents/acceptance",
        "/cases/{case}/documents/acceptance",
    ),
    page(
        "/cases/{id}/documents/rights",
        "/cases/{id}/documents/rights",
        "/cases/{case}/documents/rights",
    ),
    page(
        "/cases/{id}/documents/sessions/{sid}",
        "/cases/{id}/documents/sessions/{sid}",
        "/cases/{case}/documents/sessions/{session}",
    ),
    page(
        "/cases/{id}/documents/termination",
        "/cases/{id}/documents/termination",
        "/cases/{failed}/documents/termination",
    ),
    page(
        "/cases/{id}/documents/visits",
        "/cases/{id}/documents/visits",
        "/cases/{visit_case}/documents/visits",
    ),
    page(
        "/cases/{id}/documents/judicial",
        "/cases/{id}/documents/judicial",
        "/cases/{settled}/documents/judicial",
    ),
    page(
        "/cases/{id}/documents/closing",
        "/cases/{id}/documents/closing",
        "/cases/{settled}/documents/closing",
    ),
    page("/cases/{id}/dossier", "/cases/{id}/dossier", "/cases/{settled}/dossier"),
    page(
        "/dossiers",
        "/dossiers, archived in a year (≤ 50 files)",
        "/dossiers?from={year}-01-01&to={year}-12-31",
    ),
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
            super::sql::EXPORT,
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
    // Issue 14: the project search alone (past the count's cap at a
    // million cases) and with one filter.
    page(
        "/cases",
        "/cases?q=阳光花园 (project search)",
        "/cases?q=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD",
    ),
    page(
        "/cases",
        "/cases, 1 filter + project search",
        "/cases?category=fees&q=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD",
    ),
    // Words people type that match a large share of the cases: a common
    // two-character word, a surname, a district's name (every case of the
    // district) and a short word in one.
    page("/cases", "/cases?q=物业 (common word)", "/cases?q=%E7%89%A9%E4%B8%9A"),
    page("/cases", "/cases?q=王 (a surname)", "/cases?q=%E7%8E%8B"),
    page(
        "/cases",
        "/cases?q=朝阳区 (a district's name)",
        "/cases?q=%E6%9C%9D%E9%98%B3%E5%8C%BA",
    ),
    page(
        "/cases",
        "/cases, 1 filter + 朝阳 (district, short)",
        "/cases?category=parking&q=%E6%9C%9D%E9%98%B3",
    ),
    // A common word tested case by case on SQLite: its 40th page, beside
    // a rare status, and beside a name looked up in the index.
    page("/cases", "/cases?q=物业&page=40", "/cases?q=%E7%89%A9%E4%B8%9A&page=40"),
    page(
        "/cases",
        "/cases?status=withdrawn&q=物业",
        "/cases?status=withdrawn&q=%E7%89%A9%E4%B8%9A",
    ),
    page(
        "/cases",
        "/cases?q=物业 张伟",
        "/cases?q=%E7%89%A9%E4%B8%9A+%E5%BC%A0%E4%BC%9F",
    ),
    page(
        "/cases",
        "/cases?q=朝阳 (district, short)",
        "/cases?q=%E6%9C%9D%E9%98%B3",
    ),
    // A district's short name beside a rare status and its 40th page; a
    // surname beside a rare status (its matches lead the count on SQLite).
    page(
        "/cases",
        "/cases?status=withdrawn&q=朝阳",
        "/cases?status=withdrawn&q=%E6%9C%9D%E9%98%B3",
    ),
    page("/cases", "/cases?q=朝阳&page=40", "/cases?q=%E6%9C%9D%E9%98%B3&page=40"),
    page(
        "/cases",
        "/cases?status=withdrawn&q=王",
        "/cases?status=withdrawn&q=%E7%8E%8B",
    ),
];

/// The GET routes of `routes` that no entry of [`PAGES`] times.
pub fn missing(routes: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    routes
        .iter()
        .filter(|(method, route)| *method == "GET" && !PAGES.iter().any(|p| p.route == *route))
        .map(|(_, route)| *route)
        .collect()
}

/// Entries naming a route the router does not have (a renamed route).
pub fn stale(routes: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    PAGES
        .iter()
        .filter(|p| !routes.iter().any(|(m, r)| *m == "GET" && *r == p.route))
        .map(|p| p.route)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_get_route_has_an_entry() {
        assert_eq!(missing(&crate::web::route_list()), Vec::<&str>::new());
    }

    #[test]
    fn every_entry_names_a_get_route() {
        assert_eq!(stale(&crate::web::route_list()), Vec::<&str>::new());
    }

    #[test]
    fn a_route_without_an_entry_is_named() {
        let routes = [("GET", "/cases"), ("GET", "/nowhere"), ("POST", "/elsewhere")];
        assert_eq!(missing(&routes), vec!["/nowhere"]);
    }
}
