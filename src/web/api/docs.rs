//! `GET /api/docs`: the OpenAPI document as a page, rendered here from the
//! generated document (paths, methods, parameters, bodies, responses,
//! schemas), with the stylesheet the binary serves: no CDN, no script.

use axum::extract::State;
use axum::http::HeaderMap;
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use super::auth::language;
use super::responses::kinds;
use crate::i18n::{Lang, Msg};
use crate::web::AppState;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// A schema's type in words: `string`, `string | null`, `array of CaseSummary`,
/// or the name of the schema it refers to.
fn type_text(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(options) = v.get("oneOf").or_else(|| v.get("anyOf")).and_then(Value::as_array) {
        return options.iter().map(type_text).collect::<Vec<_>>().join(" | ");
    }
    let kind = match v.get("type") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        _ => "object".to_string(),
    };
    match v.get("items") {
        Some(items) => format!("{kind} of {}", type_text(items)),
        None => kind,
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The schema a body or response carries, as a link to it.
fn body_link(content: Option<&Value>) -> Markup {
    let Some(content) = content.and_then(Value::as_object) else {
        return html! {};
    };
    html! {
        @for (media, m) in content {
            @let name = m.get("schema").map(type_text).unwrap_or_default();
            code { (media) } " " a href=(format!("#schema-{name}")) { (name) } " "
        }
    }
}

fn operation(lang: Lang, method: &str, path: &str, op: &Value) -> Markup {
    let params = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    html! {
        section.api-operation id=(format!("{method}-{path}")) {
            h3 { code { (method.to_uppercase()) " " (path) } }
            p { strong { (text(op, "summary")) } }
            @if !text(op, "description").is_empty() { p { (text(op, "description")) } }
            @if !params.is_empty() {
                h4 { (Msg::ApiDocsParameters.text(lang)) }
                div.table-wrap { table {
                    tbody { @for p in &params { tr {
                        td { code { (text(p, "name")) } }
                        td { (text(p, "in")) }
                        td { (p.get("schema").map(type_text).unwrap_or_default()) }
                        td { @if p.get("required").and_then(Value::as_bool) == Some(true) { (Msg::ApiDocsRequired.text(lang)) } }
                        td { (text(p, "description")) }
                    } } }
                } }
            }
            @if let Some(body) = op.get("requestBody") {
                h4 { (Msg::ApiDocsRequestBody.text(lang)) }
                p { (body_link(body.get("content"))) }
            }
            h4 { (Msg::ApiDocsResponses.text(lang)) }
            div.table-wrap { table { tbody {
                @for (status, r) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                    tr { td { code { (status) } } td { (text(r, "description")) } td { (body_link(r.get("content"))) } }
                }
            } } }
        }
    }
}

fn schema(lang: Lang, name: &str, s: &Value) -> Markup {
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    html! {
        section.api-schema id=(format!("schema-{name}")) {
            h3 { code { (name) } }
            @if !text(s, "description").is_empty() { p { (text(s, "description")) } }
            div.table-wrap { table { tbody {
                @for (field, f) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
                    tr {
                        td { code { (field) } }
                        td { (type_text(f)) }
                        td { @if required.contains(&field.as_str()) { (Msg::ApiDocsRequired.text(lang)) } }
                        td { (text(f, "description")) }
                    }
                }
            } } }
        }
    }
}

/// Renders the document in the language of `Accept-Language`.
pub fn render(doc: &Value, lang: Lang) -> Markup {
    let info = doc.get("info").cloned().unwrap_or_default();
    html! {
        (DOCTYPE)
        html lang=(lang.html_lang()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (text(&info, "title")) }
                link rel="stylesheet" href="/static/app.css";
            }
            body { main {
                h1 { (text(&info, "title")) " " small { "v" (text(&info, "version")) } }
                p { (text(&info, "description")) }
                p { a href="/api/openapi.json" { "openapi.json" } }
                h2 { (Msg::ApiDocsPaths.text(lang)) }
                @for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
                    @for method in METHODS {
                        @if let Some(op) = item.get(method) { (operation(lang, method, path, op)) }
                    }
                }
                h2 { (Msg::ApiDocsProblems.text(lang)) }
                div.table-wrap { table { tbody {
                    @for (slug, status, title, detail) in kinds() {
                        tr id=(format!("problem-{slug}")) {
                            td { code { (slug) } } td { (status) } td { (title.text(lang)) } td { (detail.text(lang)) }
                        }
                    }
                } } }
                h2 { (Msg::ApiDocsSchemas.text(lang)) }
                @for (name, s) in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
                    (schema(lang, name, s))
                }
            } }
        }
    }
}

/// `GET /api/docs`.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Markup {
    render(
        &super::openapi::value(),
        language(&headers, state.config.default_language),
    )
}
