//! Facts about the requesting client that guards and throttles need.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::state::app_state;

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when the
/// deployment says it sits behind a proxy. `unknown` when neither is available.
pub fn client_ip() -> String {
    let Some(parts) = use_context::<Parts>() else {
        return "unknown".into();
    };
    let trust_proxy = app_state().map(|s| s.web.trust_proxy).unwrap_or(false);
    if trust_proxy {
        if let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return ip.to_string();
        }
    }
    peer_ip(&parts).map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".into())
}

fn peer_ip(parts: &Parts) -> Option<IpAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}
