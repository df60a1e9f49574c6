//! The case list's order, page size and pages: links in the column
//! headings, the pager with its "go to page" form, and the notice of
//! values in the URL that were ignored. All plain GET links and forms, so
//! they work without JavaScript and every state can be bookmarked.

use maud::{Markup, html};

use crate::domain::filter::Unread;
use crate::domain::listing::PAGE_SIZES;
use crate::domain::{CaseFilter, Listing, SortDir, SortKey};
use crate::i18n::Msg;
use crate::web::Ctx;

/// `/cases?…` keeping the filters, order and page size, on `page`.
pub fn list_link(filter: &CaseFilter, listing: &Listing, page: i64) -> String {
    let mut pairs = filter.to_pairs();
    pairs.extend(listing.to_pairs());
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if query.is_empty() {
        "/cases".to_string()
    } else {
        format!("/cases?{query}")
    }
}

/// A column heading that orders the list by its column: the current
/// order's column flips direction, another starts with the largest or
/// latest first (statuses A to Z). Back to the first page either way.
pub fn sort_heading(ctx: &Ctx, filter: &CaseFilter, listing: &Listing, key: SortKey, label: Msg) -> Markup {
    let current = listing.sort == key;
    let dir = match (current, key) {
        (true, _) => listing.dir.flip(),
        (false, SortKey::Status) => SortDir::Asc,
        (false, _) => SortDir::Desc,
    };
    let href = list_link(
        filter,
        &Listing {
            sort: key,
            dir,
            page: 1,
            ..*listing
        },
        1,
    );
    let aria = current.then_some(match listing.dir {
        SortDir::Asc => "ascending",
        SortDir::Desc => "descending",
    });
    let arrow = match (current, listing.dir) {
        (false, _) => "",
        (true, SortDir::Asc) => " ▲",
        (true, SortDir::Desc) => " ▼",
    };
    html! {
        th.sortable aria-sort=[aria] {
            a.sort href=(href) data-sort=(key.code()) { (ctx.t(label)) (arrow) }
        }
    }
}

/// The page-size choice for the filter form; the order is kept in hidden
/// inputs so filtering does not lose it.
pub fn page_size_field(ctx: &Ctx, listing: &Listing) -> Markup {
    html! {
        div.field {
            label for="per_page" { (ctx.t(Msg::ListPerPage)) }
            select #per_page name="per_page" {
                @for n in PAGE_SIZES {
                    option value=(n) selected[listing.per_page == n] { (n) }
                }
            }
        }
        @if listing.sort != Listing::default().sort || listing.dir != Listing::default().dir {
            input type="hidden" name="sort" value=(listing.sort.code());
            input type="hidden" name="dir" value=(listing.dir.code());
        }
    }
}

/// Previous, "n / pages", next, and a form to go to any page.
pub fn pager(ctx: &Ctx, filter: &CaseFilter, listing: &Listing, pages: i64) -> Markup {
    let page = listing.page;
    html! {
        @if pages > 1 {
            nav.pager aria-label=(ctx.t(Msg::PageOf)) {
                @if page > 1 {
                    a rel="prev" href=(list_link(filter, listing, page - 1)) { "← " (ctx.t(Msg::PreviousPage)) }
                }
                span.current { (page) " / " (pages) }
                @if page < pages {
                    a rel="next" href=(list_link(filter, listing, page + 1)) { (ctx.t(Msg::NextPage)) " →" }
                }
                form.goto method="get" action="/cases" {
                    @for (k, v) in filter.to_pairs().into_iter().chain(listing.to_pairs()) {
                        input type="hidden" name=(k) value=(v);
                    }
                    label for="goto-page" { (ctx.t(Msg::ListGoToPage)) }
                    " "
                    input #goto-page type="number" name="page" min="1" max=(pages) value=(page) required;
                    " "
                    button type="submit" { (ctx.t(Msg::ListGo)) }
                }
            }
        }
    }
}

/// The values in the URL that were ignored, each named in the user's
/// language, above the list.
pub fn unread_notice(ctx: &Ctx, unread: &[Unread]) -> Markup {
    html! {
        @if !unread.is_empty() {
            ul.error-message #unread-filters role="alert" {
                @for u in unread {
                    li {
                        (ctx.t(Msg::ListUnread)
                            .replace("{field}", ctx.t(key_msg(&u.key)))
                            .replace("{value}", &u.value)
                            .replace("{problem}", ctx.label(u.problem)))
                    }
                }
            }
        }
    }
}

/// The name people know a URL key by.
fn key_msg(key: &str) -> Msg {
    match key {
        "status" => Msg::FieldStatus,
        "category" => Msg::FieldCategory,
        "source" => Msg::FieldSource,
        "district" => Msg::FieldDistrict,
        "mediator" => Msg::FieldMediators,
        "from" => Msg::DateFrom,
        "to" => Msg::DateTo,
        "flag" => Msg::WfFlag,
        "sort" => Msg::ListSortBy,
        "dir" => Msg::ListSortDir,
        "per_page" => Msg::ListPerPage,
        _ => Msg::ListPage,
    }
}
