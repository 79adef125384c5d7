//! Revealing an anonymous author: admins only, with a reason, always audited, and the name
//! never reaches anyone else.

mod common;

use app::forums::api::{CreateThread, GetRevealPage, RevealAnonymousAuthor};
use app::forums::types::RevealPage;
use common::forum::{setup, start_thread};
use common::{client, spawn};
use reqwest::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_admins_reveal_and_every_reveal_is_audited(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, community) = setup(&app, "reflection", false, true).await;
    let c = community.to_string();
    let r = app
        .call::<CreateThread>(
            &member,
            &[
                ("community_id", &c),
                ("title", "Something I can't say openly"),
                ("body", "It keeps happening in our team meetings."),
                ("tags", ""),
                ("content_warning", ""),
                ("anonymous", "on"),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let named = start_thread(&app, &admin, community, "Welcome", "Say hello.").await;
    let anon_post: i64 = sqlx::query_scalar("SELECT id FROM posts WHERE anon_alias IS NOT NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let named_post: i64 = sqlx::query_scalar("SELECT id FROM posts WHERE thread_id = $1")
        .bind(named)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let moderator = app.register("Morgan", "morgan@example.org").await;
    sqlx::query("UPDATE users SET role = 'moderator' WHERE email = 'morgan@example.org'")
        .execute(&app.pool)
        .await
        .unwrap();
    let p = anon_post.to_string();
    let why = "A colleague reported a threat made in this post; HR needs to follow up.";
    let form = [("post_id", p.as_str()), ("reason", why)];
    assert_eq!(app.call::<RevealAnonymousAuthor>(&client(), &form).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call::<RevealAnonymousAuthor>(&member, &form).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call::<RevealAnonymousAuthor>(&moderator, &form).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call::<GetRevealPage>(&moderator, &[("post_id", &p)]).await.status, StatusCode::FORBIDDEN);
    let audited = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM audit_log WHERE action = 'anonymous_author_revealed'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    assert_eq!(audited().await, 0);

    // A reason is required; a post that isn't anonymous has nothing to reveal.
    let r = app.call::<RevealAnonymousAuthor>(&admin, &[("post_id", &p), ("reason", "because")]).await;
    assert!(r.error().field_error("reason").unwrap().contains("audit log"));
    let n = named_post.to_string();
    let r = app.call::<RevealAnonymousAuthor>(&admin, &[("post_id", &n), ("reason", why)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let page: RevealPage = app.call::<GetRevealPage>(&admin, &[("post_id", &p)]).await.json();
    assert!(page.reveals.is_empty(), "nothing is shown before a reveal");

    let r = app.call::<RevealAnonymousAuthor>(&admin, &form).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(audited().await, 1);
    let views = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM audit_log WHERE action = 'anonymous_author_reveal_viewed'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    assert_eq!(views().await, 0, "viewing the page before any reveal shows no name, so isn't logged");
    let page: RevealPage = app.call::<GetRevealPage>(&admin, &[("post_id", &p)]).await.json();
    assert_eq!(page.alias, 1);
    assert_eq!(page.reveals.len(), 1);
    assert_eq!(page.reveals[0].author.as_deref(), Some("Sam"));
    assert_eq!(page.reveals[0].revealed_by, "Jordan");
    assert_eq!(page.reveals[0].reason, why);
    assert_eq!(views().await, 1, "seeing the revealed name is audited too");
    // Server-rendered, the page shows it to the admin; other people still see only the alias.
    let html = app.get(&admin, &format!("/forums/posts/{anon_post}/reveal")).await.body;
    assert!(html.contains("Reveal who wrote Anonymous 1") && html.contains("<strong>Sam</strong>"));
    let thread: i64 = sqlx::query_scalar("SELECT thread_id FROM posts WHERE id = $1")
        .bind(anon_post)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let as_moderator = app.get(&moderator, &format!("/forums/t/{thread}")).await.body;
    assert!(as_moderator.contains("Anonymous 1") && !as_moderator.contains("Sam"));
    assert!(!as_moderator.contains("Reveal author"), "only admins are offered the reveal");
    let as_admin = app.get(&admin, &format!("/forums/t/{thread}")).await.body;
    assert!(as_admin.contains(&format!("/forums/posts/{anon_post}/reveal")));
}
