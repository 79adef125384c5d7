//! Announcing events: `pg_notify` inside the writer's transaction, delivered at commit.

use sqlx::PgConnection;

use super::LiveEvent;

/// The one channel every instance listens on.
pub const CHANNEL: &str = "upstand_live";

/// `NOTIFY` payloads must stay under 8000 bytes; ids are sent in batches well below that.
const IDS_PER_EVENT: usize = 400;

pub async fn notify(conn: &mut PgConnection, event: &LiveEvent) -> Result<(), sqlx::Error> {
    match event {
        LiveEvent::Notices { user_ids } if user_ids.len() > IDS_PER_EVENT => {
            for chunk in user_ids.chunks(IDS_PER_EVENT) {
                send(conn, &LiveEvent::Notices { user_ids: chunk.to_vec() }).await?;
            }
            Ok(())
        }
        LiveEvent::Notices { user_ids } if user_ids.is_empty() => Ok(()),
        _ => send(conn, event).await,
    }
}

async fn send(conn: &mut PgConnection, event: &LiveEvent) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query!("SELECT pg_notify($1, $2)", CHANNEL, payload).execute(conn).await?;
    Ok(())
}
