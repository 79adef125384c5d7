//! Server-sent event streams of live updates (see `app::live`): new posts on an open thread,
//! and a nudge to the bell when the signed-in person is notified, over one stream per page
//! (browsers allow only a few connections per site over HTTP/1.1). Each stream checks who is
//! asking when it opens and lives a few minutes, so access is checked again on reconnect; it
//! carries only sequence numbers, and the page fetches the posts themselves through the
//! guarded server functions.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use app::auth::guard;
use app::error::AppError;
use app::live::{hub::Hub, LiveEvent};
use app::state::AppState;

/// Sent at the start of a stream and instead of events a slow stream missed: the page
/// fetches whatever changed since it last looked (covers reconnects too).
const CATCH_UP: &str = "refresh";

/// Streams end after this long; the browser reconnects by itself, and access is checked
/// again then (after a logout, a suspension or leaving a private community).
const STREAM_LIFETIME: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    /// The thread the page shows, if any.
    thread: Option<i64>,
}

/// `GET /live/events?thread=ID`: one stream per page. `notified` when the caller gets a
/// notification; `post:SEQ` for each new post in the thread they are reading (if they may).
pub async fn events(
    State(app): State<AppState>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
) -> Response {
    let user = match guard::user_for_headers(&app.pool, &headers, app.web.secure_cookies).await {
        Ok(Some(user)) => user,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => return failure(&e),
    };
    if let Some(thread_id) = q.thread {
        let readable = match app.pool.acquire().await {
            Ok(mut conn) => app::forums::api::can_read_thread(&mut conn, &user, thread_id).await,
            Err(e) => Err(e.into()),
        };
        match readable {
            Ok(true) => {}
            Ok(false) => return StatusCode::NOT_FOUND.into_response(),
            Err(e) => return failure(&e),
        }
    }
    let (user_id, thread) = (user.id, q.thread);
    stream_of(&app.live, move |event| match event {
        LiveEvent::Post { thread_id, seq } if Some(*thread_id) == thread => Some(format!("post:{seq}")),
        LiveEvent::Notices { user_ids } if user_ids.contains(&user_id) => Some("notified".to_owned()),
        _ => None,
    })
}

fn failure(e: &AppError) -> Response {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response()
}

/// An event stream of what `pick` keeps from this instance's events, starting with a
/// catch-up, until shutdown or the stream's lifetime ends.
fn stream_of(hub: &Hub, pick: impl Fn(&LiveEvent) -> Option<String> + Send + Sync + 'static) -> Response {
    let pick = Arc::new(pick);
    let events = stream::unfold(hub.subscribe(), move |mut rx| {
        let pick = Arc::clone(&pick);
        async move {
            loop {
                let data = match rx.recv().await {
                    Ok(event) => pick(&event),
                    Err(RecvError::Lagged(_)) => Some(CATCH_UP.to_owned()),
                    Err(RecvError::Closed) => return None,
                };
                if let Some(data) = data {
                    return Some((Ok::<_, Infallible>(Event::default().data(data)), rx));
                }
            }
        }
    });
    let start = stream::once(async { Ok(Event::default().retry(Duration::from_secs(3)).data(CATCH_UP)) });
    let end = {
        let closed = hub.closed();
        async move {
            tokio::select! {
                () = closed => {}
                () = tokio::time::sleep(STREAM_LIFETIME) => {}
            }
        }
    };
    Sse::new(start.chain(events).take_until(end)).keep_alive(KeepAlive::default()).into_response()
}
