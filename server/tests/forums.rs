//! Forum rules over real HTTP against a fresh Postgres database per test.
mod common;

use app::forums::api::*;
use app::forums::types::{Author, CommunityPage, MembersPage, SearchPage, ThreadPage};
use common::forum::{add_posts, create_community, reply, search_filter, setup, start_thread, thread_page};
use common::{client, spawn, TestApp};
use reqwest::{Client, StatusCode};
use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_admins_manage_communities(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let form = [
        ("slug", "x-y"),
        ("name", "Xy"),
        ("description", ""),
        ("colour", "#000000"),
        ("visibility", "public"),
        ("join_policy", "open"),
    ];
    assert_eq!(app.call::<CreateCommunity>(&client(), &form).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call::<CreateCommunity>(&member, &form).await.status, StatusCode::FORBIDDEN);
    let archive = [("id", id.to_string()), ("archived", "true".to_owned())];
    let archive: Vec<(&str, &str)> = archive.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<ArchiveCommunity>(&member, &archive).await.status, StatusCode::FORBIDDEN);
    // Bad input is reported per field; a taken address too.
    let bad = [
        ("slug", "Bad Slug"),
        ("name", "X"),
        ("description", ""),
        ("colour", "red"),
        ("visibility", "secret"),
        ("join_policy", "open"),
    ];
    let err = app.call::<CreateCommunity>(&admin, &bad).await.error();
    for field in ["slug", "name", "colour", "visibility"] {
        assert!(err.field_error(field).is_some(), "{field}: {err:?}");
    }
    let taken = [
        ("slug", "new-supporters"),
        ("name", "Again"),
        ("description", ""),
        ("colour", "#000000"),
        ("visibility", "public"),
        ("join_policy", "open"),
    ];
    assert!(app
        .call::<CreateCommunity>(&admin, &taken)
        .await
        .error()
        .field_error("slug")
        .unwrap()
        .contains("already"));
    // Archived communities can be read but not posted in.
    let thread = start_thread(&app, &member, id, "Before the archive", "hello").await;
    assert!(app.call::<ArchiveCommunity>(&admin, &archive).await.status.is_success());
    let r = reply(&app, &member, thread, "after").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error().field_error("form").unwrap().contains("archived"));
    assert_eq!(r.error().field_value("body").as_deref(), Some("after"), "the text is kept");
    assert!(!thread_page(&app, &member, thread).await.thread.can_reply);
    // Its posts are kept as they are: no edits, but authors can still remove their own.
    let post = thread_page(&app, &member, thread).await.posts[0].id.to_string();
    let r = app
        .call::<EditPost>(&member, &[("post_id", &post), ("body", "edited"), ("content_warning", "")])
        .await;
    assert!(r.error().field_error("form").unwrap().contains("archived"), "{}", r.body);
    assert!(app.call::<DeletePost>(&member, &[("post_id", &post)]).await.status.is_success());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_private_community_anyone_may_join_shows_only_its_door(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, _) = setup(&app, "new-supporters", false, false).await;
    let mut form = vec![
        ("slug", "reflection-circle"),
        ("name", "Reflection circle"),
        ("description", "Members reflect on hard days together."),
        ("colour", "#2f6b5e"),
        ("visibility", "public"),
        ("join_policy", "invite"),
    ];
    let refused = app.call::<CreateCommunity>(&admin, &form).await.error();
    assert!(refused.field_error("join_policy").unwrap().contains("make it private"));
    form[4] = ("visibility", "private");
    form[5] = ("join_policy", "open");
    assert!(app.call::<CreateCommunity>(&admin, &form).await.status.is_success());
    let id: i64 = sqlx::query_scalar("SELECT id FROM communities WHERE slug = 'reflection-circle'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let thread = start_thread(&app, &admin, id, "After the team meeting", "the word harbourlight").await;

    // Listed with its name and description and a way in; nothing of what is said inside.
    let list: Vec<app::forums::types::CommunitySummary> =
        app.call::<ListCommunities>(&member, &[]).await.json();
    assert!(list.iter().any(|c| c.slug == "reflection-circle" && !c.is_member));
    let page: CommunityPage =
        app.call::<GetCommunityPage>(&member, &[("slug", "reflection-circle")]).await.json();
    assert!(page.members_only && page.threads.is_empty() && page.pinned.is_empty());
    let html = app.get(&member, "/forums/c/reflection-circle").await.body;
    assert!(html.contains("its conversations are for its members") && html.contains("Join community"));
    assert!(!html.contains("After the team meeting"));
    let hits: SearchPage = app.call::<SearchForums>(&member, &[("q", "harbourlight")]).await.json();
    assert!(hits.hits.is_empty());
    assert_eq!(reply(&app, &member, thread, "hello?").await.status, StatusCode::NOT_FOUND);

    // Joining opens it.
    let joined = app.call::<JoinCommunity>(&member, &[("community_id", &id.to_string())]).await;
    assert!(joined.status.is_success(), "{}", joined.body);
    let page: CommunityPage =
        app.call::<GetCommunityPage>(&member, &[("slug", "reflection-circle")]).await.json();
    assert!(!page.members_only && page.threads.len() == 1);
    let hits: SearchPage = app.call::<SearchForums>(&member, &[("q", "harbourlight")]).await.json();
    assert_eq!(hits.hits.len(), 1);
    assert!(reply(&app, &member, thread, "I was there too").await.status.is_success());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn private_communities_stay_private(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "supporters-only", true, false).await;
    let thread =
        start_thread(&app, &admin, id, "Confidential reflections", "the word lighthouse appears here").await;

    let list: Vec<app::forums::types::CommunitySummary> =
        app.call::<ListCommunities>(&member, &[]).await.json();
    assert!(list.is_empty(), "not listed to outsiders");
    let page = app.call::<GetCommunityPage>(&member, &[("slug", "supporters-only")]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.call::<GetThreadPage>(&member, &[("thread_id", &thread.to_string())]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(reply(&app, &member, thread, "let me in").await.status, StatusCode::NOT_FOUND);
    let join = app.call::<JoinCommunity>(&member, &[("community_id", &id.to_string())]).await;
    assert_eq!(join.status, StatusCode::NOT_FOUND, "invite-only and invisible: no joining");
    let hits: SearchPage = app.call::<SearchForums>(&member, &[("q", "lighthouse")]).await.json();
    assert!(hits.hits.is_empty(), "search never shows private communities to outsiders");
    let page = app.get(&member, &format!("/forums/t/{thread}")).await;
    assert!(!page.body.contains("Confidential reflections") && !page.body.contains("lighthouse"));

    // A moderator (here the admin) adds them; now everything is visible.
    let r = app
        .call::<AddCommunityMember>(
            &admin,
            &[("community_id", &id.to_string()), ("email", "sam@example.org")],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let hits: SearchPage = app.call::<SearchForums>(&member, &[("q", "lighthouse")]).await.json();
    assert_eq!(hits.hits.len(), 1);
    assert!(reply(&app, &member, thread, "thank you for adding me").await.status.is_success());
    // Members can't add people; anonymous callers can't either.
    let add = [("community_id", id.to_string()), ("email", "jordan@example.org".to_owned())];
    let add: Vec<(&str, &str)> = add.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<AddCommunityMember>(&member, &add).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call::<AddCommunityMember>(&client(), &add).await.status, StatusCode::UNAUTHORIZED);

    // Moderators see who is in it (members don't), add by email with a clear message for an
    // unknown address, and remove people, who then lose access at once. Each change is audited.
    let members: MembersPage =
        app.call::<GetCommunityMembers>(&admin, &[("slug", "supporters-only")]).await.json();
    let names: Vec<&str> = members.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!((members.total, names), (2, vec!["Jordan", "Sam"]), "by name; the admin started a thread");
    assert_eq!(
        app.call::<GetCommunityMembers>(&member, &[("slug", "supporters-only")]).await.status,
        StatusCode::FORBIDDEN
    );
    let html = app.get(&admin, "/forums/c/supporters-only/members").await.body;
    assert!(html.contains("Members of New supporters") && html.contains("sam@example.org"));
    assert!(!app.get(&member, "/forums/c/supporters-only/members").await.body.contains("jordan@example.org"));
    let add_by = |email: &'static str| {
        let community = id.to_string();
        let admin = &admin;
        let app = &app;
        async move {
            app.call::<AddCommunityMember>(admin, &[("community_id", &community), ("email", email)]).await
        }
    };
    let unknown = add_by("nobody@example.org").await.error();
    assert!(unknown.field_error("email").unwrap().contains("No one has an account"));
    assert_eq!(unknown.field_value("email").as_deref(), Some("nobody@example.org"));
    let again = add_by("sam@example.org").await.error();
    assert!(again.field_error("email").unwrap().contains("already a member"), "and nothing is audited");
    let sam = members.members[1].user_id.to_string();
    let remove = [("community_id", id.to_string()), ("user_id", sam.clone())];
    let remove: Vec<(&str, &str)> = remove.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<RemoveCommunityMember>(&member, &remove).await.status, StatusCode::FORBIDDEN);
    assert!(app.call::<RemoveCommunityMember>(&admin, &remove).await.status.is_success());
    assert_eq!(
        app.call::<RemoveCommunityMember>(&admin, &remove).await.status,
        StatusCode::NOT_FOUND,
        "not a member any more"
    );
    assert_eq!(reply(&app, &member, thread, "still here?").await.status, StatusCode::NOT_FOUND);
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE target_user_id = $1 AND action LIKE 'community_member_%' ORDER BY id",
    )
    .bind(sam.parse::<i64>().unwrap())
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, ["community_member_added", "community_member_removed"]);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn threads_replies_quotes_and_counters(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    assert_eq!(
        app.call::<CreateThread>(
            &client(),
            &[("community_id", "1"), ("title", "x"), ("body", "x"), ("tags", ""), ("content_warning", "")]
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    let bad = app
        .call::<CreateThread>(
            &member,
            &[
                ("community_id", &id.to_string()),
                ("title", "Hi"),
                ("body", "  "),
                ("tags", "a,b,c,d,e,f"),
                ("content_warning", ""),
            ],
        )
        .await;
    let err = bad.error();
    assert!(
        err.field_error("title").is_some()
            && err.field_error("body").is_some()
            && err.field_error("tags").is_some()
    );
    assert_eq!(err.field_value("title").as_deref(), Some("Hi"));

    let thread = start_thread(
        &app,
        &member,
        id,
        "How do you open a hard conversation?",
        "I freeze at the first sentence.",
    )
    .await;
    assert!(reply(&app, &admin, thread, "Start with what you noticed, not a judgement.")
        .await
        .status
        .is_success());
    let page = thread_page(&app, &member, thread).await;
    assert_eq!(page.posts.len(), 2);
    let first = page.posts[0].id.to_string();
    let r = app
        .call::<CreatePost>(
            &member,
            &[
                ("thread_id", &thread.to_string()),
                ("body", "> I freeze\n\nThis helps."),
                ("quoted_post_id", &first),
                ("content_warning", ""),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let page = thread_page(&app, &member, thread).await;
    assert_eq!(page.posts[2].quoted.as_ref().map(|q| q.seq), Some(1));
    assert_eq!(page.thread.post_count, 3);
    let listing: CommunityPage =
        app.call::<GetCommunityPage>(&member, &[("slug", "new-supporters")]).await.json();
    assert_eq!(listing.threads[0].replies, 2);
    assert_eq!(listing.community.thread_count, 1);
    assert_eq!(listing.community.post_count, 3);
    // A quote must come from the same thread.
    let other = start_thread(&app, &member, id, "Another topic entirely", "body").await;
    let r = app
        .call::<CreatePost>(
            &member,
            &[
                ("thread_id", &other.to_string()),
                ("body", "x"),
                ("quoted_post_id", &first),
                ("content_warning", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Oversized bodies are refused with a clear message.
    let huge = "a".repeat(20_001);
    let r = reply(&app, &member, thread, &huge).await;
    assert!(r.error().field_error("body").unwrap().contains("longer than"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn locking_pinning_and_history_are_for_moderators(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "A thread to lock", "first words").await;
    let t = thread.to_string();
    assert_eq!(
        app.call::<SetThreadState>(&member, &[("thread_id", &t), ("locked", "true")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(app
        .call::<SetThreadState>(&admin, &[("thread_id", &t), ("locked", "true"), ("pinned", "true")])
        .await
        .status
        .is_success());
    let r = reply(&app, &member, thread, "can I still reply?").await;
    assert!(r.error().field_error("form").unwrap().contains("locked"));
    let listing: CommunityPage =
        app.call::<GetCommunityPage>(&member, &[("slug", "new-supporters")]).await.json();
    assert_eq!(listing.pinned.len(), 1);
    assert!(listing.threads.is_empty());

    // A locked thread is read-only: its posts can't be edited or reacted to (nor is either
    // offered), but an author can still remove their own post.
    let post = thread_page(&app, &member, thread).await.posts[0].id.to_string();
    let r = app
        .call::<EditPost>(&member, &[("post_id", &post), ("body", "late edit"), ("content_warning", "")])
        .await;
    assert!(r.error().field_error("form").unwrap().contains("locked"), "{}", r.body);
    assert_eq!(r.error().field_value("body").as_deref(), Some("late edit"), "the text typed is kept");
    let r = app.call::<ReactToPost>(&admin, &[("post_id", &post), ("give", "thanks")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.error().to_string().contains("locked"));
    let html = app.get(&member, &format!("/forums/t/{thread}")).await.body;
    assert!(html.contains(">Delete<") && !html.contains(">Edit<") && !html.contains(">Quote<"));
    app.call::<SetThreadState>(&admin, &[("thread_id", &t), ("locked", "false")]).await;
    assert!(app.get(&member, &format!("/forums/t/{thread}")).await.body.contains(">Edit<"));

    // Editing keeps every earlier version; only moderators read them; only authors edit.
    assert_eq!(
        app.call::<EditPost>(&admin, &[("post_id", &post), ("body", "hijack"), ("content_warning", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(app
        .call::<EditPost>(&member, &[("post_id", &post), ("body", "second words"), ("content_warning", "")])
        .await
        .status
        .is_success());
    assert!(app
        .call::<EditPost>(
            &member,
            &[("post_id", &post), ("body", "third words"), ("content_warning", "grief")]
        )
        .await
        .status
        .is_success());
    let history: Vec<app::forums::types::Revision> =
        app.call::<GetPostHistory>(&admin, &[("post_id", &post)]).await.json();
    assert_eq!(history.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(), ["first words", "second words"]);
    assert_eq!(
        app.call::<GetPostHistory>(&member, &[("post_id", &post)]).await.status,
        StatusCode::FORBIDDEN
    );
    let page = thread_page(&app, &member, thread).await;
    assert!(page.posts[0].edited);
    assert_eq!(page.posts[0].content_warning.as_deref(), Some("grief"));

    // Deleting is soft: the post stays in place as "removed by its author", without its text;
    // also in a locked thread.
    app.call::<SetThreadState>(&admin, &[("thread_id", &t), ("locked", "true")]).await;
    assert_eq!(app.call::<DeletePost>(&admin, &[("post_id", &post)]).await.status, StatusCode::FORBIDDEN);
    assert!(app.call::<DeletePost>(&member, &[("post_id", &post)]).await.status.is_success());
    let page = thread_page(&app, &member, thread).await;
    assert!(page.posts[0].deleted && page.posts[0].body_html.is_empty());
    let html = app.get(&admin, &format!("/forums/t/{thread}")).await.body;
    assert!(html.contains("This post was removed by its author.") && !html.contains("third words"));
    // A removed post can't be replied to (quoted); the reply's text is kept.
    app.call::<SetThreadState>(&admin, &[("thread_id", &t), ("locked", "false")]).await;
    let r = app
        .call::<CreatePost>(
            &admin,
            &[
                ("thread_id", &t),
                ("body", "answering you"),
                ("quoted_post_id", &post),
                ("content_warning", ""),
            ],
        )
        .await;
    assert!(r.error().field_error("form").unwrap().contains("was removed"), "{}", r.body);
    assert_eq!(r.error().field_value("body").as_deref(), Some("answering you"));
    let hits: SearchPage = app.call::<SearchForums>(&member, &[("q", "third words")]).await.json();
    assert!(hits.hits.iter().all(|h| h.seq != 1), "deleted posts never show in search");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn anonymous_aliases_are_stable_and_never_leak_the_author(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "safe-space", false, true).await;
    let third = app.register("Kim", "kim@example.org").await;
    let cid = id.to_string();
    let r = app
        .call::<CreateThread>(
            &member,
            &[
                ("community_id", &cid),
                ("title", "Something happened at work"),
                ("body", "It was hard."),
                ("tags", ""),
                ("content_warning", "bullying"),
                ("anonymous", "on"),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let thread: i64 = sqlx::query_scalar("SELECT id FROM threads").fetch_one(&app.pool).await.unwrap();
    let t = thread.to_string();
    for (c, body) in [(&third, "I'm sorry."), (&member, "Thank you."), (&third, "Here if you need.")] {
        let r = app
            .call::<CreatePost>(
                c,
                &[("thread_id", &t), ("body", body), ("content_warning", ""), ("anonymous", "on")],
            )
            .await;
        assert!(r.status.is_success(), "{}", r.body);
    }
    let raw = app.call::<GetThreadPage>(&admin, &[("thread_id", &t)]).await;
    let page: ThreadPage = raw.json();
    let aliases: Vec<Author> = page.posts.iter().map(|p| p.author.clone()).collect();
    assert_eq!(
        aliases,
        [
            Author::Anonymous { alias: 1 },
            Author::Anonymous { alias: 2 },
            Author::Anonymous { alias: 1 },
            Author::Anonymous { alias: 2 }
        ]
    );
    // Neither the JSON nor the page carries the real names, even for an admin reader.
    assert!(!raw.body.contains("Sam") && !raw.body.contains("Kim"), "{}", raw.body);
    let html = app.get(&admin, &format!("/forums/t/{thread}")).await.body;
    assert!(html.contains("Anonymous 1") && !html.contains("Sam") && !html.contains("Kim"));
    let listing = app.call::<GetCommunityPage>(&admin, &[("slug", "safe-space")]).await;
    assert!(!listing.body.contains("Sam"));
    // The author still sees which posts are theirs (to edit them); nobody else does.
    let mine = thread_page(&app, &member, thread).await;
    assert!(mine.posts[0].is_own && !mine.posts[1].is_own);
    // Searching by author never matches anonymous posts.
    let hits: SearchPage =
        app.call::<SearchForums>(&admin, &[("q", "thank"), ("author", "Sam")]).await.json();
    assert!(hits.hits.is_empty());
    // Search results show the alias, in the JSON and on the page.
    let raw = app.call::<SearchForums>(&third, &[("q", "thank")]).await;
    let hits: SearchPage = raw.json();
    assert_eq!(hits.hits.len(), 1);
    assert_eq!(hits.hits[0].author, Author::Anonymous { alias: 1 }, "Sam started the thread");
    assert!(!raw.body.contains("Sam"), "{}", raw.body);
    let html = app.get(&third, "/forums/search?q=thank").await.body;
    assert!(html.contains("Anonymous 1") && !html.contains("Sam"));
    // The real author is stored for the (audited) reveal that moderation will add.
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM posts WHERE author_id = (SELECT id FROM users WHERE email = 'sam@example.org')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 2);
    // Communities that don't allow it refuse anonymous posts.
    let plain = create_community(&app, &admin, "plain", false, false).await.to_string();
    let r = app
        .call::<CreateThread>(
            &member,
            &[
                ("community_id", &plain),
                ("title", "Not anonymous here"),
                ("body", "x"),
                ("tags", ""),
                ("content_warning", ""),
                ("anonymous", "on"),
            ],
        )
        .await;
    assert!(r.error().field_error("anonymous").is_some());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn reactions_are_idempotent_even_when_concurrent(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Thank you all", "This group helped.").await;
    let post = thread_page(&app, &member, thread).await.posts[0].id.to_string();
    let form = [("post_id", post.as_str()), ("give", "thanks")];
    let calls = (0..10).map(|_| app.call::<ReactToPost>(&member, &form));
    for r in futures_join(calls).await {
        assert!(r.status.is_success(), "{}", r.body);
    }
    let page = thread_page(&app, &member, thread).await;
    let thanks = &page.posts[0].reactions[0];
    assert_eq!((thanks.count, thanks.mine), (1, true));
    let off = [("post_id", post.as_str()), ("take_back", "thanks")];
    for r in futures_join((0..5).map(|_| app.call::<ReactToPost>(&member, &off))).await {
        assert!(r.status.is_success());
    }
    assert_eq!(thread_page(&app, &member, thread).await.posts[0].reactions[0].count, 0);
    assert_eq!(
        app.call::<ReactToPost>(&member, &[("post_id", &post), ("give", "love")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A form must say one thing: give, or take back.
    let both = [("post_id", post.as_str()), ("give", "thanks"), ("take_back", "helpful")];
    for form in [&both[..], &both[..1]] {
        let r = app.call::<ReactToPost>(&member, form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.error().field_error("form").unwrap().contains("Choose one reaction"), "{}", r.body);
    }
    assert_eq!(thread_page(&app, &member, thread).await.posts[0].reactions[0].count, 0);
    assert_eq!(app.call::<ReactToPost>(&client(), &form).await.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn simultaneous_replies_are_numbered_in_turn_and_counted(pool: PgPool) {
    // Nine people register from one address: allow it (registration is limited per address).
    let web = app::state::WebConfig { rate_limit_multiplier: 10, ..Default::default() };
    let app = common::spawn_with(pool, server::db::DbHealth::up(), web).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Thank you all", "This group helped.").await;
    let mut people = Vec::new();
    for i in 0..8 {
        people.push(app.register(&format!("Helper {i}"), &format!("helper{i}@example.org")).await);
    }
    let replies = people.iter().map(|c| reply(&app, c, thread, "Glad it helped."));
    for r in futures_join(replies).await {
        assert!(r.status.is_success(), "{}", r.body);
    }
    let seqs: Vec<i32> = sqlx::query_scalar("SELECT seq FROM posts WHERE thread_id = $1 ORDER BY seq")
        .bind(thread)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(seqs, (1..=9).collect::<Vec<_>>(), "no number taken twice, none skipped");
    let (threads, posts): (i32, i32) =
        sqlx::query_as("SELECT t.post_count, c.post_count FROM threads t JOIN communities c ON c.id = t.community_id WHERE t.id = $1")
            .bind(thread)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((threads, posts), (9, 9));
}

async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut handles = Vec::new();
    for f in futures {
        handles.push(f);
    }
    let mut out = Vec::new();
    // Poll them together: join_all without a dependency.
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = handles.into_iter().map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if results[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => results[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    for r in results {
        out.extend(r);
    }
    out
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn posting_is_rate_limited_and_refused_to_suspended_people(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Quick replies", "first").await;
    for i in 0..4 {
        assert!(reply(&app, &member, thread, &format!("reply {i}")).await.status.is_success());
    }
    let r = reply(&app, &member, thread, "one too many").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let message = r.error().to_string();
    assert!(
        message.contains("please slow down") && message.contains("You can try again in 1 minute"),
        "{message}"
    );
    // Oversized titles and bodies are refused next to their fields (before any limit is counted).
    let title = "t".repeat(app::forums::policy::TITLE_MAX + 1);
    let body = "b".repeat(app::forums::policy::BODY_MAX + 1);
    let r = app
        .call::<CreateThread>(
            &admin,
            &[
                ("community_id", &id.to_string()),
                ("title", &title),
                ("body", &body),
                ("tags", ""),
                ("content_warning", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error().field_error("title").is_some() && r.error().field_error("body").is_some());
    assert_eq!(r.error().field_value("title").as_deref(), Some(title.as_str()));

    let sam = app.user_id("sam@example.org").await.to_string();
    let r = app
        .call::<app::accounts::api::SuspendUser>(
            &admin,
            &[("user_id", &sam), ("days", "2"), ("reason", "Cooling off")],
        )
        .await;
    assert!(r.status.is_success());
    let again = client();
    app.call::<app::accounts::api::Login>(
        &again,
        &[("email", "sam@example.org"), ("password", common::PASSWORD)],
    )
    .await;
    assert_eq!(reply(&app, &again, thread, "still here?").await.status, StatusCode::FORBIDDEN);
    assert_eq!(thread_page(&app, &again, thread).await.posts.len(), 5, "but can still read");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn search_ranks_highlights_and_filters(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    start_thread(
        &app,
        &member,
        id,
        "Listening without fixing",
        "Sometimes <b>listening</b> is the whole job.",
    )
    .await;
    start_thread(&app, &admin, id, "Workshop dates", "The listening workshop is in May.").await;
    let page: SearchPage = app.call::<SearchForums>(&member, &[("q", "listening")]).await.json();
    assert_eq!(page.hits.len(), 2);
    assert_eq!(page.hits[0].thread_title, "Listening without fixing", "title matches rank first");
    assert!(page.hits[0].snippet.iter().any(|(t, hit)| *hit && t.eq_ignore_ascii_case("listening")));
    let by_admin: SearchPage =
        app.call::<SearchForums>(&member, &[("q", "listening"), ("author", "Jordan")]).await.json();
    assert_eq!(by_admin.hits.len(), 1);
    let html = app.get(&member, "/forums/search?q=listening").await.body;
    assert!(html.contains("<mark>"));
    assert!(!html.contains("<b>listening</b>"), "user text in snippets is escaped");
    for q in ["' OR 1=1--", "); DROP TABLE posts;--", "&|!:*", ""] {
        let r = app.call::<SearchForums>(&member, &[("q", q)]).await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
    }
    let future: SearchPage =
        app.call::<SearchForums>(&member, &[("q", "listening"), ("from", "2999-01-01")]).await.json();
    assert!(future.hits.is_empty());
    let past: SearchPage =
        app.call::<SearchForums>(&member, &[("q", "listening"), ("to", "2000-01-01")]).await.json();
    assert!(past.hits.is_empty());
    let today = chrono::Utc::now().date_naive().to_string();
    let until_today: SearchPage =
        app.call::<SearchForums>(&member, &[("q", "listening"), ("to", &today)]).await.json();
    assert_eq!(until_today.hits.len(), 2, "the end date includes that whole day");
    // The community filter keeps to one community.
    let other = create_community(&app, &admin, "workshops", false, false).await;
    start_thread(&app, &admin, other, "Listening circles", "A listening circle for facilitators.").await;
    let everywhere: SearchPage = app.call::<SearchForums>(&member, &[("q", "listening")]).await.json();
    assert_eq!(everywhere.hits.len(), 3);
    let one: SearchPage =
        app.call::<SearchForums>(&member, &[("q", "listening"), ("community", "workshops")]).await.json();
    assert_eq!(one.hits.iter().map(|h| h.thread_title.as_str()).collect::<Vec<_>>(), ["Listening circles"]);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_common_word_ranks_the_newest_matches_and_says_older_ones_were_left_out(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Gardening as a way to decompress", "gardening").await;
    // 250 more posts saying the word, the oldest 40 of them written ten days ago.
    sqlx::query(
        "WITH n AS (SELECT g FROM generate_series(1, 250) g)
         INSERT INTO posts (thread_id, community_id, seq, author_id, body, body_html, search, created_at)
         SELECT $1, t.community_id, 1 + g, t.author_id, 'Gardening note ' || g, '<p>Gardening note ' || g || '</p>',
                to_tsvector('english', 'Gardening note ' || g),
                CASE WHEN g <= 40 THEN now() - interval '10 days' ELSE now() END
         FROM n, threads t WHERE t.id = $1",
    )
    .bind(thread)
    .execute(&app.pool)
    .await
    .unwrap();

    let mut seen = 0;
    let mut after: Option<String> = None;
    let last = loop {
        let mut args = vec![("q", "gardening".to_owned())];
        args.extend(after.clone().map(|a| ("after", a)));
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page: SearchPage = app.call::<SearchForums>(&member, &args).await.json();
        seen += page.hits.len();
        match page.next {
            Some(next) => {
                assert!(!page.older_left_out, "said on the last page only");
                after = Some(next);
            }
            None => break page,
        }
    };
    assert_eq!(seen as i64, app::forums::repo::SEARCH_WINDOW, "the newest matches, each once");
    assert!(last.older_left_out);
    let html = app.get(&member, &format!("/forums/search?q=gardening&after={}", after.unwrap())).await.body;
    assert!(html.contains("To reach older ones, add words or choose dates."), "{html}");

    // Dates reach the older ones; a search with fewer matches than the window says nothing.
    let ten_days_ago = (chrono::Utc::now() - chrono::Duration::days(10)).date_naive().to_string();
    let older: SearchPage =
        app.call::<SearchForums>(&member, &[("q", "gardening"), ("to", &ten_days_ago)]).await.json();
    assert_eq!(older.hits.len(), 20);
    assert!(older.hits.iter().all(|h| h.seq <= 41), "only the old posts");
    let few: SearchPage = app.call::<SearchForums>(&member, &[("q", "decompress")]).await.json();
    assert_eq!(few.hits.len(), 1);
    assert!(!few.older_left_out);
}

/// A search ranks the newest `SEARCH_WINDOW` matches wherever they are: all among the newest
/// posts (answered by the first pass), none of them, or some; by every route.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_search_ranks_the_newest_matches_however_old_they_are(pool: PgPool) {
    use app::forums::repo::{search_posts, RECENT_POSTS, SEARCH_WINDOW};
    use app::forums::search_words::SearchRoute;
    let app = spawn(pool).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Notes from the allotment", "Weeding, mostly.").await;
    let reader = app.user_id("sam@example.org").await;
    let newest_matches = || async {
        for route in [SearchRoute::NewestFirst, SearchRoute::ByIndex, SearchRoute::Planned] {
            newest_matches_with(&app, reader, route).await;
        }
    };
    async fn newest_matches_with(app: &TestApp, reader: i64, route: SearchRoute) {
        let mut conn = app.pool.acquire().await.unwrap();
        let filter = search_filter("gardening", reader, SEARCH_WINDOW, route);
        let mut rows = search_posts(&mut conn, &filter).await.unwrap();
        assert!(rows.iter().all(|r| r.ranked_count == SEARCH_WINDOW));
        let mut ids: Vec<i64> = rows.drain(..).map(|r| r.post_id).collect();
        ids.sort_unstable();
        let expected: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM (SELECT id FROM posts WHERE body LIKE 'Gardening%' ORDER BY id DESC LIMIT $1) x ORDER BY id",
        )
        .bind(SEARCH_WINDOW)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        assert_eq!(ids, expected, "{route:?}");
    }
    add_posts(&app.pool, thread, 250, "Gardening").await;
    add_posts(&app.pool, thread, RECENT_POSTS, "Weeding").await;
    newest_matches().await; // none among the newest posts
    add_posts(&app.pool, thread, 100, "Gardening").await;
    newest_matches().await; // some
    add_posts(&app.pool, thread, 150, "Gardening").await;
    newest_matches().await; // all
}

/// Every route of a search leaves out private communities the reader isn't in, and finds
/// their posts once the reader is a member.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_route_of_a_search_keeps_private_communities_private(pool: PgPool) {
    use app::forums::repo::search_posts;
    use app::forums::search_words::SearchRoute;
    let app = spawn(pool).await;
    let (admin, _member, id) = setup(&app, "supporters-only", true, false).await;
    start_thread(&app, &admin, id, "Confidential reflections", "the word lighthouse appears here").await;
    let reader = app.user_id("sam@example.org").await;
    let found = |route| {
        let pool = app.pool.clone();
        async move {
            let mut conn = pool.acquire().await.unwrap();
            let filter = search_filter("lighthouse", reader, 20, route);
            search_posts(&mut conn, &filter).await.unwrap().len()
        }
    };
    let routes = [SearchRoute::NewestFirst, SearchRoute::ByIndex, SearchRoute::Planned];
    for route in routes {
        assert_eq!(found(route).await, 0, "{route:?}");
    }
    sqlx::query("INSERT INTO community_members (community_id, user_id) VALUES ($1, $2)")
        .bind(id)
        .bind(reader)
        .execute(&app.pool)
        .await
        .unwrap();
    for route in routes {
        assert_eq!(found(route).await, 1, "{route:?}");
    }
}

/// A post's community is its thread's: the database refuses any other, and moves the posts
/// with their thread.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_post_belongs_to_its_thread_s_community(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Notes from the allotment", "Weeding, mostly.").await;
    let other = create_community(&app, &admin, "elsewhere", false, false).await;
    let wrong = sqlx::query(
        "INSERT INTO posts (thread_id, community_id, seq, author_id, body, body_html, search)
         SELECT id, $2, 99, author_id, 'x', '<p>x</p>', ''::tsvector FROM threads WHERE id = $1",
    )
    .bind(thread)
    .bind(other)
    .execute(&app.pool)
    .await;
    assert!(wrong.is_err_and(|e| e.to_string().contains("posts_thread_community_fkey")));
    sqlx::query("UPDATE threads SET community_id = $2 WHERE id = $1")
        .bind(thread)
        .bind(other)
        .execute(&app.pool)
        .await
        .unwrap();
    let moved: Vec<i64> = sqlx::query_scalar("SELECT community_id FROM posts WHERE thread_id = $1")
        .bind(thread)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(moved, [other]);
}

/// The prepared routes of a search have one plan each for every search, made on a forum's
/// first search (small, so a full read would look cheap): newest first, it must read the
/// newest posts by index and stop; by index, it must read posts through the GIN index only.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_prepared_routes_of_a_search_read_only_what_they_need(pool: PgPool) {
    use app::forums::repo::{
        SEARCH_RARE_SETTINGS, SEARCH_RARE_SQL, SEARCH_RECENT_SETTINGS, SEARCH_RECENT_SQL,
    };
    use sqlx::Connection;
    let app = spawn(pool).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Notes from the allotment", "Weeding, mostly.").await;
    add_posts(&app.pool, thread, 300, "Gardening").await;
    sqlx::query("ANALYZE").execute(&app.pool).await.unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    async fn plan_of(
        conn: &mut sqlx::PgConnection,
        settings: &'static str,
        sql: &str,
        words: &str,
    ) -> String {
        let mut tx = conn.begin_with(settings).await.unwrap();
        sqlx::query(&format!(
            "PREPARE search(text, bigint, boolean, bigint, bigint, timestamptz, timestamptz, real, bigint, bigint) \
             AS {sql}"
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
        let plan: Vec<String> = sqlx::query_scalar(&format!(
            "EXPLAIN EXECUTE search('{words}', 1, false, NULL, NULL, NULL, NULL, NULL, NULL, 20)"
        ))
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        sqlx::query("DEALLOCATE search").execute(&mut *tx).await.unwrap();
        tx.rollback().await.unwrap();
        plan.join("\n")
    }
    let plan = plan_of(&mut conn, SEARCH_RECENT_SETTINGS, SEARCH_RECENT_SQL, "gardening").await;
    assert!(plan.contains("Index Scan Backward using posts_pkey on posts p"), "{plan}");
    assert!(!plan.contains("Seq Scan on posts") && !plan.contains("Gather"), "{plan}");
    assert!(!plan.contains("posts_thread_id_seq_key"), "posts are not read thread by thread: {plan}");

    let plan = plan_of(&mut conn, SEARCH_RARE_SETTINGS, SEARCH_RARE_SQL, "zucchini").await;
    assert!(plan.contains("Bitmap Index Scan on posts_search_idx"), "{plan}");
    assert!(!plan.contains("JIT"), "never compiled (its cost counts disabled scans): {plan}");
    assert!(plan.contains("Bitmap Heap Scan on posts p"), "{plan}");
    assert!(!plan.contains("Index Scan Backward") && !plan.contains("Seq Scan on posts"), "{plan}");
}

/// How common words are comes from Postgres's statistics on the posts, and a search's words
/// are stemmed as Postgres stems them.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn how_common_words_are_is_read_from_postgres_statistics(pool: PgPool) {
    use app::forums::repo::find_lexeme_shares;
    use app::forums::search_words::{lexemes, route, SearchRoute, WordShares};
    let app = spawn(pool).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Notes from the allotment", "Weeding, mostly.").await;
    add_posts(&app.pool, thread, 300, "Gardening").await;
    add_posts(&app.pool, thread, 10, "Compost").await;
    sqlx::query("ANALYZE posts").execute(&app.pool).await.unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let shares = find_lexeme_shares(&mut conn).await.unwrap().expect("statistics after ANALYZE");
    let share = |w: &str| shares.iter().find(|(l, _)| l == w).map(|(_, s)| *s);
    assert!(share("garden").is_some_and(|s| s > 0.9), "{shares:?}");
    assert!(share("compost").is_some_and(|s| s < 0.1), "{shares:?}");
    assert!(shares.iter().all(|(l, _)| !l.is_empty()), "{shares:?}");
    let shares = WordShares::new(shares);
    assert_eq!(route("gardening", Some(&shares)), SearchRoute::NewestFirst);
    assert_eq!(route("compost", Some(&shares)), SearchRoute::Planned);
    assert_eq!(route("zucchini", Some(&shares)), SearchRoute::ByIndex);

    let words = "listening listened reflection reflective workshops supporting colleagues difficult \
                 conversations bystander intervention bullying resilience reorganisation mentoring \
                 mentees learning communities experiments feedback evaluation psychological safety \
                 Upstanders wellbeing night-shift cafés 2026";
    for word in words.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let postgres: Vec<String> =
            sqlx::query_scalar("SELECT unnest(tsvector_to_array(to_tsvector('english', $1)))")
                .bind(word)
                .fetch_all(&app.pool)
                .await
                .unwrap();
        assert_eq!(lexemes(word), postgres, "{word}");
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn forum_pages_render_on_the_server(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread =
        start_thread(&app, &member, id, "A title </title><script>alert(1)</script>", "Body **bold**").await;
    let list = app.get(&member, "/forums").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("New supporters"));
    let page = app.get(&member, &format!("/forums/t/{thread}")).await;
    assert!(page.body.contains("<strong>bold</strong>"));
    if let Some(i) = page.body.find("<script>alert(1)") {
        panic!("unescaped title at: {}", &page.body[i.saturating_sub(300)..(i + 60).min(page.body.len())]);
    }
    let anonymous = app.get(&client(), "/forums").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.body.contains("/login?next=%2Fforums"), "the sign-in link comes back here");
    assert_eq!(app.get(&member, "/forums/t/999999").await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn searching_is_throttled_per_person(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, _) = setup(&app, "new-supporters", false, false).await;
    for _ in 0..60 {
        let r = app.call::<SearchForums>(&member, &[("q", "listening")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = app.call::<SearchForums>(&member, &[("q", "listening")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.error().to_string().contains("a lot of searches"), "{}", r.body);
    let other = app.call::<SearchForums>(&admin, &[("q", "listening")]).await;
    assert_eq!(other.status, StatusCode::OK, "each person has their own allowance");
    let writes: i64 =
        sqlx::query_scalar("SELECT count(*) FROM rate_limit_windows WHERE bucket LIKE 'search:%'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(writes, 0, "searching writes nothing");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn thread_list_pages_follow_activity_without_gaps_or_repeats(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, member, id) = setup(&app, "new-supporters", false, false).await;
    // 70 threads, in pairs that were last active at the same moment (the id breaks the tie),
    // and 2 pinned ones.
    sqlx::query(
        "INSERT INTO threads (community_id, author_id, title, pinned, last_post_at)
         SELECT $1, (SELECT min(id) FROM users), 'Thread ' || g, g > 70,
                now() - make_interval(mins => g / 2)
         FROM generate_series(1, 72) g",
    )
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    let expected: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM threads WHERE community_id = $1 AND NOT pinned ORDER BY last_post_at DESC, id DESC",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut seen = Vec::new();
    let mut before: Option<String> = None;
    for page_number in 0.. {
        let mut args = vec![("slug", "new-supporters".to_owned())];
        args.extend(before.clone().map(|b| ("before", b)));
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page: CommunityPage = app.call::<GetCommunityPage>(&member, &args).await.json();
        assert_eq!(page.pinned.len(), if page_number == 0 { 2 } else { 0 }, "pinned on the first page only");
        seen.extend(page.threads.iter().map(|t| t.id));
        match page.next {
            Some(next) => {
                assert_eq!(page.threads.len() as i64, THREADS_PER_PAGE);
                before = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(seen, expected);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn admins_reorder_communities(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, first) = setup(&app, "first", false, false).await;
    let second = create_community(&app, &admin, "second", false, false).await;
    let third = create_community(&app, &admin, "third", false, false).await;
    let order =
        |list: Vec<app::forums::types::CommunitySummary>| list.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let listed = app.call::<ListCommunities>(&member, &[]).await.json();
    assert_eq!(order(listed), [first, second, third]);
    let up = [("id", third.to_string()), ("direction", "up".to_owned())];
    let up: Vec<(&str, &str)> = up.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<MoveCommunity>(&member, &up).await.status, StatusCode::FORBIDDEN);
    assert!(app.call::<MoveCommunity>(&admin, &up).await.status.is_success());
    assert_eq!(order(app.call::<ListCommunities>(&member, &[]).await.json()), [first, third, second]);
    let down = [("id", first.to_string()), ("direction", "down".to_owned())];
    let down: Vec<(&str, &str)> = down.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(app.call::<MoveCommunity>(&admin, &down).await.status.is_success());
    assert_eq!(order(app.call::<ListCommunities>(&member, &[]).await.json()), [third, first, second]);
    // Moving the first up (or the last down) changes nothing; a bad direction is refused.
    assert!(app
        .call::<MoveCommunity>(&admin, &[("id", &third.to_string()), ("direction", "up")])
        .await
        .status
        .is_success());
    assert_eq!(order(app.call::<ListCommunities>(&member, &[]).await.json()), [third, first, second]);
    let r = app.call::<MoveCommunity>(&admin, &[("id", &third.to_string()), ("direction", "sideways")]).await;
    assert!(r.error().field_error("direction").is_some());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn admins_edit_communities(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    create_community(&app, &admin, "taken", false, false).await;
    let id = id.to_string();
    let form = |slug: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("id", id.clone()),
            ("slug", slug.to_owned()),
            ("name", "First steps".to_owned()),
            ("description", "Renamed.".to_owned()),
            ("colour", "#6b4f8a".to_owned()),
            ("visibility", "public".to_owned()),
            ("join_policy", "open".to_owned()),
            ("allow_anonymous", "on".to_owned()),
        ]
    };
    let (ok, taken) = (form("first-steps"), form("taken"));
    let ok: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let taken: Vec<(&str, &str)> = taken.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<UpdateCommunity>(&member, &ok).await.status, StatusCode::FORBIDDEN);
    let r = app.call::<UpdateCommunity>(&admin, &taken).await;
    assert!(r.error().field_error("slug").unwrap().contains("already"));
    assert!(app.call::<UpdateCommunity>(&admin, &ok).await.status.is_success());
    let page: CommunityPage = app.call::<GetCommunityPage>(&member, &[("slug", "first-steps")]).await.json();
    assert_eq!(page.community.name, "First steps");
    assert!(page.community.allow_anonymous);
    assert!(!page.can_manage);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn unread_posts_are_counted_and_marked(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, id) = setup(&app, "new-supporters", false, false).await;
    let thread = start_thread(&app, &member, id, "Checking in", "How is everyone?").await;
    let listing = |c: Client| {
        let app = &app;
        async move {
            let page: CommunityPage =
                app.call::<GetCommunityPage>(&c, &[("slug", "new-supporters")]).await.json();
            page.threads.into_iter().next().unwrap()
        }
    };
    assert_eq!(listing(admin.clone()).await.unread, None, "never opened");
    let first_visit = thread_page(&app, &admin, thread).await;
    assert_eq!(first_visit.read_up_to, None);
    assert_eq!(listing(admin.clone()).await.unread, Some(0));
    reply(&app, &member, thread, "Doing well, thanks.").await;
    reply(&app, &member, thread, "And you?").await;
    let row = listing(admin.clone()).await;
    assert_eq!((row.unread, row.first_unread_seq), (Some(2), Some(2)));
    let second_visit = thread_page(&app, &admin, thread).await;
    assert_eq!(second_visit.read_up_to, Some(1), "posts after #1 are new on this visit");
    assert_eq!(listing(admin.clone()).await.unread, Some(0));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn mention_suggestions_match_handles_by_prefix(pool: PgPool) {
    use app::forums::types::MentionSuggestions;
    let app = spawn(pool).await;
    let (_admin, member, _) = setup(&app, "new-supporters", false, false).await;
    app.register("Sam Okafor", "okafor@example.org").await;
    app.register("Samira_Lind", "samira@example.org").await;
    app.register("Sam (he/him)", "sam-he@example.org").await;
    let suggest = |prefix: &'static str| {
        let (app, member) = (&app, member.clone());
        async move {
            let r = app.call::<SuggestMentions>(&member, &[("prefix", prefix)]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let answer: MentionSuggestions = r.json();
            assert_eq!(
                answer.prefix,
                prefix.trim_start_matches('@').to_lowercase(),
                "answers say what they answer"
            );
            answer.people.into_iter().map(|s| s.handle).collect::<Vec<_>>()
        }
    };
    // Alphabetical by handle; a name that can't be written as one handle is left out.
    assert_eq!(suggest("sam").await, vec!["Sam", "Sam_Okafor", "Samira_Lind"]);
    assert_eq!(suggest("@SAM_").await, vec!["Sam_Okafor"], "'_' is a space, not a wildcard");
    assert_eq!(suggest("%").await, Vec::<String>::new());
    assert_eq!(suggest("").await, Vec::<String>::new());
    let anonymous = app.call::<SuggestMentions>(&client(), &[("prefix", "sam")]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn thread_page_extras_respect_who_is_asking(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, member, community) = setup(&app, "new-supporters", false, false).await;
    let private = create_community(&app, &admin, "facilitators", true, false).await;
    let secret = start_thread(&app, &admin, private, "Facilitators only", "Planning notes.").await;
    let thread = start_thread(&app, &admin, community, "Open thread", "Hello all.").await;
    let post_of = |t: i64| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM posts WHERE thread_id = $1 AND seq = 1")
                .bind(t)
                .fetch_one(&pool)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (admins_post, secret_post) = (post_of(thread).await, post_of(secret).await);
    let t = thread.to_string();
    let page: ThreadPage = app
        .call::<GetThreadPage>(
            &member,
            &[("thread_id", &t), ("edit", &admins_post), ("history", &admins_post), ("quote", &secret_post)],
        )
        .await
        .json();
    assert_eq!(page.editing, None, "nobody edits someone else's post");
    assert_eq!(page.history, None, "edit history is for moderators");
    assert_eq!(page.quoting, None, "a post from another (private) thread can't be quoted");
    assert!(!page.composer.contains("Planning notes."), "and its text never leaks");
    let own: ThreadPage =
        app.call::<GetThreadPage>(&admin, &[("thread_id", &t), ("edit", &admins_post)]).await.json();
    assert_eq!(own.editing.map(|(_, body)| body).as_deref(), Some("Hello all."));

    // Text Postgres can't store is refused as bad input, never a server error.
    let r = reply(&app, &member, thread, "a\u{0}b").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}
