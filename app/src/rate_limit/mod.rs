//! Throttling shared by every area: fixed windows counted in Postgres, so all server instances
//! see the same counts. Limits never lock anyone out for good: a window simply expires.
//! Expensive reads (search) are throttled in memory instead: see `reads`.

pub mod reads;
mod repo;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::error::AppError;

/// At most `max` events per `window_secs` in one bucket.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window_secs: i64,
}

impl Limit {
    pub const fn new(max: i32, window_secs: i64) -> Self {
        Self { max, window_secs }
    }

    /// The same limit with `max` scaled (configured per deployment, e.g. relaxed for tests).
    pub fn scaled(self, factor: i32) -> Self {
        Self { max: self.max.saturating_mul(factor.max(1)), ..self }
    }
}

/// The limits in force; see `WebConfig::rate_limit_multiplier`.
pub mod limits {
    use super::Limit;
    /// Login attempts from one address (Discourse's defaults: 6 a minute, 30 an hour).
    pub const LOGIN_PER_IP_MINUTE: Limit = Limit::new(6, 60);
    pub const LOGIN_PER_IP_HOUR: Limit = Limit::new(30, 3600);
    /// Failed logins to one account, from anywhere.
    pub const LOGIN_FAILURES_PER_ACCOUNT: Limit = Limit::new(5, 900);
    /// New accounts from one address.
    pub const REGISTER_PER_IP_HOUR: Limit = Limit::new(5, 3600);
    /// Searches by one person (counted in memory: see `reads`).
    pub const SEARCHES: Limit = Limit::new(60, 600);
}

fn window_start(now: DateTime<Utc>, window_secs: i64) -> DateTime<Utc> {
    let secs = now.timestamp();
    let start = secs - secs.rem_euclid(window_secs);
    DateTime::from_timestamp(start, 0).unwrap_or(now)
}

fn retry_after(now: DateTime<Utc>, limit: Limit) -> u64 {
    let end = window_start(now, limit.window_secs).timestamp() + limit.window_secs;
    (end - now.timestamp()).max(1) as u64
}

/// Counts one event in `bucket`. Refused (with a wait time) once over the limit.
pub async fn hit(conn: &mut PgConnection, bucket: &str, limit: Limit, what: &str) -> Result<(), AppError> {
    hit_all(conn, &[(bucket.to_owned(), limit)], what).await
}

/// Counts one event in each bucket, in one statement. Refused (with the longest wait of the
/// limits passed) once over any of them.
///
/// Counting takes a row lock on each window that lasts until the caller's transaction ends, so
/// in a transaction that writes more, count last (just before commit): one person's second post
/// then waits for the first one's commit only, not for all of its work. A refusal rolls the
/// transaction back, so nothing refused is stored, nor counted.
pub async fn hit_all(
    conn: &mut PgConnection,
    buckets: &[(String, Limit)],
    what: &str,
) -> Result<(), AppError> {
    let now = Utc::now();
    let names: Vec<String> = buckets.iter().map(|(b, _)| b.clone()).collect();
    let starts: Vec<DateTime<Utc>> = buckets.iter().map(|(_, l)| window_start(now, l.window_secs)).collect();
    let counts = repo::increment_all(conn, &names, &starts).await?;
    let wait = buckets
        .iter()
        .filter(|(bucket, limit)| counts.iter().any(|(b, hits)| b == bucket && *hits > limit.max))
        .map(|(_, limit)| retry_after(now, *limit))
        .max();
    match wait {
        Some(secs) => Err(AppError::rate_limited(what, secs)),
        None => Ok(()),
    }
}

/// Refuses when `bucket` is already at its limit, without counting anything.
pub async fn check(conn: &mut PgConnection, bucket: &str, limit: Limit, what: &str) -> Result<(), AppError> {
    let now = Utc::now();
    let hits = repo::find_hits(conn, bucket, window_start(now, limit.window_secs)).await?;
    if hits >= limit.max {
        return Err(AppError::rate_limited(what, retry_after(now, limit)));
    }
    Ok(())
}

/// Counts one event without refusing (e.g. a failed login, checked on the next attempt).
pub async fn record(conn: &mut PgConnection, bucket: &str, limit: Limit) -> Result<(), AppError> {
    repo::increment_all(conn, &[bucket.to_owned()], &[window_start(Utc::now(), limit.window_secs)]).await?;
    Ok(())
}

/// Forgets windows that ended more than a day ago.
pub async fn sweep(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    repo::delete_older_than(conn, Utc::now() - chrono::Duration::days(1)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_align_and_retry_counts_down() {
        let t = DateTime::from_timestamp(1_000_030, 0).unwrap();
        assert_eq!(window_start(t, 60).timestamp(), 1_000_020);
        assert_eq!(retry_after(t, Limit::new(1, 60)), 50);
        assert_eq!(Limit::new(6, 60).scaled(10).max, 60);
        assert_eq!(Limit::new(6, 60).scaled(0).max, 6);
    }
}
