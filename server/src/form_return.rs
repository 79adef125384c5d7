//! Brings a refused form without JavaScript back to its own page, however much was typed.
//!
//! Without JavaScript, a server function that refuses a form redirects to the page in the
//! request's `Referer`, with the error and the typed text added to that address. After a long
//! text is refused once, the page's own address is longer than the 4,096 bytes Chromium sends
//! as a `Referer`; it then sends only the origin, and a second refusal from that page would land
//! on the home page, where the reply box and everything typed into it are gone.
//!
//! So when a refusal sends someone to such a long address, a short-lived cookie (scoped to
//! `/api`) remembers the page without the error; a later form post whose `Referer` is the bare
//! origin is given that page back as its `Referer`. Any form post with a usable `Referer`
//! clears the cookie.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue, Method};

use app::auth::session::cookie_value;

/// The cookie naming the page a long refused form came back to.
pub const COOKIE: &str = "upstand_form_page";
/// Longest `Referer` Chromium sends; past it only the origin is sent.
const REFERER_MAX_BYTES: usize = 4096;
/// The cookie lives an hour: long enough to fix a long text, short enough to be forgotten.
const COOKIE_MAX_AGE_SECS: u32 = 3600;

pub async fn remember_form_page(State(secure): State<bool>, mut req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let remembered = cookie_value(req.headers(), COOKIE).filter(|page| is_local_page(page));
    let referer = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bare_origin = referer.as_deref().and_then(bare_origin);
    if let (Some(origin), Some(page)) = (bare_origin, remembered.as_deref()) {
        if let Ok(value) = HeaderValue::from_str(&format!("{origin}{page}")) {
            req.headers_mut().insert(header::REFERER, value);
        }
    }

    let mut res = next.run(req).await;
    let long_return = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|location| location.len() > REFERER_MAX_BYTES && location.contains("__err="))
        .and_then(page_without_error);
    let cookie = match long_return {
        Some(page) => Some(format!("{COOKIE}={page}; Max-Age={COOKIE_MAX_AGE_SECS}")),
        None if remembered.is_some() && referer.is_some() && bare_origin.is_none() => {
            Some(format!("{COOKIE}=; Max-Age=0"))
        }
        None => None,
    };
    if let Some(cookie) = cookie {
        let secure_attr = if secure { "; Secure" } else { "" };
        let value = format!("{cookie}; Path=/api; HttpOnly; SameSite=Lax{secure_attr}");
        if let Ok(value) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    res
}

/// `scheme://host` when a `Referer` is an origin and nothing more (what a cut one looks like).
fn bare_origin(referer: &str) -> Option<&str> {
    let (scheme, rest) = referer.split_once("://")?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    let ok = !scheme.is_empty() && !host.is_empty() && !host.contains(['/', '?', '#']);
    ok.then(|| &referer[..scheme.len() + 3 + host.len()])
}

/// The path and query of an absolute URL, without the `__err` and `__path` a refusal added;
/// `None` unless the result is a local page that fits in a cookie.
fn page_without_error(location: &str) -> Option<String> {
    let after_scheme = location.split_once("://")?.1;
    let path_and_query = &after_scheme[after_scheme.find('/')?..];
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| !matches!(pair.split('=').next(), Some("__err" | "__path")))
        .collect();
    let page = if kept.is_empty() { path.to_owned() } else { format!("{path}?{}", kept.join("&")) };
    (is_local_page(&page) && page.len() <= REFERER_MAX_BYTES).then_some(page)
}

/// A path on this site whose characters may stand in a cookie value as they are.
fn is_local_page(page: &str) -> bool {
    page.starts_with('/')
        && !page.starts_with("//")
        && page.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b',' | b';' | b'\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_referer_is_recognised() {
        assert_eq!(bare_origin("http://127.0.0.1:3000/"), Some("http://127.0.0.1:3000"));
        assert_eq!(bare_origin("https://upstand.example"), Some("https://upstand.example"));
        assert_eq!(bare_origin("http://127.0.0.1:3000/forums/t/5"), None);
        assert_eq!(bare_origin("http://127.0.0.1:3000/?q=1"), None);
        assert_eq!(bare_origin("not a url"), None);
    }

    #[test]
    fn the_page_is_kept_without_the_error() {
        let location = "http://h:1/forums/t/5?after=20&__path=%2Fapi%2Fcreate_post&__err=eyJ9";
        assert_eq!(page_without_error(location).as_deref(), Some("/forums/t/5?after=20"));
        assert_eq!(
            page_without_error("http://h:1/forums/t/5?__path=x&__err=y").as_deref(),
            Some("/forums/t/5")
        );
        assert_eq!(page_without_error("http://h:1/a?q=x;y&__err=e"), None, "not cookie-safe");
        assert!(!is_local_page("//evil.example/x"));
        assert!(!is_local_page("https://evil.example/"));
    }
}
