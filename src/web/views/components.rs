//! Small pieces shared by pages.

use maud::{Markup, html};

use crate::domain::case::FieldErrors;
use crate::domain::reference::RefItem;
use crate::domain::{Money, Status};
use crate::i18n::{Label, Msg, problem_text};
use crate::web::Ctx;

/// The hidden CSRF input every changing form carries.
pub fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(ctx.csrf); }
}

/// The message under a field, if it has a problem.
pub fn field_error(ctx: &Ctx, errors: &FieldErrors, key: &str) -> Markup {
    html! {
        @if let Some(p) = errors.get(key) {
            span.field-error id=(format!("{}-error", key.replace('.', "-"))) role="alert" { (problem_text(p, ctx.lang)) }
        }
    }
}

/// The class of an input with a problem.
pub fn invalid(errors: &FieldErrors, key: &str) -> Option<&'static str> {
    errors.get(key).map(|_| "invalid")
}

/// A `<select>` of a reference list. Retired codes are offered only when
/// already chosen, so old cases keep them.
pub fn ref_select(
    ctx: &Ctx,
    name: &str,
    id: &str,
    items: &[RefItem],
    selected: &str,
    blank: Msg,
    is_invalid: bool,
) -> Markup {
    html! {
        select id=(id) name=(name) class=[is_invalid.then_some("invalid")] {
            option value="" { (ctx.t(blank)) }
            @for item in items.iter().filter(|i| !i.retired || i.code == selected) {
                option value=(item.code) selected[item.code == selected] { (item.label(ctx.lang)) }
            }
        }
    }
}

/// A status badge.
pub fn status_badge(ctx: &Ctx, status: Status) -> Markup {
    html! { span class=(format!("badge status-{}", status.code())) { (ctx.t(status.msg())) } }
}

/// `¥1,234.50` from fen.
pub fn money(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

/// An amount that may have been left blank: "—" then, never ¥0.00.
pub fn money_or_dash(fen: Option<i64>) -> String {
    fen.map_or_else(|| "—".to_string(), money)
}

/// A count, with "+" when the list stopped counting at its cap
/// ("10,000+"), with thousands separated only then, as before.
pub fn count_text(total: i64, more: bool) -> String {
    if more {
        let digits = total.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        out + "+"
    } else {
        total.to_string()
    }
}
