//! Rates as mediation reports print them (DOMAIN.md): "—" when there is
//! nothing to divide, and provisional (暂) with the number still open while
//! cases accepted in the period are still in mediation.

use maud::{Markup, html};

use crate::domain::stats::Rate;
use crate::i18n::Msg;
use crate::web::Ctx;

/// `(暂,3件调解中)`.
pub fn provisional_note(ctx: &Ctx, open: i64) -> String {
    ctx.t(Msg::StProvisionalNote).replace("{n}", &open.to_string())
}

/// `96.9%`, `50.0%(暂,3件调解中)` or `—`, as plain text.
pub fn rate_text(ctx: &Ctx, rate: Rate, open: i64) -> String {
    match rate.shown() {
        None => "—".into(),
        Some(p) if open > 0 => format!("{p}%{}", provisional_note(ctx, open)),
        Some(p) => format!("{p}%"),
    }
}

/// The same, marked up: the provisional note in a span of its own.
pub fn rate(ctx: &Ctx, rate: Rate, open: i64) -> Markup {
    html! {
        @match rate.shown() {
            None => span.rate.nothing { "—" },
            Some(p) => {
                span.rate { (p) "%" }
                @if open > 0 { span.provisional { (provisional_note(ctx, open)) } }
            }
        }
    }
}
