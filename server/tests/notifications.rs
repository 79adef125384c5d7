//! Following threads and communities, mentions, quotes and the notification list.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod common;

use app::forums::api::*;
use app::forums::types::Author;
use app::notifications::api::*;
use app::notifications::types::{NotificationKind, NotificationPage};
use common::{client, forum, spawn, TestApp};
use reqwest::{Client, StatusCode};
use sqlx::PgPool;

async fn community(app: &TestApp, admin: &Client, slug: &str, private: bool, anonymous: bool) -> String {
    forum::create_community(app, admin, slug, private, anonymous).await.to_string()
}

async fn thread(app: &TestApp, c: &Client, community: &str, title: &str, body: &str) -> String {
    forum::start_thread(app, c, community.parse().unwrap(), title, body).await.to_string()
}

async fn post(app: &TestApp, c: &Client, thread: &str, body: &str, extra: &[(&str, &str)]) {
    let mut form = vec![("thread_id", thread), ("body", body), ("content_warning", "")];
    form.extend_from_slice(extra);
    let r = app.call::<CreatePost>(c, &form).await;
    assert!(r.status.is_success(), "{}", r.body);
}

async fn inbox(app: &TestApp, c: &Client) -> NotificationPage {
    let r = app.call::<ListNotifications>(c, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn replies_notify_followers_and_can_be_marked_read(pool: PgPool) {
    let app = spawn(pool).await;
    let admin = app.register("Jordan", "jordan@example.org").await;
    let sam = app.register("Sam", "sam@example.org").await;
    let lena = app.register("Lena", "lena@example.org").await;
    let c = community(&app, &admin, "circle", false, false).await;
    let t = thread(&app, &sam, &c, "Looking for advice", "Where do I start?").await;
    post(&app, &lena, &t, "Start small.", &[]).await;
    post(&app, &lena, &t, "And be kind to yourself.", &[]).await;

    let sams = inbox(&app, &sam).await;
    assert_eq!(sams.unread, 2);
    assert_eq!(sams.items[0].kind, NotificationKind::Reply);
    assert_eq!(
        sams.items[0].actor,
        Author::Named { id: app.user_id("lena@example.org").await, name: "Lena".into() }
    );
    assert_eq!(inbox(&app, &lena).await.unread, 0, "nobody is notified of their own posts");
    let count: Option<i64> = app.call::<CountUnreadNotifications>(&sam, &[]).await.json();
    assert_eq!(count, Some(2));
    let anonymous: Option<i64> = app.call::<CountUnreadNotifications>(&client(), &[]).await.json();
    assert_eq!(anonymous, None);

    // Marking someone else's notification does nothing; one's own works; then all.
    let first = sams.items[0].id.to_string();
    assert!(app.call::<MarkNotificationsRead>(&lena, &[("id", &first)]).await.status.is_success());
    assert_eq!(inbox(&app, &sam).await.unread, 2);
    assert!(app.call::<MarkNotificationsRead>(&sam, &[("id", &first)]).await.status.is_success());
    assert_eq!(inbox(&app, &sam).await.unread, 1);
    assert!(app.call::<MarkNotificationsRead>(&sam, &[]).await.status.is_success());
    assert_eq!(inbox(&app, &sam).await.unread, 0);
    assert_eq!(app.call::<ListNotifications>(&client(), &[]).await.status, StatusCode::UNAUTHORIZED);

    // Unfollowing stops reply notifications.
    assert!(app.call::<WatchThread>(&sam, &[("thread_id", &t), ("on", "false")]).await.status.is_success());
    post(&app, &lena, &t, "One more thought.", &[]).await;
    assert_eq!(inbox(&app, &sam).await.unread, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn mentions_and_quotes_notify_once_and_respect_privacy(pool: PgPool) {
    let app = spawn(pool).await;
    let admin = app.register("Jordan", "jordan@example.org").await;
    let sam = app.register("Sam Okafor", "sam@example.org").await;
    let lena = app.register("Lena", "lena@example.org").await;
    let c = community(&app, &admin, "circle", false, false).await;
    let t = thread(&app, &lena, &c, "Workshop feedback", "What did you think?").await;
    post(&app, &admin, &t, "Asking @Sam_Okafor too.", &[]).await;
    let sams = inbox(&app, &sam).await;
    assert_eq!(sams.items.len(), 1);
    assert_eq!(sams.items[0].kind, NotificationKind::Mention);

    // Quoting Lena while mentioning her: one notification, as a mention.
    let first: i64 = sqlx::query_scalar("SELECT id FROM posts WHERE seq = 1 AND thread_id = $1::bigint")
        .bind(&t)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let before = inbox(&app, &lena).await.items.len();
    post(
        &app,
        &sam,
        &t,
        "> What did you think?\n\nLoved it, @lena.",
        &[("quoted_post_id", &first.to_string())],
    )
    .await;
    let lenas = inbox(&app, &lena).await;
    assert_eq!(lenas.items.len(), before + 1);
    assert_eq!(lenas.items[0].kind, NotificationKind::Mention);
    post(&app, &admin, &t, "> What did you think?\n\nSame here.", &[("quoted_post_id", &first.to_string())])
        .await;
    assert_eq!(inbox(&app, &lena).await.items[0].kind, NotificationKind::Quote);

    // People who can't read a private community are never told about it.
    let private = community(&app, &admin, "staff-room", true, false).await;
    let pt = thread(&app, &admin, &private, "Private planning", "Hello @Lena").await;
    assert!(inbox(&app, &lena).await.items.iter().all(|n| n.subject != "Private planning"));
    let _ = pt;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn community_followers_hear_of_new_threads_and_aliases_stay_anonymous(pool: PgPool) {
    let app = spawn(pool).await;
    let admin = app.register("Jordan", "jordan@example.org").await;
    let sam = app.register("Sam", "sam@example.org").await;
    let c = community(&app, &admin, "reflection", false, true).await;
    assert!(app
        .call::<WatchCommunity>(&admin, &[("community_id", &c), ("on", "true")])
        .await
        .status
        .is_success());
    let r = app
        .call::<CreateThread>(
            &sam,
            &[
                ("community_id", &c),
                ("title", "Quiet question"),
                ("body", "It's hard to say this."),
                ("tags", ""),
                ("content_warning", ""),
                ("anonymous", "on"),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let raw = app.call::<ListNotifications>(&admin, &[]).await;
    let page: NotificationPage = raw.json();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].kind, NotificationKind::NewThread);
    assert_eq!(page.items[0].actor, Author::Anonymous { alias: 1 });
    assert!(!raw.body.contains("Sam"), "{}", raw.body);
    let html = app.get(&admin, "/notifications").await.body;
    assert!(html.contains("Anonymous 1 started") && !html.contains(">Sam<"));
}

/// A post's notifications are written just before the post itself (so its thread's row is
/// locked for the post alone); one whose post never came is refused at commit.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_notification_is_kept_only_with_its_post(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, member, id) = forum::setup(&app, "new-supporters", false, false).await;
    let thread = forum::start_thread(&app, &member, id, "Check-in", "How was your week?").await;
    let reader = app.user_id("jordan@example.org").await;
    let mut tx = app.pool.begin().await.unwrap();
    let post_id = app::forums::repo::next_post_id(&mut tx).await.unwrap();
    sqlx::query("INSERT INTO notifications (user_id, kind, thread_id, post_id) VALUES ($1, 'reply', $2, $3)")
        .bind(reader)
        .bind(thread)
        .bind(post_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let refused = tx.commit().await.unwrap_err();
    assert_eq!(refused.as_database_error().and_then(|e| e.code()).as_deref(), Some("23503"), "{refused}");
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE post_id = $1")
        .bind(post_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);
}
