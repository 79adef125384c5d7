//! The guards every server function starts with: exactly one of `current_user`,
//! `require_user` or `require(Permission::…)`.
//!
//! The signed-in person is looked up once per request (cached in context) from the session
//! cookie, always from the database, so logouts, role changes and suspensions apply at once.

use std::sync::Arc;

use http::request::Parts;
use leptos::prelude::{provide_context, use_context};
use tokio::sync::OnceCell;

use super::{repo, session, CurrentUser, Permission};
use crate::error::AppError;
use crate::state::{app_state, db};

/// Per-request cache of the session lookup; provided by the server for every request.
#[derive(Clone, Default)]
pub struct RequestUser(Arc<OnceCell<Option<repo::SessionUser>>>);

impl RequestUser {
    pub fn provide() {
        provide_context(RequestUser::default());
    }
}

/// The session token hash of this request, if a cookie was sent.
pub fn request_token_hash() -> Option<Vec<u8>> {
    let parts = use_context::<Parts>()?;
    let secure = app_state().ok()?.web.secure_cookies;
    session::token_from_parts(&parts, secure).map(|t| session::hash_token(&t))
}

/// Who is signed in, or `None` for anonymous visitors.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    signed_in(|s| s.user.clone()).await
}

/// The signed-in person's unread notifications as of this request (at most 100), or `None`
/// for anonymous visitors. Read with the session, so the bell costs no query of its own.
pub async fn unread_notifications() -> Result<Option<i64>, AppError> {
    signed_in(|s| s.unread_notifications).await
}

/// The session lookup, done once per request and cached in its context.
async fn signed_in<T>(pick: impl FnOnce(&repo::SessionUser) -> T) -> Result<Option<T>, AppError> {
    let cache = use_context::<RequestUser>().unwrap_or_default();
    let found = cache
        .0
        .get_or_try_init(|| async {
            let Some(hash) = request_token_hash() else {
                return Ok::<_, AppError>(None);
            };
            let mut conn = db().await?;
            Ok(repo::find_session_user(&mut conn, &hash, session::SESSION_DAYS).await?)
        })
        .await?;
    Ok(found.as_ref().map(pick))
}

/// Who is signed in, for a request answered outside Leptos (the live-update streams), where
/// there is no request context to cache it in.
pub async fn user_for_headers(
    pool: &sqlx::PgPool,
    headers: &http::HeaderMap,
    secure: bool,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = session::token_from_headers(headers, secure) else {
        return Ok(None);
    };
    let mut conn = pool.acquire().await?;
    let found =
        repo::find_session_user(&mut conn, &session::hash_token(&token), session::SESSION_DAYS).await?;
    Ok(found.map(|s| s.user))
}

/// A signed-in person (suspended or not): for reading member-only pages and one's own account.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// A signed-in person allowed `permission`. Write permissions are refused while suspended.
pub async fn require(permission: Permission) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if !super::allows(user.role, permission) {
        return Err(AppError::forbidden("You don't have permission to do that."));
    }
    if permission.is_write() && user.is_suspended() {
        let until =
            user.suspended_until.map(|t| t.format("%-d %B %Y, %H:%M UTC").to_string()).unwrap_or_default();
        return Err(AppError::forbidden(format!(
            "Your account is paused until {until}. You can still read, but not post or change things."
        )));
    }
    Ok(user)
}
