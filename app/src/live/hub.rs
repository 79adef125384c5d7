//! One `LISTEN` connection per server instance, fanned out to every open stream.

use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::{broadcast, watch};

use super::{repo::CHANNEL, LiveEvent};

/// Events waiting for a slow stream before it skips ahead (a skipped stream tells its page
/// to refresh, so nothing is silently lost).
const BACKLOG: usize = 1024;

/// This instance's fan-out point. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Hub {
    events: broadcast::Sender<LiveEvent>,
    closing: watch::Sender<bool>,
}

impl Hub {
    /// Starts listening in the background; reconnects by itself when Postgres goes away.
    pub fn start(pool: PgPool) -> Self {
        let (events, _) = broadcast::channel(BACKLOG);
        let (closing, _) = watch::channel(false);
        let hub = Self { events, closing };
        tokio::spawn(listen(pool, hub.events.clone(), hub.closing.subscribe()));
        hub
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    /// Resolves when the server is shutting down, so open streams can end and let it stop.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }

    /// Ends every open stream (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

async fn listen(pool: PgPool, events: broadcast::Sender<LiveEvent>, mut closing: watch::Receiver<bool>) {
    let mut delay = Duration::from_millis(250);
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::debug!(error = %e, "live updates: cannot listen yet");
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = closing.wait_for(|c| *c) => return,
                }
                delay = (delay * 2).min(Duration::from_secs(10));
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "live updates: LISTEN failed");
            tokio::time::sleep(delay).await;
            continue;
        }
        delay = Duration::from_millis(250);
        loop {
            let next = tokio::select! {
                n = listener.recv() => n,
                _ = closing.wait_for(|c| *c) => return,
            };
            match next {
                Ok(n) => match serde_json::from_str::<LiveEvent>(n.payload()) {
                    // No receivers is fine: nobody is watching right now.
                    Ok(event) => drop(events.send(event)),
                    Err(e) => tracing::warn!(error = %e, "live updates: unreadable event"),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "live updates: connection lost; reconnecting");
                    break;
                }
            }
        }
    }
}
