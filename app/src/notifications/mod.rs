//! In-app notifications: replies in watched threads, mentions and quotes. Any area can add
//! notifications for its posts through `repo`; the bell and the notifications page live here.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
