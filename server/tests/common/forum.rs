//! Forum set-up shared by the test files: a community with people in it, threads, replies.

use app::forums::api::{CreateCommunity, CreatePost, CreateThread, GetThreadPage};
use app::forums::types::ThreadPage;
use reqwest::{Client, StatusCode};

use super::TestApp;

/// An admin (first account), a member, and a community made by the admin.
pub async fn setup(app: &TestApp, slug: &str, private: bool, anonymous: bool) -> (Client, Client, i64) {
    let admin = app.register("Jordan", "jordan@example.org").await;
    let member = app.register("Sam", "sam@example.org").await;
    let id = create_community(app, &admin, slug, private, anonymous).await;
    (admin, member, id)
}

pub async fn create_community(
    app: &TestApp,
    admin: &Client,
    slug: &str,
    private: bool,
    anonymous: bool,
) -> i64 {
    let mut form = vec![
        ("slug", slug),
        ("name", "New supporters"),
        ("description", "A place to ask the first questions."),
        ("colour", "#2f6b5e"),
        ("visibility", if private { "private" } else { "public" }),
        ("join_policy", if private { "invite" } else { "open" }),
    ];
    if anonymous {
        form.push(("allow_anonymous", "on"));
    }
    let r = app.call::<CreateCommunity>(admin, &form).await;
    assert!(r.status.is_success(), "{}", r.body);
    sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

pub async fn start_thread(app: &TestApp, c: &Client, community: i64, title: &str, body: &str) -> i64 {
    let id = community.to_string();
    let r = app
        .call::<CreateThread>(
            c,
            &[
                ("community_id", &id),
                ("title", title),
                ("body", body),
                ("tags", "first-steps"),
                ("content_warning", ""),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    sqlx::query_scalar("SELECT id FROM threads WHERE title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

pub async fn reply(app: &TestApp, c: &Client, thread: i64, body: &str) -> super::Reply {
    app.call::<CreatePost>(c, &[("thread_id", &thread.to_string()), ("body", body), ("content_warning", "")])
        .await
}

pub async fn thread_page(app: &TestApp, c: &Client, thread: i64) -> ThreadPage {
    let r = app.call::<GetThreadPage>(c, &[("thread_id", &thread.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// Adds `n` posts to `thread` after its last one, saying `body` and a number.
pub async fn add_posts(pool: &sqlx::PgPool, thread: i64, n: i64, body: &str) {
    sqlx::query(
        "WITH last AS (SELECT max(seq) AS seq FROM posts WHERE thread_id = $1)
         INSERT INTO posts (thread_id, community_id, seq, author_id, body, body_html, search)
         SELECT $1, t.community_id, last.seq + g, t.author_id, $3 || ' ' || g, '<p>' || $3 || '</p>', to_tsvector('english', $3)
         FROM generate_series(1, $2) g, last, threads t WHERE t.id = $1",
    )
    .bind(thread)
    .bind(n)
    .bind(body)
    .execute(pool)
    .await
    .unwrap();
}

/// A search for `query` by `reader` (not staff), without filters, taking `route`.
pub fn search_filter(
    query: &str,
    reader: i64,
    limit: i64,
    route: app::forums::search_words::SearchRoute,
) -> app::forums::repo::SearchFilter<'_> {
    app::forums::repo::SearchFilter {
        query,
        reader_id: reader,
        see_all: false,
        community_id: None,
        author_id: None,
        from: None,
        to: None,
        after: None,
        limit,
        route,
    }
}
