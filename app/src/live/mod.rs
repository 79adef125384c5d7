//! Live updates: new replies appear on an open thread and the bell counts up without a reload,
//! whichever server instance took the write.
//!
//! A write announces itself with Postgres `NOTIFY` once its transaction has committed (see
//! `repo` for why not inside it), so an event is sent only for a post that was stored. Each server instance holds one `LISTEN`
//! connection (`hub`) and fans events out to its open server-sent-event streams; the streams
//! carry only ids and counters, and the page fetches what changed through the usual guarded
//! server functions. Without JavaScript nothing streams: a reload shows the latest.

#[cfg(feature = "hydrate")]
mod client;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod repo;

use leptos::prelude::*;
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

/// The page's one live stream, shared by the bell and the thread being read: browsers allow
/// only a few connections per site, so each tab keeps exactly one open while someone is signed
/// in. Provided by the app's frame; pages read the signals below.
#[derive(Debug, Clone, Copy)]
pub struct Live {
    /// The thread the page shows (the thread page sets it while it is shown).
    pub thread: RwSignal<Option<i64>>,
    /// Whether someone is signed in (the bell knows); nothing streams for visitors.
    pub signed_in: RwSignal<bool>,
    /// Bumped whenever the signed-in person may have new notifications.
    pub notified: RwSignal<u32>,
    /// The latest word about the thread: a new post's `seq`, or `None` for "look for anything
    /// you missed" (at the start of every connection, and after a backlog).
    pub thread_news: RwSignal<(u32, Option<i32>)>,
}

impl Live {
    pub fn provide() {
        let live = Live {
            thread: RwSignal::new(None),
            signed_in: RwSignal::new(false),
            notified: RwSignal::new(0),
            thread_news: RwSignal::new((0, None)),
        };
        provide_context(live);
        Effect::new(move |_| {
            if !live.signed_in.get() {
                return;
            }
            let url = match live.thread.get() {
                Some(id) => format!("/live/events?thread={id}"),
                None => "/live/events".to_owned(),
            };
            subscribe(url, move |data| live.receive(&data));
        });
    }

    fn receive(self, data: &str) {
        match data {
            "notified" => self.notified.update(|n| *n += 1),
            "refresh" => {
                self.notified.update(|n| *n += 1);
                self.thread_news.update(|(n, seq)| (*n, *seq) = (*n + 1, None));
            }
            other => {
                if let Some(seq) = other.strip_prefix("post:").and_then(|s| s.parse().ok()) {
                    self.thread_news.update(|(n, last)| (*n, *last) = (*n + 1, Some(seq)));
                }
            }
        }
    }
}

/// The live stream's signals (see [`Live`]).
pub fn use_live() -> Live {
    expect_context::<Live>()
}

/// Calls `on_event` with each event's data from the stream at `url`, for as long as the
/// calling owner lives. Does nothing while rendering on the server.
fn subscribe(url: String, on_event: impl Fn(String) + 'static) {
    #[cfg(feature = "hydrate")]
    client::subscribe(url, on_event);
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, on_event);
}
