//! Case pages: the list, the form, the case itself.

mod form;
mod list;
mod show;

pub use form::{page as form_page, FormView};
pub use list::{page as list_page, ListView};
pub use show::{page as show_page, ShowView};
