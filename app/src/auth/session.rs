//! Session tokens and the cookie that carries them.
//!
//! A token is 256 random bits from the OS; the database keeps only its SHA-256, so a leaked
//! database dump cannot be replayed as a login. A new token is minted at every login.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use http::{header, request::Parts, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a session lasts without being used.
pub const SESSION_DAYS: i64 = 30;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-upstand_session"
    } else {
        "upstand_session"
    }
}

/// A fresh random token (sent to the browser) and its hash (stored).
pub fn new_token() -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session token from the request's cookies, if any.
pub fn token_from_parts(parts: &Parts, secure: bool) -> Option<String> {
    token_from_headers(&parts.headers, secure)
}

/// The session token from a set of request headers, if any.
pub fn token_from_headers(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    cookie_value(headers, cookie_name(secure)).filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The value of the first cookie called `name` in a set of request headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub fn set_cookie(token: &str, secure: bool) -> Option<HeaderValue> {
    let max_age = SESSION_DAYS * 24 * 3600;
    let secure_attr = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure_attr}",
        cookie_name(secure)
    ))
    .ok()
}

pub fn clear_cookie(secure: bool) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure_attr}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("upstand_session=; Path=/; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(ha, hash_token(&a));
        assert_eq!(ha.len(), 32);
    }

    #[test]
    fn reads_the_right_cookie() {
        let req =
            http::Request::builder().header("cookie", "other=1; upstand_session=abc; x=y").body(()).unwrap();
        let (parts, _) = req.into_parts();
        assert_eq!(token_from_parts(&parts, false).as_deref(), Some("abc"));
        assert_eq!(token_from_parts(&parts, true), None);
    }

    #[test]
    fn cookie_attributes() {
        let c = set_cookie("t", true).unwrap();
        let c = c.to_str().unwrap();
        assert!(c.starts_with("__Host-upstand_session=t;"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        let c = set_cookie("t", false).unwrap();
        assert!(!c.to_str().unwrap().contains("Secure"));
    }
}
