//! The table's tests: every GET route has an entry, every entry names a
//! GET route, and a missing route is named.

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
