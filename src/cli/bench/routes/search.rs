//! The words people type (issue 14): the project search, common words, a
//! surname, a district's name, and their deep pages beside a rare status.

use super::{Page, page};

/// The case list searched for words that match many cases.
pub(super) const SEARCH: &[Page] = &[
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
