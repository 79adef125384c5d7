//! Drafts over real HTTP: kept per person and place, restored with the page, removed when the
//! text is posted, private to their writer, and usable without JavaScript.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod common;

use app::drafts::api::SaveDraft;
use app::forums::api::{CreatePost, CreateThread, GetCommunityPage, GetThreadPage};
use app::forums::types::{CommunityPage, ThreadPage};
use common::forum::{create_community, reply, setup, start_thread, thread_page};
use common::{client, spawn};
use reqwest::StatusCode;
use sqlx::PgPool;

async fn draft_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM drafts").fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn reply_drafts_are_restored_and_cleared_by_posting(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, community) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &admin, community, "First week", "How was it?").await;
    let t = thread.to_string();
    let save = |body: &'static str| [("place", "reply"), ("target_id", ""), ("body", body)];
    let mut form = save("Half a thought about listening");
    form[1].1 = &t;
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
    // Saving again replaces it: one draft per person and place.
    form[2].1 = "A whole thought about listening";
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
    assert_eq!(draft_count(&app.pool).await, 1);
    assert_eq!(thread_page(&app, &member, thread).await.composer, "A whole thought about listening");
    assert_eq!(thread_page(&app, &admin, thread).await.composer, "", "nobody else sees it");

    // Quoting adds the quote after the draft.
    let op: i64 = sqlx::query_scalar("SELECT id FROM posts WHERE thread_id = $1 AND seq = 1")
        .bind(thread)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let quoted: ThreadPage =
        app.call::<GetThreadPage>(&member, &[("thread_id", &t), ("quote", &op.to_string())]).await.json();
    assert_eq!(quoted.composer, "A whole thought about listening\n\n> How was it?\n\n");
    assert_eq!(quoted.quoting, Some(op));
    // Saving that as the draft and coming back to the same address doesn't quote it twice.
    let mut with_quote = form;
    with_quote[2].1 = &quoted.composer;
    assert_eq!(app.call::<SaveDraft>(&member, &with_quote).await.status, StatusCode::OK);
    let again: ThreadPage =
        app.call::<GetThreadPage>(&member, &[("thread_id", &t), ("quote", &op.to_string())]).await.json();
    assert_eq!(again.composer, quoted.composer);
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
    // Quoting only the part selected (what the "Quote" link asks for when text is selected);
    // an overlong selection is cut.
    let part: ThreadPage = app
        .call::<GetThreadPage>(&member, &[("thread_id", &t), ("quote", &op.to_string()), ("part", " How ")])
        .await
        .json();
    assert_eq!(part.composer, "A whole thought about listening\n\n> How\n\n");
    let long = "w".repeat(5000);
    let part: ThreadPage = app
        .call::<GetThreadPage>(&admin, &[("thread_id", &t), ("quote", &op.to_string()), ("part", &long)])
        .await
        .json();
    assert_eq!(part.composer.trim_end().len(), "> ".len() + app::forums::policy::QUOTE_PART_MAX);

    // A refused post keeps the draft; a posted one removes it in the same transaction.
    assert_eq!(reply(&app, &member, thread, "  ").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(draft_count(&app.pool).await, 1);
    assert!(reply(&app, &member, thread, "A whole thought about listening").await.status.is_success());
    assert_eq!(draft_count(&app.pool).await, 0);
    assert_eq!(thread_page(&app, &member, thread).await.composer, "");
    // An autosave that was still on its way (the posted text, or an earlier part of it) doesn't
    // bring the posted reply back as a draft; new words after posting are kept as usual.
    for late in ["A whole thought about listening", "A whole thought"] {
        form[2].1 = late;
        assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
        assert_eq!(draft_count(&app.pool).await, 0, "{late}");
    }
    form[2].1 = "And another thing";
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
    assert_eq!(draft_count(&app.pool).await, 1);
    form[2].1 = "";
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);

    // An empty draft is discarded rather than kept.
    form[2].1 = "   ";
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
    assert_eq!(draft_count(&app.pool).await, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn drafts_are_only_kept_where_one_may_post(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, public) = setup(&app, "new-supporters", false, false).await;
    let private = create_community(&app, &admin, "facilitators", true, false).await;
    let secret = start_thread(&app, &admin, private, "Facilitators only", "Planning.").await;
    let form = |place: &'static str, id: i64| {
        vec![("place", place.to_owned()), ("target_id", id.to_string()), ("body", "text".to_owned())]
    };
    let call = |f: Vec<(&'static str, String)>, c: reqwest::Client| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call::<SaveDraft>(&c, &f).await
        }
    };
    assert_eq!(call(form("reply", secret), client()).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(call(form("reply", secret), member.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(call(form("thread", private), member.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(call(form("reply", 999_999), member.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(call(form("nonsense", public), member.clone()).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut long = form("thread", public);
    long[2].1 = "x".repeat(20_001);
    let r = call(long, member.clone()).await;
    assert!(r.error().field_error("body").unwrap().contains("20000"), "{}", r.body);
    assert_eq!(draft_count(&app.pool).await, 0);
    // Suspended people can't keep drafts either (they can't post).
    sqlx::query(
        "UPDATE users SET suspended_until = now() + interval '1 day' WHERE email = 'sam@example.org'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(call(form("thread", public), member).await.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn new_thread_drafts_keep_title_and_body(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, member, community) = setup(&app, "new-supporters", false, false).await;
    let c = community.to_string();
    let form = [
        ("place", "thread"),
        ("target_id", c.as_str()),
        ("title", "After the workshop"),
        ("body", "It helped to"),
    ];
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
    let page: CommunityPage =
        app.call::<GetCommunityPage>(&member, &[("slug", "new-supporters")]).await.json();
    assert_eq!((page.draft.title.as_str(), page.draft.body.as_str()), ("After the workshop", "It helped to"));
    let r = app
        .call::<CreateThread>(
            &member,
            &[
                ("community_id", &c),
                ("title", "After the workshop"),
                ("body", "It helped to name it."),
                ("tags", ""),
                ("content_warning", ""),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(draft_count(&app.pool).await, 0);
    // The autosave still on its way when the thread was posted doesn't come back as a draft.
    assert_eq!(app.call::<SaveDraft>(&member, &form).await.status, StatusCode::OK);
    assert_eq!(draft_count(&app.pool).await, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn without_javascript_drafts_are_saved_and_previewed_by_plain_forms(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, community) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &admin, community, "First week", "How was it?").await;
    let t = thread.to_string();
    let page = format!("/forums/t/{thread}");
    // The reply form's fields, sent to "Preview" (its formaction) by a browser without JS.
    let form = [
        ("thread_id", t.as_str()),
        ("place", "reply"),
        ("target_id", t.as_str()),
        ("body", "**Listening** first </textarea><script>alert(1)</script>"),
        ("content_warning", ""),
        ("preview", "1"),
    ];
    let r = app.post_html::<SaveDraft>(&member, &page, &form).await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    let location = r.headers.get("location").unwrap().to_str().unwrap().to_owned();
    assert_eq!(location, format!("{page}?notice=draft-preview"));
    let html = app.get(&member, &location).await.body;
    assert!(html.contains("<strong>Listening</strong>"), "the preview is rendered on the server");
    if let Some(i) = html.find("<script>alert(1)") {
        panic!("unsanitised at: {}", &html[i.saturating_sub(300)..i + 40]);
    }
    assert!(html.contains("Draft saved"), "a notice says so");
    assert!(
        html.contains("**Listening** first &lt;/textarea&gt;&lt;script&gt;"),
        "the reply box holds the draft, escaped so it can't end the box"
    );
    // The page's own form buttons point there.
    let plain = app.get(&member, &page).await.body;
    assert!(plain.contains(&format!("formaction=\"{}\"", <SaveDraft as server_fn::ServerFn>::PATH)));
    // Posting it clears the draft.
    let r = app.post_html::<CreatePost>(&member, &page, &form[..5]).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(draft_count(&app.pool).await, 0);
}
