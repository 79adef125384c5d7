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
    // Read with the session (see `guard::unread_notifications`): no second count.
    let unread = guard::unread_notifications().await?.unwrap_or(0);
    let items = rows
        .into_iter()
        .map(|r| NotificationView {
            id: r.id,
            kind: r.kind,
            href: match (r.thread_id, r.post_seq, r.idea_id) {
                (Some(thread), Some(seq), _) => crate::forums::api::thread_post_href(thread, seq),
                (_, _, Some(idea)) => match r.idea_comment_id {
                    Some(comment) => format!("/ideas/{idea}?comment={comment}#comment-{comment}"),
                    None => format!("/ideas/{idea}#history"),
                },
                _ => "/notifications".to_owned(),
            },
            subject: r.subject,
            actor: match r.anon_alias {
                Some(alias) => Author::Anonymous { alias },
                None => Author::Named { id: r.actor_id.unwrap_or(0), name: r.actor_name },
            },
            status: r.to_status,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        })
        .collect();
    Ok(NotificationPage { items, next_before, unread })
}

/// How many unread notifications the signed-in person has (`None` for visitors).
#[server]
pub async fn count_unread_notifications() -> Result<Option<i64>, AppError> {
    guard::unread_notifications().await
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
