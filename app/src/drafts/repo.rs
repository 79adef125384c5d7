//! SQL for drafts: always by the primary key (person, place, target).

use sqlx::PgConnection;

use super::types::{Draft, DraftPlace};

pub async fn upsert_draft(
    conn: &mut PgConnection,
    user_id: i64,
    place: DraftPlace,
    target_id: i64,
    draft: &Draft,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        INSERT INTO drafts (user_id, place, target_id, title, body) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (user_id, place, target_id)
        DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, updated_at = now()
        "#,
        user_id,
        place as DraftPlace,
        target_id,
        draft.title,
        draft.body
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_draft(
    conn: &mut PgConnection,
    user_id: i64,
    place: DraftPlace,
    target_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM drafts WHERE user_id = $1 AND place = $2 AND target_id = $3",
        user_id,
        place as DraftPlace,
        target_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Drafts nobody has touched for 90 days (the hourly upkeep).
pub async fn delete_stale_drafts(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM drafts WHERE updated_at < now() - interval '90 days'")
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// A draft's named fields (forms with several long fields).
pub async fn find_draft_fields(
    conn: &mut PgConnection,
    user_id: i64,
    place: DraftPlace,
    target_id: i64,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT fields FROM drafts WHERE user_id = $1 AND place = $2 AND target_id = $3",
        user_id,
        place as DraftPlace,
        target_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn upsert_draft_fields(
    conn: &mut PgConnection,
    user_id: i64,
    place: DraftPlace,
    target_id: i64,
    fields: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        INSERT INTO drafts (user_id, place, target_id, fields) VALUES ($1, $2, $3, $4)
        ON CONFLICT (user_id, place, target_id) DO UPDATE SET fields = EXCLUDED.fields, updated_at = now()
        "#,
        user_id,
        place as DraftPlace,
        target_id,
        fields
    )
    .execute(conn)
    .await?;
    Ok(())
}
