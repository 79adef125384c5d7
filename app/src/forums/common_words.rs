//! Which words are common in posts, remembered by each server instance for a while, so a
//! search can tell cheaply whether reading the newest posts first is worth it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgConnection;

use super::repo;

/// How long a list is used before it is read again. Postgres updates the statistics behind
/// it only when autovacuum analyzes the posts (every tenth or so of the table added), so
/// minutes of staleness change nothing but the odd search's speed.
const KEEP_FOR: Duration = Duration::from_secs(600);

/// Lexemes in at least [`repo::COMMON_SHARE`] of posts, as last read.
#[derive(Debug, Default)]
pub struct CommonWords {
    /// When the list was read, and the list (None: no statistics, or reading them failed).
    last: Mutex<Option<(Instant, Option<Arc<[String]>>)>>,
}

impl CommonWords {
    /// The list, read again when it is older than `KEEP_FOR`. None when unknown: a search then
    /// reads the newest posts first whatever its words, as it would without the list.
    pub async fn get(&self, conn: &mut PgConnection) -> Option<Arc<[String]>> {
        if let Some((read_at, words)) = self.last.lock().ok()?.as_ref() {
            if read_at.elapsed() < KEEP_FOR {
                return words.clone();
            }
        }
        // Concurrent searches may each read it once when it goes stale; the result is the same.
        let words = match repo::find_common_lexemes(conn, repo::COMMON_SHARE).await {
            Ok(words) => words.map(Arc::from),
            Err(e) => {
                tracing::warn!(error = %e, "could not read how common words are; searches read the newest posts first");
                None
            }
        };
        if let Ok(mut last) = self.last.lock() {
            *last = Some((Instant::now(), words.clone()));
        }
        words
    }
}
