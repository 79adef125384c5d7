//! Live updates across two server instances on one database: a reply written through one
//! reaches a reader streaming from the other, and the bell's stream nudges the people notified.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod common;

use std::time::Duration;

use common::forum::{create_community, reply, setup, start_thread};
use common::{client, spawn};
use futures::StreamExt;
use reqwest::{Client, StatusCode};
use sqlx::PgPool;

/// Opens an event stream and returns a function reading its next `data:` line (or panicking
/// after a few seconds without one).
async fn open(
    c: &Client,
    url: String,
) -> impl FnMut() -> std::pin::Pin<Box<dyn std::future::Future<Output = String> + Send>> {
    let res = c.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let stream = std::sync::Arc::new(tokio::sync::Mutex::new((res.bytes_stream(), String::new())));
    move || {
        let stream = stream.clone();
        Box::pin(async move {
            let mut guard = stream.lock().await;
            let (bytes, buf) = &mut *guard;
            let read = async {
                loop {
                    if let Some(end) = buf.find("\n\n") {
                        let event: String = buf.drain(..end + 2).collect();
                        if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) {
                            return data.trim().to_owned();
                        }
                        continue; // a keep-alive comment
                    }
                    let chunk = bytes.next().await.unwrap().unwrap();
                    buf.push_str(std::str::from_utf8(&chunk).unwrap());
                }
            };
            tokio::time::timeout(Duration::from_secs(10), read)
                .await
                .unwrap_or_else(|_| panic!("no live event within 10 s"))
        })
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn replies_reach_readers_on_another_instance(pool: PgPool) {
    let writer_side = spawn(pool.clone()).await;
    let reader_side = spawn(pool).await;
    let (admin, member, community) = setup(&writer_side, "new-supporters", false, false).await;
    let thread = start_thread(&writer_side, &admin, community, "First week", "How was it?").await;
    // The reader streams the thread from the second instance, and gets the bell's nudges there.
    let member_on_reader = reader_side.login("sam@example.org").await;
    let mut thread_events =
        open(&member_on_reader, format!("{}/live/events?thread={thread}", reader_side.base)).await;
    let admin_on_reader = reader_side.login("jordan@example.org").await;
    let mut bell = open(&admin_on_reader, format!("{}/live/events", reader_side.base)).await;
    // Every stream starts by telling the page to catch up on anything it missed.
    assert_eq!(thread_events().await, "refresh");
    assert_eq!(bell().await, "refresh");
    // Give both instances' listeners a moment to be subscribed before the write.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(reply(&writer_side, &member, thread, "It was calmer than I feared.").await.status.is_success());
    assert_eq!(thread_events().await, "post:2", "the new post's sequence number");
    assert_eq!(bell().await, "notified", "the thread's starter was notified of the reply");
    // A refused write announces nothing: the next event is the next real post.
    assert!(!reply(&writer_side, &member, thread, "").await.status.is_success());
    assert!(reply(&writer_side, &admin, thread, "Glad to hear it.").await.status.is_success());
    // The admin's reply notifies Sam (who follows the thread since replying), on the same
    // stream as the thread's posts; Sam's own reply earlier notified only the admin.
    assert_eq!(thread_events().await, "notified");
    assert_eq!(thread_events().await, "post:3");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn streams_are_for_people_who_may_read(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, _) = setup(&app, "new-supporters", false, false).await;
    let private = create_community(&app, &admin, "facilitators", true, false).await;
    let secret = start_thread(&app, &admin, private, "Facilitators only", "Planning.").await;
    let get = |c: &Client, path: String| {
        let url = format!("{}{path}", app.base);
        let c = c.clone();
        async move { c.get(url).send().await.unwrap().status() }
    };
    assert_eq!(get(&client(), format!("/live/events?thread={secret}")).await, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&client(), "/live/events".to_owned()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&member, format!("/live/events?thread={secret}")).await, StatusCode::NOT_FOUND);
    assert_eq!(get(&member, "/live/events?thread=999999".to_owned()).await, StatusCode::NOT_FOUND);
    assert_eq!(get(&member, "/live/events?thread=not-a-number".to_owned()).await, StatusCode::BAD_REQUEST);
    // Only the headers are awaited: the stream itself stays open.
    assert_eq!(get(&admin, format!("/live/events?thread={secret}")).await, StatusCode::OK);
}
