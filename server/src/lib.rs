//! The Upstand server: configuration, its own Postgres when none is given, the HTTP router
//! with its security layers, health checks, background upkeep and demo data.

pub mod assets;
pub mod config;
pub mod db;
pub mod form_return;
pub mod live;
pub mod postgres;
pub mod router;
pub mod security;
pub mod seed;
mod seed_forums;
mod seed_ideas;

pub use router::build_router;
