//! SQL for throttling windows, keyed by (bucket, window_start).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Adds one hit to each (bucket, window) in one statement, atomically; returns each bucket's
/// new count.
pub async fn increment_all(
    conn: &mut PgConnection,
    buckets: &[String],
    window_starts: &[DateTime<Utc>],
) -> Result<Vec<(String, i32)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        INSERT INTO rate_limit_windows (bucket, window_start, hits)
        SELECT b, w, 1 FROM unnest($1::text[], $2::timestamptz[]) AS x(b, w)
        ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
        RETURNING bucket, hits
        "#,
        buckets,
        window_starts
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.bucket, r.hits)).collect())
}

pub async fn find_hits(
    conn: &mut PgConnection,
    bucket: &str,
    window_start: DateTime<Utc>,
) -> Result<i32, sqlx::Error> {
    let hits = sqlx::query_scalar!(
        "SELECT hits FROM rate_limit_windows WHERE bucket = $1 AND window_start = $2",
        bucket,
        window_start
    )
    .fetch_optional(conn)
    .await?;
    Ok(hits.unwrap_or(0))
}

pub async fn delete_older_than(conn: &mut PgConnection, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query!("DELETE FROM rate_limit_windows WHERE window_start < $1", before).execute(conn).await?;
    Ok(done.rows_affected())
}
