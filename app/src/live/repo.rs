//! Announcing events: `pg_notify` once the writes they announce have committed.
//!
//! Not inside the writer's transaction. Postgres serialises the commits of all transactions
//! that notify (one lock on the notification queue, held through the commit's flush to disk),
//! so every reply waited for every other reply's flush, one at a time: the benchmark's replies
//! topped out at one per disk flush. Sent after the commit, a notify is a transaction of its
//! own that writes nothing to disk and holds that lock for a moment only. What this costs: a
//! server that dies between the commit and the notify loses that event. The post is stored all
//! the same; a reader sees it on reload, and every new stream first looks for anything missed.

use sqlx::PgPool;

use super::LiveEvent;

/// The one channel every instance listens on.
pub const CHANNEL: &str = "upstand_live";

/// `NOTIFY` payloads must stay under 8000 bytes; ids are sent in batches well below that.
const IDS_PER_EVENT: usize = 400;

/// The events a write will announce, gathered while its transaction runs and sent by
/// [`Announcements::send_after_commit`] once it has committed (dropped unsent if it fails).
#[derive(Debug, Default)]
#[must_use = "send the announcements once the transaction has committed"]
pub struct Announcements {
    payloads: Vec<String>,
}

impl Announcements {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an event; nothing for nobody, and long lists of people in several events.
    pub fn push(&mut self, event: LiveEvent) {
        match event {
            LiveEvent::Notices { user_ids } if user_ids.is_empty() => {}
            LiveEvent::Notices { user_ids } => {
                for chunk in user_ids.chunks(IDS_PER_EVENT) {
                    self.push_payload(&LiveEvent::Notices { user_ids: chunk.to_vec() });
                }
            }
            event => self.push_payload(&event),
        }
    }

    fn push_payload(&mut self, event: &LiveEvent) {
        match serde_json::to_string(event) {
            Ok(payload) => self.payloads.push(payload),
            Err(e) => tracing::error!(error = %e, "a live event could not be encoded"),
        }
    }

    /// Sends every event in one statement, in a task of its own: the answer to the writer
    /// does not wait for it, and a writer that hangs up cannot cancel it halfway. Call only
    /// after the writes have committed. Live updates are a courtesy, so a failure is logged,
    /// not reported to the writer, whose post is stored.
    pub fn send_after_commit(self) {
        if self.payloads.is_empty() {
            return;
        }
        let Ok(state) = crate::state::app_state() else { return };
        let pool = state.pool.clone();
        tokio::spawn(async move {
            if let Err(e) = send(&pool, &self.payloads).await {
                tracing::warn!(error = %e, "live events were not announced");
            }
        });
    }
}

/// One `pg_notify` per payload, in one round trip (its own short transaction).
pub async fn send(pool: &PgPool, payloads: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload", CHANNEL, payloads)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_to_nudge_sends_nothing_and_long_lists_are_split() {
        let mut a = Announcements::new();
        a.push(LiveEvent::Notices { user_ids: vec![] });
        assert!(a.payloads.is_empty());

        a.push(LiveEvent::Notices { user_ids: (1..=IDS_PER_EVENT as i64 * 2 + 1).collect() });
        a.push(LiveEvent::Post { thread_id: 7, seq: 3 });
        let events: Vec<LiveEvent> = a.payloads.iter().map(|p| serde_json::from_str(p).unwrap()).collect();
        let sizes: Vec<usize> = events
            .iter()
            .filter_map(|e| match e {
                LiveEvent::Notices { user_ids } => Some(user_ids.len()),
                LiveEvent::Post { .. } => None,
            })
            .collect();
        assert_eq!(sizes, [IDS_PER_EVENT, IDS_PER_EVENT, 1]);
        assert_eq!(events.last(), Some(&LiveEvent::Post { thread_id: 7, seq: 3 }));
        assert!(a.payloads.iter().all(|p| p.len() < 8000), "NOTIFY payloads stay under 8000 bytes");
    }
}
