//! Reading and setting the small cookies Accord keeps besides the session
//! (the language, an anonymous visitor's CSRF token).

use axum::http::{HeaderMap, HeaderValue, header};

/// A `Set-Cookie` value; without `max_age` it lasts until the browser closes.
pub fn cookie(name: &str, value: &str, secure: bool, max_age: Option<u32>) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    // Names and values are ours: ASCII letters, digits and `_`.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of one request cookie.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}
