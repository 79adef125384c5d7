//! Accounts: registering, signing in and out, one's own profile and password, and the admin's
//! view of everyone (roles, suspensions). Sessions and guards live in `crate::auth`.

pub mod api;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
