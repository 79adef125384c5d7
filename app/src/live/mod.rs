//! Live updates: new replies appear on an open thread and the bell counts up without a reload,
//! whichever server instance took the write.
//!
//! A write announces itself with Postgres `NOTIFY` inside its own transaction, so an event is
//! sent only for a post that was committed. Each server instance holds one `LISTEN`
//! connection (`hub`) and fans events out to its open server-sent-event streams; the streams
//! carry only ids and counters, and the page fetches what changed through the usual guarded
//! server functions. Without JavaScript nothing streams: a reload shows the latest.

#[cfg(feature = "hydrate")]
mod client;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

/// What happened, as sent between server instances over `NOTIFY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum LiveEvent {
    /// Post `seq` was added to a thread.
    Post { thread_id: i64, seq: i32 },
    /// These people have new notifications.
    Notices { user_ids: Vec<i64> },
}

/// Calls `on_event` with each event's data from the stream at `url`, for as long as the
/// calling component lives. Does nothing while rendering on the server.
pub fn use_live_events(url: String, on_event: impl Fn(String) + 'static) {
    #[cfg(feature = "hydrate")]
    client::subscribe(url, on_event);
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, on_event);
}
