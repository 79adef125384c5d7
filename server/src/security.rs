//! Layers that protect every response: cross-site request refusal, security headers, the
//! friendly 503 while the database is away, and proper HTTP statuses for server-function
//! errors.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, Method, StatusCode};

use crate::db::DbHealth;

/// Refuses state-changing requests sent from another site. Browsers send `Origin` on every
/// cross-origin POST (and `Sec-Fetch-Site`); requests without either come from non-browser
/// clients, which cannot carry a victim's cookies. This backs up the SameSite=Lax cookie.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if is_state_changing(req.method()) && is_cross_site(&req) {
        tracing::warn!(method = %req.method(), uri = %req.uri(), "refused cross-site request");
        return (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response();
    }
    next.run(req).await
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_cross_site(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest.trim_end_matches('/'))
            .unwrap_or("null");
        return !origin_host.eq_ignore_ascii_case(host);
    }
    matches!(headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()), Some("cross-site"))
}

/// Headers every response gets. HTML pages carry their own nonce-based CSP (set while
/// rendering); everything else gets a policy that allows nothing.
pub async fn security_headers(State(secure): State<bool>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // same-origin keeps the Referer that no-JavaScript form posts are redirected back to.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
        );
    }
    if secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Safety net for the page policy: an HTML page whose nonce-based CSP header did not make it
/// onto the response (seen intermittently in browser tests: the page then cannot hydrate and
/// the deny-all fallback below would apply) gets it here, from the nonce Leptos put on its own
/// first inline script in `<head>`, which precedes any user content.
pub async fn ensure_page_policy(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html || res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 8 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    match find_nonce(&bytes) {
        Some(nonce) => {
            tracing::debug!("added the page policy from the document's nonce");
            if let Ok(value) = HeaderValue::from_str(&app::shell::content_security_policy(nonce)) {
                parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
        }
        None => tracing::warn!("HTML response without a nonce; the deny-all policy applies"),
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The first `nonce="…"` in a document's head, if it looks like one Leptos generates.
fn find_nonce(html: &[u8]) -> Option<&str> {
    let head = &html[..html.len().min(16 * 1024)];
    let text = std::str::from_utf8(head).ok().or_else(|| {
        // Cut at a character boundary if the window split one.
        let valid = std::str::from_utf8(head).err()?.valid_up_to();
        std::str::from_utf8(&head[..valid]).ok()
    })?;
    let head_end = text.find("</head>").unwrap_or(text.len());
    let start = text[..head_end].find("nonce=\"")? + "nonce=\"".len();
    let len = text[start..].find('"')?;
    let nonce = &text[start..start + len];
    let ok = (8..=64).contains(&nonce.len())
        && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'='));
    ok.then_some(nonce)
}

/// While the database is unreachable, pages answer a calm 503 instead of failing one by one.
/// Static files and the health check still answer.
pub async fn unavailable_when_db_down(State(health): State<DbHealth>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let exempt = path.starts_with("/pkg/") || path == "/healthz" || path.starts_with("/favicon");
    if health.is_up() || exempt {
        return next.run(req).await;
    }
    let mut res = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::RETRY_AFTER, "5")],
        UNAVAILABLE_PAGE,
    )
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    );
    res
}

const UNAVAILABLE_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upstand will be right back</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.6;color:#1f2a30;background:#f7f5f0}</style>
</head><body><main><h1>Upstand will be right back</h1>
<p>We can't reach our database just now. Nothing you wrote before this is lost.</p>
<p>Please try again in a minute; this page does not need to be kept open.</p></main></body></html>"#;

/// Server functions answer errors as 500 by default; give them the status their `AppError`
/// means (422 for validation, 403, 429 …), so only real faults look like faults.
pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 256 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Some(status) = decode_status(&bytes) {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The status an `AppError` body stands for, if the body is one.
fn decode_status(bytes: &[u8]) -> Option<StatusCode> {
    let err: app::error::AppError = serde_json::from_slice(bytes).ok()?;
    StatusCode::from_u16(err.status()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: Method, headers: &[(&str, &str)]) -> Request {
        let mut b = http::Request::builder().method(method).uri("/api/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn nonce_is_read_from_the_head_only() {
        let html = br#"<html><head><script type="module" nonce="Zt4iLLFYbONykuz8vAWBBQ">x</script></head>"#;
        assert_eq!(find_nonce(html), Some("Zt4iLLFYbONykuz8vAWBBQ"));
        assert_eq!(find_nonce(br#"<head></head><body><p nonce="abcdefghij">"#), None);
        assert_eq!(find_nonce(br#"<head><script nonce="a'b;c d">"#), None);
    }

    #[test]
    fn cross_site_detection() {
        let host = ("host", "127.0.0.1:3000");
        assert!(!is_cross_site(&req(Method::POST, &[host, ("origin", "http://127.0.0.1:3000")])));
        assert!(is_cross_site(&req(Method::POST, &[host, ("origin", "https://evil.example")])));
        assert!(is_cross_site(&req(Method::POST, &[host, ("origin", "null")])));
        assert!(is_cross_site(&req(Method::POST, &[host, ("sec-fetch-site", "cross-site")])));
        assert!(!is_cross_site(&req(Method::POST, &[host, ("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&req(Method::POST, &[host])));
        assert!(!is_state_changing(&Method::GET));
    }
}
