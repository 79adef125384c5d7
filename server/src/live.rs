//! Server-sent event streams of live updates (see `app::live`): new posts on an open thread,
//! and a nudge to the bell when the signed-in person is notified. Each stream checks who is
//! asking once, when it opens; it carries only sequence numbers, and the page then fetches
//! the posts themselves through the guarded server functions.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use http::{HeaderMap, StatusCode};
use tokio::sync::broadcast::error::RecvError;

use app::auth::{guard, CurrentUser};
use app::error::AppError;
use app::live::{hub::Hub, LiveEvent};
use app::state::AppState;

/// Sent instead of events a slow stream missed: the page refreshes what it shows.
const CATCH_UP: &str = "refresh";

/// `GET /live/threads/{id}`: the `seq` of each new post in a thread the caller may read.
pub async fn thread_events(
    State(app): State<AppState>,
    Path(thread_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let user = match signed_in(&app, &headers).await {
        Ok(user) => user,
        Err(res) => return res,
    };
    let readable = match app.pool.acquire().await {
        Ok(mut conn) => app::forums::api::can_read_thread(&mut conn, &user, thread_id).await,
        Err(e) => Err(e.into()),
    };
    match readable {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return failure(&e),
    }
    stream_of(&app.live, move |event| match event {
        LiveEvent::Post { thread_id: t, seq } if *t == thread_id => Some(seq.to_string()),
        _ => None,
    })
}

/// `GET /live/notifications`: a message whenever the caller gets a notification.
pub async fn notification_events(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let user = match signed_in(&app, &headers).await {
        Ok(user) => user,
        Err(res) => return res,
    };
    stream_of(&app.live, move |event| match event {
        LiveEvent::Notices { user_ids } if user_ids.contains(&user.id) => Some("notified".to_owned()),
        _ => None,
    })
}

async fn signed_in(app: &AppState, headers: &HeaderMap) -> Result<CurrentUser, Response> {
    match guard::user_for_headers(&app.pool, headers, app.web.secure_cookies).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(StatusCode::UNAUTHORIZED.into_response()),
        Err(e) => Err(failure(&e)),
    }
}

fn failure(e: &AppError) -> Response {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response()
}

/// An event stream of what `pick` keeps from this instance's events, until shutdown.
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
    Sse::new(events.take_until(hub.closed())).keep_alive(KeepAlive::default()).into_response()
}
