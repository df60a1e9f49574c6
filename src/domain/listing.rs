//! How the case list is ordered and paged, as it lives in the URL
//! (`?sort=amount_claimed&dir=asc&per_page=100&page=3`).

use super::fields::Problem;
use super::filter::{Unread, read_into};

codes! {
    /// A column the case list can be ordered by.
    SortKey {
        Received => "received_on",
        Accepted => "accepted_on",
        Amount => "amount_claimed",
        Status => "status",
    }
}

codes! {
    /// Ascending or descending.
    SortDir { Asc => "asc", Desc => "desc", }
}

impl SortDir {
    pub fn flip(self) -> SortDir {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }
}

/// The page sizes offered; anything else in the URL is reported.
pub const PAGE_SIZES: [i64; 4] = [20, 50, 100, 200];
pub const DEFAULT_PAGE_SIZE: i64 = 50;
/// No page number past this (so the offset cannot overflow).
const MAX_PAGE: i64 = 1_000_000;

/// Order and page of the case list. The default is the newest first,
/// 50 a page, the first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    pub sort: SortKey,
    pub dir: SortDir,
    pub per_page: i64,
    /// From 1; a page past the end is brought back to the last by the store.
    pub page: i64,
}

impl Default for Listing {
    fn default() -> Listing {
        Listing {
            sort: SortKey::Received,
            dir: SortDir::Desc,
            per_page: DEFAULT_PAGE_SIZE,
            page: 1,
        }
    }
}

impl Listing {
    /// Reads `sort`, `dir`, `per_page` and `page`; a value that cannot be
    /// read is noted in `unread` and the default kept.
    pub fn read(pairs: &[(String, String)], unread: &mut Vec<Unread>) -> Listing {
        let mut l = Listing::default();
        for (key, value) in pairs {
            let v = value.trim();
            let problem = match key.as_str() {
                "sort" => read_or_keep(&mut l.sort, v, SortKey::from_code),
                "dir" => read_or_keep(&mut l.dir, v, SortDir::from_code),
                "per_page" => read_or_keep(&mut l.per_page, v, |v| {
                    v.parse().ok().filter(|n| PAGE_SIZES.contains(n))
                }),
                "page" => read_or_keep(&mut l.page, v, |v| v.parse::<i64>().ok().map(|p| p.clamp(1, MAX_PAGE))),
                _ => None,
            };
            if let Some(problem) = problem {
                unread.push(Unread::new(key, v, problem));
            }
        }
        l
    }

    /// The number of pages for `total` rows; at least one.
    pub fn pages(&self, total: i64) -> i64 {
        ((total + self.per_page - 1) / self.per_page).max(1)
    }

    /// The same listing on a page that exists.
    pub fn within(self, total: i64) -> Listing {
        Listing {
            page: self.page.clamp(1, self.pages(total)),
            ..self
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page.max(1) - 1).saturating_mul(self.per_page)
    }

    /// Order and page size as query pairs, leaving out the defaults (the
    /// page is added by each link).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let d = Listing::default();
        let mut out = Vec::new();
        if (self.sort, self.dir) != (d.sort, d.dir) {
            out.push(("sort", self.sort.code().to_string()));
            out.push(("dir", self.dir.code().to_string()));
        }
        if self.per_page != d.per_page {
            out.push(("per_page", self.per_page.to_string()));
        }
        out
    }
}

fn read_or_keep<T>(slot: &mut T, value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Problem> {
    let mut read = None;
    let problem = read_into(&mut read, value, parse, Problem::UnknownCode);
    if let Some(v) = read {
        *slot = v;
    }
    problem
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_listing_round_trips_and_reports_what_it_cannot_read() {
        let mut unread = Vec::new();
        let l = Listing::read(
            &pairs(&[
                ("sort", "amount_claimed"),
                ("dir", "asc"),
                ("per_page", "100"),
                ("page", "3"),
            ]),
            &mut unread,
        );
        assert_eq!(
            (l.sort, l.dir, l.per_page, l.page),
            (SortKey::Amount, SortDir::Asc, 100, 3)
        );
        assert!(unread.is_empty());
        let again: Vec<(String, String)> = l.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(Listing::read(&again, &mut unread), Listing { page: 1, ..l });

        let l = Listing::read(
            &pairs(&[("sort", "name"), ("per_page", "7"), ("page", "x")]),
            &mut unread,
        );
        assert_eq!(l, Listing::default());
        let keys: Vec<&str> = unread.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(keys, ["sort", "per_page", "page"]);
    }

    #[test]
    fn a_page_past_the_end_is_the_last_page() {
        let l = Listing {
            page: 99,
            per_page: 20,
            ..Listing::default()
        };
        assert_eq!(l.within(41).page, 3);
        assert_eq!(l.within(0).page, 1);
        assert_eq!(l.within(41).offset(), 40);
    }
}
