//! SQL for notifications. Fan-out happens in the writer's transaction, so a post and the
//! notifications about it land together or not at all.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::types::NotificationKind;
use crate::ideas::types::IdeaStatus;

pub struct NewPostNotice<'a> {
    pub post_id: i64,
    pub thread_id: i64,
    pub community_id: i64,
    pub author_id: i64,
    /// People named with @mentions.
    pub mentioned: &'a [i64],
    /// Author of the quoted post, if any.
    pub quoted_author: Option<i64>,
    /// A new thread also notifies the community's watchers.
    pub new_thread: bool,
}

/// Notifies everyone with a reason to hear about a post, once each, the strongest reason
/// winning (mention, then quote, then reply, then new thread). Never the author, and never
/// anyone who can't read the community. Returns who was notified.
pub async fn insert_for_post(
    conn: &mut PgConnection,
    n: &NewPostNotice<'_>,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO notifications (user_id, kind, thread_id, post_id)
        SELECT DISTINCT ON (r.user_id) r.user_id, r.kind, $2, $1
        FROM (
            SELECT unnest($5::bigint[]) AS user_id, 'mention'::notification_kind AS kind, 1 AS prio
            UNION ALL SELECT $6::bigint, 'quote'::notification_kind, 2 WHERE $6::bigint IS NOT NULL
            UNION ALL SELECT w.user_id, 'reply'::notification_kind, 3 FROM thread_watches w WHERE w.thread_id = $2
            UNION ALL SELECT cw.user_id, 'new_thread'::notification_kind, 4
                FROM community_watches cw WHERE cw.community_id = $3 AND $7
        ) r
        JOIN users u ON u.id = r.user_id
        JOIN communities c ON c.id = $3
        WHERE r.user_id <> $4
          AND (c.visibility = 'public' OR u.role IN ('moderator', 'admin')
               OR EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = u.id))
        ORDER BY r.user_id, r.prio
        ON CONFLICT (user_id, post_id) DO NOTHING
        RETURNING user_id
        "#,
        n.post_id,
        n.thread_id,
        n.community_id,
        n.author_id,
        n.mentioned,
        n.quoted_author,
        n.new_thread
    )
    .fetch_all(conn)
    .await
}

/// Notifies an idea's followers and the people @mentioned in a comment on it (mention wins),
/// never its writer. Ideas are open to every member. Returns who was notified.
pub async fn insert_for_idea_comment(
    conn: &mut PgConnection,
    idea_id: i64,
    comment_id: i64,
    author_id: i64,
    mentioned: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO notifications (user_id, kind, idea_id, idea_comment_id)
        SELECT DISTINCT ON (r.user_id) r.user_id, r.kind, $1, $2
        FROM (
            SELECT unnest($4::bigint[]) AS user_id, 'idea_mention'::notification_kind AS kind, 1 AS prio
            UNION ALL SELECT f.user_id, 'idea_comment'::notification_kind, 2 FROM idea_followers f WHERE f.idea_id = $1
        ) r
        WHERE r.user_id <> $3
        ORDER BY r.user_id, r.prio
        ON CONFLICT DO NOTHING
        RETURNING user_id
        "#,
        idea_id,
        comment_id,
        author_id,
        mentioned
    )
    .fetch_all(conn)
    .await
}

/// Notifies an idea's followers of a lifecycle change (results included), except whoever
/// made it. Returns who was notified.
pub async fn insert_for_idea_change(
    conn: &mut PgConnection,
    idea_id: i64,
    change_id: i64,
    actor_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO notifications (user_id, kind, idea_id, idea_change_id)
        SELECT f.user_id, 'idea_status', $1, $2 FROM idea_followers f
        WHERE f.idea_id = $1 AND f.user_id <> $3
        ON CONFLICT DO NOTHING
        RETURNING user_id
        "#,
        idea_id,
        change_id,
        actor_id
    )
    .fetch_all(conn)
    .await
}

pub struct NotificationRow {
    pub id: i64,
    pub kind: NotificationKind,
    pub thread_id: Option<i64>,
    pub post_seq: Option<i32>,
    pub idea_id: Option<i64>,
    pub idea_comment_id: Option<i64>,
    pub subject: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub anon_alias: Option<i32>,
    pub to_status: Option<IdeaStatus>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A person's notifications, newest first, before the id `before`.
pub async fn list_notifications(
    conn: &mut PgConnection,
    user_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as!(
        NotificationRow,
        r#"
        SELECT n.id, n.kind AS "kind: NotificationKind", n.thread_id, p.seq AS "post_seq?",
               n.idea_id, n.idea_comment_id,
               coalesce(t.title, i.title, '') AS "subject!",
               coalesce(p.author_id, c.author_id, s.actor_id) AS "actor_id?",
               coalesce(u.display_name, 'Someone') AS "actor_name!",
               p.anon_alias AS "anon_alias?",
               s.to_status AS "to_status?: IdeaStatus",
               n.created_at, n.read_at
        FROM notifications n
        LEFT JOIN threads t ON t.id = n.thread_id
        LEFT JOIN posts p ON p.id = n.post_id
        LEFT JOIN ideas i ON i.id = n.idea_id
        LEFT JOIN idea_comments c ON c.id = n.idea_comment_id
        LEFT JOIN idea_status_changes s ON s.id = n.idea_change_id
        LEFT JOIN users u ON u.id = coalesce(p.author_id, c.author_id, s.actor_id)
        WHERE n.user_id = $1 AND ($2::bigint IS NULL OR n.id < $2)
        ORDER BY n.id DESC
        LIMIT $3
        "#,
        user_id,
        before,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Unread count, capped (the bell shows "99+").
/// Marks one (or, with `None`, every) notification of the person read.
pub async fn mark_read(conn: &mut PgConnection, user_id: i64, id: Option<i64>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint IS NULL OR id = $2)",
        user_id,
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
