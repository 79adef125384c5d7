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

/// The person a live session belongs to, read fresh so role changes and suspensions apply
/// on the very next request. Refreshes the session's expiry at most once an hour.
pub async fn find_session_user(
    conn: &mut PgConnection,
    token_hash: &[u8],
    session_days: i64,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        WITH live AS (
            SELECT token_hash, user_id, last_seen_at FROM sessions
            WHERE token_hash = $1 AND expires_at > now()
        ), touched AS (
            UPDATE sessions s
            SET last_seen_at = now(), expires_at = now() + make_interval(days => $2::int)
            FROM live
            WHERE s.token_hash = live.token_hash AND live.last_seen_at < now() - interval '1 hour'
        )
        SELECT u.id, u.display_name, u.email, u.role AS "role: Role", u.suspended_until
        FROM live JOIN users u ON u.id = live.user_id
        "#,
        token_hash,
        session_days as i32
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| CurrentUser {
        id: r.id,
        display_name: r.display_name,
        email: r.email,
        role: r.role,
        suspended_until: r.suspended_until,
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
