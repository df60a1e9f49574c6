//! The case list (filters, names, sorting, deep pages, a mediator's page),
//! a case and its forms, and its file (issue 13): corrections' confirmation
//! pages, sessions, visits, attachments, documents and the dossier.

use super::{Page, Who, as_, page, with_sql};
use crate::cli::bench::sql;

/// The case list, a case, and everything filed under it.
pub(super) const CASES: &[Page] = &[
    with_sql(page("/cases", "/cases, first page", "/cases"), sql::CASES_FIRST),
    with_sql(
        page(
            "/cases",
            "/cases, 2 filters + project search",
            "/cases?category=fees&district=chaoyang&q=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD",
        ),
        sql::CASES_FILTERED,
    ),
    with_sql(
        page("/cases", "/cases?q=张伟 (2-char name)", "/cases?q=%E5%BC%A0%E4%BC%9F"),
        sql::CASES_NAME,
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
        sql::CASES_SORTED,
    ),
    page("/cases", "/cases?page=20000 (deep)", "/cases?page=20000"),
    as_(
        page("/cases", "/cases, a mediator's page 80", "/cases?page=80"),
        Who::Mediator,
    ),
    page("/cases/new", "/cases/new", "/cases/new"),
    with_sql(page("/cases/{id}", "/cases/{id}", "/cases/{case}"), sql::CASE_PAGE),
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
];
