//! The CSV upload page and what an upload found.

use maud::{Markup, html};

use super::{components, layout};
use crate::i18n::Msg;
use crate::web::Ctx;

/// What to show under the form after an upload.
pub enum Outcome {
    /// Nothing yet: the empty form.
    None,
    /// No file was chosen.
    NoFile,
    /// Written, or valid on a dry run: the summary lines.
    Done(Vec<String>),
    /// Refused: the heading, then one line per problem.
    Refused(String, Vec<String>),
}

/// The upload form. Its CSRF token is the body's first part: the handler
/// checks it before it reads the file (see `web::TokenInBody`).
pub fn page(ctx: &Ctx, outcome: &Outcome) -> Markup {
    let body = html! {
        h1 { (ctx.t(Msg::ImportTitle)) }
        p.intro { (ctx.t(Msg::ImportIntro)) }
        @match outcome {
            Outcome::None => {}
            Outcome::NoFile => { p.error-message role="alert" { (ctx.t(Msg::ImportNoFile)) } }
            Outcome::Done(lines) => {
                div.notice #import-result role="status" {
                    @for line in lines { p { (line) } }
                }
            }
            Outcome::Refused(heading, errors) => {
                div.error-message #import-errors role="alert" {
                    p { strong { (heading) } }
                    ol.import-errors {
                        @for e in errors { li { (e) } }
                    }
                }
            }
        }
        form.stack method="post" action="/import" enctype="multipart/form-data" {
            (components::csrf(ctx))
            div.field {
                label for="file" { (ctx.t(Msg::ImportFile)) }
                input #file type="file" name="file" accept=".csv,text/csv" required;
            }
            label.check { input type="checkbox" name="dry_run" value="1"; " " (ctx.t(Msg::ImportCheckOnly)) }
            div.actions { button.primary type="submit" { (ctx.t(Msg::ImportButton)) } }
        }
    };
    layout::page(ctx, ctx.t(Msg::ImportTitle), body)
}
