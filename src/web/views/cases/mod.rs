//! Case pages: the list, the form, the case itself.

mod form;
mod list;
mod list_nav;
mod show;

pub use form::{FormView, page as form_page};
pub use list::{ListView, page as list_page};
pub use show::{ShowView, page as show_page};
