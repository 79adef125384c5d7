//! The idea board: staff propose experiments (problem, experiment, hypothesis, how success is
//! measured), vote with a limited budget, discuss, and moderators move ideas through a
//! lifecycle that ends in results and lessons learned, so the next experiment starts smarter.

pub mod api;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
