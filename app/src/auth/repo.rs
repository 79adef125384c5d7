//! SQL for sessions. Rows are only ever found by token hash or user id, both indexed.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::{CurrentUser, Role};

pub async fn insert_session(
    conn: &mut PgConnection,
    token_hash: &[u8],
    user_id: i64,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        token_hash,
        user_id,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The person a live session belongs to, with their unread notifications (capped at 100).
pub struct SessionUser {
    pub user: CurrentUser,
    pub unread_notifications: i64,
}

/// The person a live session belongs to, read fresh so role changes and suspensions apply
/// on the very next request. Extends the session at most once an hour (a write per request
/// would cost more than the read).
///
/// The unread-notification count comes along because every page's header shows the bell: one
/// round trip fewer on every signed-in page (round trips, not rendering, dominated a page's
/// cost under the benchmark).
pub async fn find_session_user(
    conn: &mut PgConnection,
    token_hash: &[u8],
    session_days: i64,
) -> Result<Option<SessionUser>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"
        SELECT u.id, u.display_name, u.email, u.role AS "role: Role", u.suspended_until,
               s.last_seen_at < now() - interval '1 hour' AS "stale!",
               (SELECT count(*) FROM (SELECT 1 FROM notifications n
                                      WHERE n.user_id = u.id AND n.read_at IS NULL LIMIT 100) x) AS "unread!"
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()
        "#,
        token_hash
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    if row.stale {
        sqlx::query!(
            "UPDATE sessions SET last_seen_at = now(), expires_at = now() + make_interval(days => $2::int) WHERE token_hash = $1",
            token_hash,
            session_days as i32
        )
        .execute(conn)
        .await?;
    }
    Ok(Some(SessionUser {
        user: CurrentUser {
            id: row.id,
            display_name: row.display_name,
            email: row.email,
            role: row.role,
            suspended_until: row.suspended_until,
        },
        unread_notifications: row.unread,
    }))
}

pub async fn delete_session(conn: &mut PgConnection, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM sessions WHERE token_hash = $1", token_hash).execute(conn).await?;
    Ok(())
}

/// Ends every session of a person, optionally sparing the one making the request.
pub async fn delete_user_sessions(
    conn: &mut PgConnection,
    user_id: i64,
    except: Option<&[u8]>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)",
        user_id,
        except
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn delete_expired_sessions(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM sessions WHERE expires_at <= now()").execute(conn).await?;
    Ok(done.rows_affected())
}
