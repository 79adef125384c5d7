//! The connection pool, migrations, and knowing whether the database is reachable.
//!
//! The server never panics over the database: it starts serving at once, retries migrations
//! with backoff until Postgres answers, answers pages with a friendly 503 while it doesn't, and
//! recovers by itself when it comes back.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Whether the database answered the last check (and migrations have run).
#[derive(Debug, Clone, Default)]
pub struct DbHealth(Arc<AtomicBool>);

impl DbHealth {
    pub fn up() -> Self {
        Self(Arc::new(AtomicBool::new(true)))
    }
    pub fn is_up(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
    pub fn set(&self, up: bool) {
        let was = self.0.swap(up, Ordering::Relaxed);
        if was != up {
            if up {
                tracing::info!("database reachable");
            } else {
                tracing::warn!("database unreachable; pages answer 503 until it is back");
            }
        }
    }
}

/// A pool that connects on demand, so start-up doesn't fail when Postgres is down.
///
/// Every connection plans with `random_page_cost = 1.1` (the usual setting for SSDs and for a
/// working set in memory). With Postgres's default of 4, a search for a rare word at 1M posts
/// joined its one match to the threads by hashing all 50,000 of them (32 ms) instead of one
/// index lookup (2 ms).
///
/// JIT compilation is off: it pays off only for long analytic queries, and once a plan's
/// estimated cost passes its threshold it compiles for hundreds of milliseconds, whatever
/// the real cost (search's forced plans count a disabled scan as 10^10; measured: a rare
/// word's search took 300 ms instead of 0.1).
///
/// Connections are not pinged before each use (sqlx's default): that doubled the round trips of
/// every query (a page makes several). A connection that broke is dropped when its query fails,
/// that request answers 503, and `watch` notices an outage within seconds.
pub fn lazy_pool(url: &str, max: u32) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?.options([("random_page_cost", "1.1"), ("jit", "off")]);
    Ok(PgPoolOptions::new()
        .max_connections(max)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(3))
        .test_before_acquire(false)
        .connect_lazy_with(options))
}

/// Runs migrations, retrying with capped exponential backoff until they succeed.
pub async fn migrate_with_retry(pool: &PgPool, health: &DbHealth) {
    let mut delay = Duration::from_millis(250);
    loop {
        match MIGRATOR.run(pool).await {
            Ok(()) => {
                health.set(true);
                return;
            }
            Err(e) => {
                health.set(false);
                tracing::warn!(error = %e, retry_in_ms = delay.as_millis() as u64, "migrations could not run yet");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// Checks the database every few seconds (more often while it is down) and keeps `health`
/// current. Also sweeps expired sessions, old throttle windows and old drafts every hour.
pub async fn watch(pool: PgPool, health: DbHealth) {
    let mut last_sweep = tokio::time::Instant::now() - Duration::from_secs(3600);
    loop {
        let up = ping(&pool).await;
        health.set(up);
        if up && last_sweep.elapsed() >= Duration::from_secs(3600) {
            last_sweep = tokio::time::Instant::now();
            if let Err(e) = sweep(&pool).await {
                tracing::warn!(error = %e, "upkeep failed");
            }
        }
        tokio::time::sleep(Duration::from_secs(if up { 5 } else { 1 })).await;
    }
}

pub async fn ping(pool: &PgPool) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(3), sqlx::query("SELECT 1").execute(pool)).await,
        Ok(Ok(_))
    )
}

async fn sweep(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let sessions = app::auth::repo::delete_expired_sessions(&mut conn).await?;
    let windows = app::rate_limit::sweep(&mut conn).await?;
    let drafts = app::drafts::repo::delete_stale_drafts(&mut conn).await?;
    tracing::info!(sessions, windows, drafts, "swept expired sessions, throttle windows and old drafts");
    Ok(())
}
