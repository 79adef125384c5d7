//! Server functions for notifications. Everyone sees and marks only their own.

use leptos::prelude::*;

use super::types::NotificationPage;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{repo, types::NotificationView},
    crate::auth::guard,
    crate::forums::types::Author,
    crate::state::{begin, db},
};

/// The signed-in person's notifications, newest first (keyset on id). Any signed-in person.
#[server]
pub async fn list_notifications(before: Option<i64>) -> Result<NotificationPage, AppError> {
    let user = guard::require_user().await?;
    const PAGE: i64 = 30;
    let mut conn = db().await?;
    let mut rows = repo::list_notifications(&mut conn, user.id, before, PAGE + 1).await?;
    let next_before = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let unread = repo::count_unread(&mut conn, user.id).await?;
    let items = rows
        .into_iter()
        .map(|r| NotificationView {
            id: r.id,
            kind: r.kind,
            thread_id: r.thread_id,
            thread_title: r.thread_title,
            post_seq: r.post_seq,
            actor: match r.anon_alias {
                Some(alias) => Author::Anonymous { alias },
                None => Author::Named { id: r.actor_id, name: r.actor_name },
            },
            created_at: r.created_at,
            read: r.read_at.is_some(),
        })
        .collect();
    Ok(NotificationPage { items, next_before, unread })
}

/// How many unread notifications the signed-in person has (`None` for visitors).
#[server]
pub async fn count_unread_notifications() -> Result<Option<i64>, AppError> {
    let Some(user) = guard::current_user().await? else {
        return Ok(None);
    };
    let mut conn = db().await?;
    Ok(Some(repo::count_unread(&mut conn, user.id).await?))
}

/// Marks one notification (or all, without `id`) read. Only one's own.
#[server]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<(), AppError> {
    let user = guard::require_user().await?;
    let mut tx = begin().await?;
    repo::mark_read(&mut tx, user.id, id).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/notifications", "notifications-read");
    Ok(())
}
