//! The front pages: health, sign-in, the language switch, the dashboard
//! (all years, a year, an unaligned range, a mediator's own), a
//! supervisor's oversight, and the reports.

use super::{Page, Who, as_, page, with_sql};
use crate::cli::bench::sql;

/// Sign-in, the dashboard, oversight and the reports.
pub(super) const FRONT: &[Page] = &[
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
        sql::DASHBOARD_ALL,
    ),
    with_sql(
        page("/dashboard", "/dashboard, one year", "/dashboard?year=2024"),
        sql::DASHBOARD_YEAR,
    ),
    with_sql(
        page(
            "/dashboard",
            "/dashboard, unaligned range",
            "/dashboard?from=2023-03-17&to=2024-08-09",
        ),
        sql::DASHBOARD_RANGE,
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
];
