//! Upstand: the learning-community app of a workplace peer-support program.
//!
//! This crate holds everything both sides share: the router and pages (rendered on the
//! server, hydrated in the browser) and the server functions, whose bodies and SQL compile
//! only with the `ssr` feature.
#![recursion_limit = "256"]

pub mod accounts;
pub mod auth;
pub mod components;
pub mod drafts;
pub mod error;
pub mod forums;
pub mod ideas;
pub mod live;
pub mod notifications;
pub mod shell;

#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod state;

pub use shell::{shell, App};
