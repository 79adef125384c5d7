//! Server-side state handed to every request through Leptos context.

use sqlx::PgPool;

/// Settings that change how requests are handled (not how the server starts).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Behind a reverse proxy: take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Multiplies every rate limit's allowance (1 in production; larger for browser tests
    /// that sign many people in from one address).
    pub rate_limit_multiplier: i32,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self { secure_cookies: false, trust_proxy: false, rate_limit_multiplier: 1 }
    }
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub web: WebConfig,
    /// This instance's live-update fan-out.
    pub live: crate::live::hub::Hub,
    /// This instance's count of each person's searches.
    pub searches: std::sync::Arc<crate::rate_limit::reads::ReadLimiter>,
    /// This instance's copy of Postgres's statistics on how common words are in posts.
    pub search_words: std::sync::Arc<crate::forums::search_words::SearchWords>,
}

impl AppState {
    /// State for one server instance; starts its live-update listener.
    pub fn new(pool: PgPool, web: WebConfig) -> Self {
        let live = crate::live::hub::Hub::start(pool.clone());
        let searches = crate::rate_limit::limits::SEARCHES.scaled(web.rate_limit_multiplier);
        let searches = std::sync::Arc::new(crate::rate_limit::reads::ReadLimiter::new(searches));
        Self { pool, web, live, searches, search_words: Default::default() }
    }
}

/// The state of the request being handled. Fails (rather than panicking) outside a request.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        // Happens when a client disconnects mid-render and a detached resource task outlives
        // its request; a real misconfiguration would fail every request (and every test).
        tracing::debug!("AppState missing from context");
        crate::error::AppError::Internal
    })
}

/// A pooled connection. Fails with `Unavailable` when Postgres can't be reached.
pub async fn db() -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, crate::error::AppError> {
    Ok(app_state()?.pool.acquire().await?)
}

/// A transaction; commit it before returning success.
pub async fn begin() -> Result<sqlx::Transaction<'static, sqlx::Postgres>, crate::error::AppError> {
    begin_on(&app_state()?.pool).await
}

/// Starts a transaction in a task of its own, so that it is never abandoned halfway.
///
/// A request is dropped wherever it is when its client goes away. sqlx 0.8 forgets a `BEGIN`
/// dropped before its answer arrives: the connection goes back to the pool inside a
/// transaction that sqlx doesn't know about. The next request to use it would then run inside
/// that transaction: its plain writes left uncommitted (holding their locks) until some later
/// `COMMIT`, or undone by a later `ROLLBACK`. Seen in the benchmark, whose load generator
/// hangs up mid-request at the end of each run ("there is already a transaction in progress").
/// Run to completion here, a `BEGIN` always yields a `Transaction`, whose drop rolls it back.
pub async fn begin_on(
    pool: &sqlx::PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, crate::error::AppError> {
    let pool = pool.clone();
    match tokio::spawn(async move { pool.begin().await }).await {
        Ok(tx) => Ok(tx?),
        Err(_) => Err(crate::error::AppError::Internal),
    }
}
