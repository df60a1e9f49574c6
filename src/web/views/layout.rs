//! The page frame: head, navigation, notice, content.

use maud::{DOCTYPE, Markup, html};

use crate::domain::{Permission, Role};
use crate::i18n::{Lang, Msg};
use crate::web::Ctx;

/// A full page with navigation for a signed-in user.
pub fn page(ctx: &Ctx, title: &str, content: Markup) -> Markup {
    let other = match ctx.lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let lang_link = format!(
        "/lang/{}?{}",
        other.code(),
        serde_urlencoded::to_string([("next", ctx.path.as_str())]).unwrap_or_default()
    );
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.html_lang()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (ctx.t(Msg::AppShort)) }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                a.skip href="#main" { (ctx.t(Msg::SkipToContent)) }
                header.top {
                    a.brand href="/" title=(ctx.t(Msg::AppName)) { (ctx.t(Msg::AppShort)) }
                    @if let Some(user) = &ctx.user {
                        nav.main {
                            @let items = nav_items(user.role());
                            @let current = current_item(&ctx.path, &items);
                            @for (href, msg) in &items {
                                a href=(href) class=[(Some(*href) == current).then_some("current")]
                                    aria-current=[(Some(*href) == current).then_some("page")] { (ctx.t(*msg)) }
                            }
                        }
                        div.who {
                            span { (ctx.t(Msg::SignedInAs)) " " strong { (user.username) } }
                            a.lang href=(lang_link) lang=(other.html_lang()) { (ctx.t(Msg::SwitchLanguage)) }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf_token" value=(ctx.csrf);
                                button.link type="submit" { (ctx.t(Msg::NavLogout)) }
                            }
                        }
                    } @else {
                        div.who { a.lang href=(lang_link) lang=(other.html_lang()) { (ctx.t(Msg::SwitchLanguage)) } }
                    }
                }
                main #main {
                    @if let Some(msg) = ctx.flash {
                        p.notice role="status" { (ctx.t(msg)) }
                    }
                    (content)
                }
            }
        }
    }
}

/// The navigation item whose link is the longest prefix of the path.
fn current_item(path: &str, items: &[(&'static str, Msg)]) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    items
        .iter()
        .map(|(href, _)| *href)
        .filter(|href| path == *href || path.starts_with(&format!("{href}/")))
        .max_by_key(|href| href.len())
}

fn nav_items(role: Role) -> Vec<(&'static str, Msg)> {
    use Permission::*;
    if role.may(Oversee) {
        return vec![
            ("/oversight", Msg::NavOversight),
            ("/oversight/cases", Msg::NavOversightCases),
            ("/reports", Msg::NavReports),
        ];
    }
    let mut items = vec![("/cases", Msg::NavCases)];
    if role.may(ChangeCases) {
        items.push(("/cases/new", Msg::NavNewCase));
        items.push(("/my", Msg::NavMyWork));
    }
    // Every role has a dashboard (a mediator's counts their own cases);
    // the annual report is the association's.
    items.push(("/dashboard", Msg::NavDashboard));
    if role.may(ReadReports) {
        items.push(("/reports", Msg::NavReports));
    }
    // Everyone reads the mediators list; some may change it.
    items.push(("/mediators", Msg::NavMediators));
    if crate::domain::transfer::may_decide(role) {
        items.push(("/transfers", Msg::NavTransfers));
    }
    let admin = [
        (ManageUsers, "/users", Msg::NavUsers),
        (ManageUsers, "/orgs", Msg::NavOrgs),
        (ManageReference, "/reference", Msg::NavReference),
        (ReadAudit, "/audit", Msg::NavAudit),
        (Import, "/import", Msg::NavImport),
        (Backup, "/backup", Msg::NavBackup),
    ];
    items.extend(
        admin
            .into_iter()
            .filter(|(p, _, _)| role.may(*p))
            .map(|(_, href, msg)| (href, msg)),
    );
    items
}
