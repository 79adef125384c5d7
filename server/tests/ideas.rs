//! The idea board over real HTTP against a fresh Postgres per test: proposing, the vote
//! budget (also under concurrent votes), the lifecycle's transition table, merging without
//! double counting, results and lessons learned, comments and notifications.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod common;

use app::ideas::api::*;
use app::ideas::types::{IdeaBoard, IdeaDetail, IdeaStatus, LessonsPage};
use app::notifications::api::ListNotifications;
use app::notifications::types::{NotificationKind, NotificationPage};
use common::{client, spawn, TestApp};
use reqwest::{Client, StatusCode};
use sqlx::PgPool;

const HYPOTHESIS: &str = "We believe a weekly buddy check-in will help new hires speak up sooner.";

async fn propose(app: &TestApp, c: &Client, title: &str) -> i64 {
    let r = app
        .call::<ProposeIdea>(
            c,
            &[
                ("title", title),
                ("problem", "New hires don't know who to talk to when something feels wrong."),
                ("experiment", "Pair each new hire with a trained peer for six weeks."),
                ("hypothesis", HYPOTHESIS),
                ("measure", "A short survey at weeks 1 and 6; concerns raised early."),
                ("tags", "onboarding, buddies"),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    sqlx::query_scalar("SELECT id FROM ideas WHERE title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn vote(app: &TestApp, c: &Client, idea: i64, on: bool) -> common::Reply {
    app.call::<VoteIdea>(c, &[("idea_id", &idea.to_string()), ("on", if on { "true" } else { "false" })])
        .await
}

async fn idea(app: &TestApp, c: &Client, id: i64) -> IdeaDetail {
    let r = app.call::<GetIdea>(c, &[("id", &id.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn board(app: &TestApp, c: &Client, form: &[(&str, &str)]) -> IdeaBoard {
    let r = app.call::<ListIdeas>(c, form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn move_to(app: &TestApp, c: &Client, idea: i64, to: &str, extra: &[(&str, &str)]) -> common::Reply {
    let id = idea.to_string();
    let mut form = vec![
        ("idea_id", id.as_str()),
        ("to", to),
        ("note", "Moving on: plenty of support and a clear plan."),
    ];
    form.extend_from_slice(extra);
    app.call::<MoveIdea>(c, &form).await
}

/// An admin (first account), a moderator and two members.
async fn people(app: &TestApp) -> (Client, Client, Client, Client) {
    let admin = app.register("Jordan", "jordan@example.org").await;
    let moderator = app.register("Morgan", "morgan@example.org").await;
    sqlx::query("UPDATE users SET role = 'moderator' WHERE email = 'morgan@example.org'")
        .execute(&app.pool)
        .await
        .unwrap();
    let sam = app.register("Sam", "sam@example.org").await;
    let lena = app.register("Lena", "lena@example.org").await;
    (admin, moderator, sam, lena)
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn proposing_checks_every_field_and_is_rate_limited(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, _moderator, sam, _lena) = people(&app).await;
    let bad = [
        ("title", "Hi"),
        ("problem", " "),
        ("experiment", "Try it."),
        ("hypothesis", "It is good."),
        ("measure", ""),
        ("tags", ""),
    ];
    assert_eq!(app.call::<ProposeIdea>(&client(), &bad).await.status, StatusCode::UNAUTHORIZED);
    let err = app.call::<ProposeIdea>(&sam, &bad).await.error();
    for field in ["title", "problem", "hypothesis", "measure"] {
        assert!(err.field_error(field).is_some(), "{field}: {err:?}");
    }
    assert_eq!(err.field_value("experiment").as_deref(), Some("Try it."), "what was typed is kept");
    let id = propose(&app, &sam, "Buddy check-ins for new hires").await;
    let page = idea(&app, &sam, id).await;
    assert_eq!(page.status, IdeaStatus::Proposed);
    assert!(page.following, "the author follows their idea");
    assert!(page.problem_html.contains("<p>"), "markdown is rendered");
    for i in 2..=5 {
        propose(&app, &sam, &format!("Another experiment {i}")).await;
    }
    let r = app
        .call::<ProposeIdea>(
            &sam,
            &[
                ("title", "One too many"),
                ("problem", "p"),
                ("experiment", "e"),
                ("hypothesis", HYPOTHESIS),
                ("measure", "m"),
                ("tags", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    sqlx::query(
        "UPDATE users SET suspended_until = now() + interval '1 day' WHERE email = 'lena@example.org'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let lena = app.login("lena@example.org").await;
    assert_eq!(
        vote(&app, &lena, id, true).await.status,
        StatusCode::FORBIDDEN,
        "suspended people don't vote"
    );
    let proposal = [
        ("title", "While paused"),
        ("problem", "p"),
        ("experiment", "e"),
        ("hypothesis", HYPOTHESIS),
        ("measure", "m"),
        ("tags", ""),
    ];
    assert_eq!(app.call::<ProposeIdea>(&lena, &proposal).await.status, StatusCode::FORBIDDEN, "nor propose");
    let comment = [("idea_id", id.to_string()), ("body", "While paused".to_owned())];
    let comment: Vec<(&str, &str)> = comment.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<CommentIdea>(&lena, &comment).await.status, StatusCode::FORBIDDEN, "nor comment");

    // Oversized long fields are refused next to the field, and what was typed comes back.
    let long = "x".repeat(app::ideas::policy::LONG_MAX + 1);
    let measure = "m".repeat(app::ideas::policy::MEASURE_MAX + 1);
    let too_long = [
        ("title", "Long-winded"),
        ("problem", long.as_str()),
        ("experiment", long.as_str()),
        ("hypothesis", HYPOTHESIS),
        ("measure", measure.as_str()),
        ("tags", ""),
    ];
    let err = app.call::<ProposeIdea>(&sam, &too_long).await.error();
    for field in ["problem", "experiment", "measure"] {
        assert!(err.field_error(field).is_some_and(|m| m.contains("under")), "{field}: {err:?}");
    }
    // (The echo that refills the form without JavaScript is bounded: it travels in an address.)
    assert!(err.field_value("problem").is_some_and(|p| !p.is_empty() && long.starts_with(&p)));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn votes_are_one_per_person_within_a_budget_even_when_concurrent(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, moderator, sam, lena) = people(&app).await;
    let mut ideas = Vec::new();
    for i in 1..=5 {
        ideas.push(propose(&app, &lena, &format!("Experiment number {i}")).await);
    }
    // Ten simultaneous votes by one person on one idea: one vote.
    let same: Vec<_> = (0..10).map(|_| vote(&app, &sam, ideas[0], true)).collect();
    for r in futures::future::join_all(same).await {
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
    }
    assert_eq!(idea(&app, &sam, ideas[0]).await.votes, 1);
    assert!(idea(&app, &sam, ideas[0]).await.voted);
    // Toggling off and on again.
    assert!(vote(&app, &sam, ideas[0], false).await.status.is_success());
    assert_eq!(idea(&app, &sam, ideas[0]).await.votes, 0);

    // Only admins set the budget; then 2 votes each.
    let two = [("budget", "2")];
    assert_eq!(app.call::<SetVoteBudget>(&moderator, &two).await.status, StatusCode::FORBIDDEN);
    assert!(app
        .call::<SetVoteBudget>(&admin, &[("budget", "0")])
        .await
        .error()
        .field_error("budget")
        .is_some());
    assert!(app.call::<SetVoteBudget>(&admin, &two).await.status.is_success());
    // Five simultaneous votes on five ideas: exactly two land.
    let racing: Vec<_> = ideas.iter().map(|i| vote(&app, &sam, *i, true)).collect();
    let results = futures::future::join_all(racing).await;
    let landed = results.iter().filter(|r| r.status.is_success()).count();
    assert_eq!(landed, 2, "{:?}", results.iter().map(|r| (r.status, r.body.clone())).collect::<Vec<_>>());
    let refused = results.iter().find(|r| r.status == StatusCode::CONFLICT).unwrap();
    assert!(refused.body.contains("used all 2 of your votes"), "{}", refused.body);
    let b = board(&app, &sam, &[]).await;
    assert_eq!((b.budget.used, b.budget.total), (2, 2));
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM idea_votes v JOIN users u ON u.id = v.user_id WHERE u.email = 'sam@example.org'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 2);
    let voted = board(&app, &sam, &[("voted", "on")]).await;
    assert_eq!(voted.ideas.len(), 2);
    assert!(voted.ideas.iter().all(|i| i.voted));
    assert_eq!(board(&app, &lena, &[("mine", "on")]).await.ideas.len(), 5);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_lifecycle_follows_the_transition_table_to_lessons_learned(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, moderator, sam, lena) = people(&app).await;
    let id = propose(&app, &lena, "Buddy check-ins for new hires").await;
    assert!(vote(&app, &sam, id, true).await.status.is_success());
    assert_eq!(move_to(&app, &sam, id, "under_review", &[]).await.status, StatusCode::FORBIDDEN);
    let r = move_to(&app, &moderator, id, "running", &[]).await;
    assert!(r.error().field_error("to").unwrap().contains("can't move straight"), "{}", r.body);
    let r = move_to(&app, &moderator, id, "evaluated", &[]).await;
    assert!(r.error().field_error("to").unwrap().contains("results"));
    let empty_note = app
        .call::<MoveIdea>(&moderator, &[("idea_id", &id.to_string()), ("to", "under_review"), ("note", " ")])
        .await;
    assert!(empty_note.error().field_error("note").is_some());
    assert!(move_to(&app, &moderator, id, "under_review", &[]).await.status.is_success());
    assert!(move_to(&app, &moderator, id, "approved", &[]).await.status.is_success());
    // Running needs an owner and a start; the end can't come before it.
    let r = move_to(
        &app,
        &moderator,
        id,
        "running",
        &[("owner_email", "nobody@example.org"), ("started_on", "2027-01-04")],
    )
    .await;
    assert!(r.error().field_error("owner_email").is_some());
    let r = move_to(
        &app,
        &moderator,
        id,
        "running",
        &[("owner_email", "lena@example.org"), ("started_on", "2027-01-04"), ("planned_end", "2026-12-01")],
    )
    .await;
    assert!(r.error().field_error("planned_end").is_some());
    // Co-owners run it with the owner: each must have an account.
    let start =
        [("owner_email", "lena@example.org"), ("started_on", "2027-01-04"), ("planned_end", "2027-02-15")];
    let r = move_to(
        &app,
        &moderator,
        id,
        "running",
        &[&start[..], &[("co_owner_emails", "sam@example.org, nobody@example.org")]].concat(),
    )
    .await;
    assert!(r.error().field_error("co_owner_emails").unwrap().contains("nobody@example.org"), "{}", r.body);
    assert_eq!(idea(&app, &sam, id).await.status, IdeaStatus::Approved, "nothing changed");
    let co = [("co_owner_emails", "morgan@example.org, sam@example.org, LENA@example.org, sam@example.org")];
    let r = move_to(&app, &moderator, id, "running", &[&start[..], &co[..]].concat()).await;
    assert!(r.status.is_success(), "{}", r.body);
    let running = idea(&app, &sam, id).await;
    assert_eq!(running.status, IdeaStatus::Running);
    assert_eq!(running.run.as_ref().unwrap().owner, "Lena");
    assert_eq!(
        running.run.as_ref().unwrap().co_owners,
        ["Morgan", "Sam"],
        "in order, once each, not the owner"
    );
    let html = app.get(&sam, &format!("/ideas/{id}")).await.body;
    assert!(
        html.contains("Run by Lena with Morgan and Sam, from 4 January 2027"),
        "the page says who runs it"
    );
    assert_eq!(running.history.len(), 3);
    assert_eq!(board(&app, &sam, &[]).await.budget.used, 1);

    let results = |rec: &'static str| {
        vec![
            ("idea_id", id.to_string()),
            ("happened", "Twelve pairs met weekly; two stopped after week three.".to_owned()),
            ("data", "Survey: feeling able to speak up went from 41% to 68%.".to_owned()),
            ("learned", "Pairs outside the same team worked best.".to_owned()),
            ("recommendation", rec.to_owned()),
            ("note", "Evaluated after six weeks.".to_owned()),
        ]
    };
    let call = |form: Vec<(&'static str, String)>, c: Client| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call::<RecordResults>(&c, &form).await
        }
    };
    assert_eq!(call(results("adopt"), sam.clone()).await.status, StatusCode::FORBIDDEN);
    assert!(call(results("maybe"), moderator.clone()).await.error().field_error("recommendation").is_some());
    assert!(call(results("adapt"), moderator.clone()).await.status.is_success());
    let evaluated = idea(&app, &sam, id).await;
    assert_eq!(evaluated.status, IdeaStatus::Evaluated);
    assert!(evaluated.results.as_ref().unwrap().learned_html.contains("outside the same team"));
    assert!(evaluated.next_statuses.is_empty());
    // Its vote went back to Sam's budget, and no more votes are taken.
    assert_eq!(board(&app, &sam, &[]).await.budget.used, 0);
    assert_eq!(vote(&app, &sam, id, true).await.status, StatusCode::CONFLICT);
    assert!(move_to(&app, &moderator, id, "declined", &[])
        .await
        .error()
        .field_error("to")
        .unwrap()
        .contains("finished"));
    let lessons: LessonsPage = app.call::<ListLessons>(&sam, &[]).await.json();
    assert_eq!(lessons.lessons.len(), 1);
    assert_eq!(lessons.lessons[0].title, "Buddy check-ins for new hires");

    // The voter (a follower) heard about every move, the results included.
    let inbox: NotificationPage = app.call::<ListNotifications>(&sam, &[]).await.json();
    let moves: Vec<_> = inbox.items.iter().filter(|n| n.kind == NotificationKind::IdeaStatus).collect();
    assert_eq!(moves.len(), 4);
    assert!(moves[0].sentence().starts_with("Results are in"), "{}", moves[0].sentence());
    assert_eq!(moves[0].href, format!("/ideas/{id}#history"));

    // Server-rendered pages.
    let html = app.get(&sam, &format!("/ideas/{id}")).await.body;
    assert!(html.contains("Results") && html.contains("Adapt it and try again"));
    let html = app.get(&sam, "/ideas/lessons").await.body;
    assert!(html.contains("Pairs outside the same team worked best."));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn merging_moves_votes_without_counting_anyone_twice(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, moderator, sam, lena) = people(&app).await;
    let third = app.register("Aiko", "aiko@example.org").await;
    let a = propose(&app, &lena, "Lunchtime listening circles").await;
    let b = propose(&app, &lena, "Listening circles at lunch").await;
    let declined = propose(&app, &lena, "Something we won't do").await;
    for (c, i) in [(&sam, a), (&lena, a), (&lena, b), (&third, b)] {
        assert!(vote(&app, c, i, true).await.status.is_success());
    }
    assert!(move_to(&app, &moderator, declined, "declined", &[]).await.status.is_success());
    let r = move_to(&app, &moderator, a, "merged", &[("merge_into", &a.to_string())]).await;
    assert!(r.error().field_error("merge_into").unwrap().contains("itself"));
    let r = move_to(&app, &moderator, a, "merged", &[("merge_into", &declined.to_string())]).await;
    assert!(r.error().field_error("merge_into").is_some(), "not into a closed idea");
    let r = move_to(&app, &moderator, a, "merged", &[("merge_into", "999999")]).await;
    assert!(r.error().field_error("merge_into").is_some());
    assert!(move_to(&app, &moderator, a, "merged", &[("merge_into", &format!("#{b}"))])
        .await
        .status
        .is_success());

    let target = idea(&app, &sam, b).await;
    assert_eq!(target.votes, 3, "Sam's vote moved; Lena's two votes became one");
    assert!(target.voted && target.following, "Sam's vote and following moved too");
    assert_eq!(board(&app, &lena, &[]).await.budget.used, 1, "Lena's duplicate vote came back");
    assert_eq!(board(&app, &sam, &[]).await.budget.used, 1);
    let merged = idea(&app, &sam, a).await;
    assert_eq!(merged.merged_into, Some(b));
    assert_eq!(merged.votes, 0);
    let r = move_to(&app, &moderator, b, "merged", &[("merge_into", &a.to_string())]).await;
    assert!(r.error().field_error("merge_into").is_some(), "not into a merged idea");
    assert!(board(&app, &sam, &[]).await.ideas.iter().all(|i| i.id != a), "merged ideas leave the board");
    // The merged idea's page sends browsers to where it went.
    let r = sam.get(format!("{}/ideas/{a}", app.base)).header("accept", "text/html").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(r.headers()["location"].to_str().unwrap(), format!("/ideas/{b}?notice=idea-merged"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn comments_notify_followers_and_mentions_and_work_without_javascript(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, _moderator, sam, lena) = people(&app).await;
    let id = propose(&app, &lena, "Buddy check-ins for new hires").await;
    let i = id.to_string();
    let r = app.call::<CommentIdea>(&sam, &[("idea_id", &i), ("body", "")]).await;
    assert!(r.error().field_error("body").is_some());
    // A browser without JavaScript posts the form and lands on the comment.
    let r = app
        .post_html::<CommentIdea>(
            &sam,
            &format!("/ideas/{id}"),
            &[("idea_id", &i), ("body", "Yes please, @Morgan.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(r.headers["location"].to_str().unwrap().starts_with(&format!("/ideas/{id}?comment=")));
    let detail = idea(&app, &lena, id).await;
    assert_eq!(detail.comments.len(), 1);
    assert!(detail.comments[0].body_html.contains("Yes please"));
    let lenas: NotificationPage = app.call::<ListNotifications>(&lena, &[]).await.json();
    assert_eq!(lenas.items[0].kind, NotificationKind::IdeaComment);
    assert_eq!(lenas.items[0].sentence(), "Sam commented on “Buddy check-ins for new hires”");
    let morgan = app.login("morgan@example.org").await;
    let morgans: NotificationPage = app.call::<ListNotifications>(&morgan, &[]).await.json();
    assert_eq!(morgans.items[0].kind, NotificationKind::IdeaMention);
    let sams: NotificationPage = app.call::<ListNotifications>(&sam, &[]).await.json();
    assert!(sams.items.is_empty(), "nobody is notified of their own comment");
    // Without JavaScript, "Preview" keeps the comment as a draft and shows it rendered.
    let r = app
        .post_html::<app::drafts::api::SaveDraft>(
            &sam,
            &format!("/ideas/{id}"),
            &[
                ("idea_id", &i),
                ("place", "idea_comment"),
                ("target_id", &i),
                ("body", "**Gladly**"),
                ("preview", "1"),
            ],
        )
        .await;
    assert_eq!(r.headers["location"].to_str().unwrap(), format!("/ideas/{id}?notice=draft-preview"));
    let html = app.get(&sam, &format!("/ideas/{id}?notice=draft-preview")).await.body;
    assert!(
        html.contains("<strong>Gladly</strong>") && html.contains("**Gladly**"),
        "preview and the kept draft"
    );
    // Voting without JavaScript too.
    let r =
        app.post_html::<VoteIdea>(&morgan, &format!("/ideas/{id}"), &[("idea_id", &i), ("on", "true")]).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(idea(&app, &lena, id).await.votes, 1);
    let html = app.get(&sam, "/ideas").await.body;
    assert!(html.contains("Buddy check-ins for new hires") && html.contains("1 vote"));
    assert_eq!(app.get(&client(), "/ideas").await.status, StatusCode::UNAUTHORIZED);
}

/// Every kept-on-write counter agrees with the rows it counts.
async fn assert_counters_agree(pool: &PgPool) {
    let ideas: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ideas i WHERE i.vote_count <> (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let budgets: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users u WHERE coalesce((SELECT open_votes FROM idea_vote_budgets b WHERE b.user_id = u.id), 0)
         <> (SELECT count(*) FROM idea_votes v WHERE v.user_id = u.id AND v.open)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((ideas, budgets), (0, 0), "vote counts and budgets match the votes");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn merges_work_over_a_lowered_budget_and_never_deadlock(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, moderator, sam, lena) = people(&app).await;
    let mut ids = Vec::new();
    for i in 1..=4 {
        let id = propose(&app, &lena, &format!("Experiment number {i}")).await;
        assert!(vote(&app, &sam, id, true).await.status.is_success());
        ids.push(id);
    }
    // The budget is lowered below what Sam already uses: merging still works.
    assert!(app.call::<SetVoteBudget>(&admin, &[("budget", "2")]).await.status.is_success());
    assert!(move_to(&app, &moderator, ids[0], "merged", &[("merge_into", &ids[1].to_string())])
        .await
        .status
        .is_success());
    assert_eq!(idea(&app, &sam, ids[1]).await.votes, 1);
    assert_counters_agree(&app.pool).await;
    // Opposite merges at the same moment: one lands, the other is refused, nothing fails.
    let (a, b) = (ids[2], ids[3]);
    let (into_b, into_a) = ([("merge_into", b.to_string())], [("merge_into", a.to_string())]);
    let (into_b, into_a) = ([(into_b[0].0, into_b[0].1.as_str())], [(into_a[0].0, into_a[0].1.as_str())]);
    let (r1, r2) = tokio::join!(
        move_to(&app, &moderator, a, "merged", &into_b),
        move_to(&app, &moderator, b, "merged", &into_a),
    );
    let statuses = [r1.status, r2.status];
    assert_eq!(statuses.iter().filter(|s| s.is_success()).count(), 1, "{statuses:?} {} {}", r1.body, r2.body);
    assert!(statuses.iter().all(|s| s.as_u16() < 500), "{statuses:?}");
    assert_counters_agree(&app.pool).await;
    // A running experiment that had to stop is declined, and its votes come back.
    let c = propose(&app, &lena, "An experiment that stops").await;
    assert!(app.call::<SetVoteBudget>(&admin, &[("budget", "10")]).await.status.is_success());
    assert!(vote(&app, &sam, c, true).await.status.is_success());
    let used = board(&app, &sam, &[]).await.budget.used;
    for (to, extra) in [
        ("under_review", vec![]),
        ("approved", vec![]),
        ("running", vec![("owner_email", "lena@example.org"), ("started_on", "2027-01-04")]),
        ("declined", vec![]),
    ] {
        let r = move_to(&app, &moderator, c, to, &extra).await;
        assert!(r.status.is_success(), "{to}: {}", r.body);
    }
    assert_eq!(board(&app, &sam, &[]).await.budget.used, used - 1);
    assert_counters_agree(&app.pool).await;
    // Dates outside any sensible range are refused as input, not failures.
    let d = propose(&app, &sam, "Dates far away").await;
    move_to(&app, &moderator, d, "under_review", &[]).await;
    move_to(&app, &moderator, d, "approved", &[]).await;
    let r = move_to(
        &app,
        &moderator,
        d,
        "running",
        &[("owner_email", "sam@example.org"), ("started_on", "-5000-01-01")],
    )
    .await;
    assert!(r.error().field_error("started_on").is_some(), "{}", r.body);
    let r = app.call::<ListLessons>(&sam, &[("after", "-250000000000000000_1")]).await;
    assert_eq!(r.status, StatusCode::OK, "a made-up cursor is ignored: {}", r.body);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn board_pages_follow_every_order_without_gaps_or_repeats(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, _moderator, sam, _lena) = people(&app).await;
    // 60 ideas (written directly: proposing is rate limited), many with equal vote counts.
    sqlx::query(
        "INSERT INTO ideas (author_id, title, problem, problem_html, experiment, experiment_html, hypothesis,
                            measure, measure_html, vote_count, comment_count)
         SELECT (SELECT id FROM users WHERE email = 'lena@example.org'), 'Idea ' || g, 'p', '<p>p</p>', 'e',
                '<p>e</p>', 'We believe it will help.', 'm', '<p>m</p>', g % 3, g % 2
         FROM generate_series(1, 60) g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for sort in ["trending", "top", "new", "discussed"] {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut form = vec![("sort", sort.to_owned())];
            if let Some(a) = &after {
                form.push(("after", a.clone()));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = board(&app, &sam, &form).await;
            seen.extend(page.ideas.iter().map(|i| i.id));
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (60, 60), "{sort}: every idea once");
    }
    let top = board(&app, &sam, &[("sort", "top")]).await;
    assert!(top.ideas.windows(2).all(|w| w[0].votes >= w[1].votes), "top is ordered by votes");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn commenters_and_those_who_follow_hear_of_every_move(pool: PgPool) {
    let app = spawn(pool).await;
    let (admin, moderator, sam, lena) = people(&app).await;
    let id = propose(&app, &sam, "A check-in ritual after hard meetings").await;
    let i = id.to_string();
    let c =
        app.call::<CommentIdea>(&lena, &[("idea_id", &i), ("body", "We could try it in our team.")]).await;
    assert!(c.status.is_success() || c.status.is_redirection(), "{}", c.body);
    let f = app.call::<FollowIdea>(&admin, &[("idea_id", &i), ("on", "true")]).await;
    assert!(f.status.is_success() || f.status.is_redirection(), "{}", f.body);
    assert!(move_to(&app, &moderator, id, "under_review", &[]).await.status.is_success());
    let moves =
        |p: NotificationPage| p.items.iter().filter(|n| n.kind == NotificationKind::IdeaStatus).count();
    assert_eq!(moves(app.call::<ListNotifications>(&sam, &[]).await.json()), 1, "the author");
    assert_eq!(moves(app.call::<ListNotifications>(&lena, &[]).await.json()), 1, "a commenter");
    assert_eq!(moves(app.call::<ListNotifications>(&admin, &[]).await.json()), 1, "a follower");
    // Unfollowing stops them; people who never followed (the moderator here) hear nothing.
    app.call::<FollowIdea>(&admin, &[("idea_id", &i), ("on", "false")]).await;
    assert!(move_to(&app, &moderator, id, "approved", &[]).await.status.is_success());
    assert_eq!(moves(app.call::<ListNotifications>(&admin, &[]).await.json()), 1);
    assert_eq!(moves(app.call::<ListNotifications>(&lena, &[]).await.json()), 2);
    assert_eq!(moves(app.call::<ListNotifications>(&moderator, &[]).await.json()), 0);
    assert_eq!(
        app.call::<FollowIdea>(&client(), &[("idea_id", &i), ("on", "true")]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_board_orders_by_activity_and_filters_by_status_and_tag(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, moderator, sam, lena) = people(&app).await;
    // Three ideas of different ages, statuses, tags and discussions (written directly).
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO ideas (author_id, title, problem, problem_html, experiment, experiment_html, hypothesis,
                            measure, measure_html, status, tags, comment_count, created_at)
         SELECT (SELECT id FROM users WHERE email = 'lena@example.org'), t, 'p', '<p>p</p>', 'e', '<p>e</p>',
                'We believe it will help.', 'm', '<p>m</p>', s::idea_status, tg, cc, now() - make_interval(days => age)
         FROM (VALUES ('Buddy system', 'approved', ARRAY['buddy'], 5, 3),
                      ('Buddy workshops', 'proposed', ARRAY['buddy', 'workshop'], 0, 1),
                      ('Workshop format', 'proposed', ARRAY['workshop'], 9, 0)) v(t, s, tg, cc, age)
         ORDER BY age DESC
         RETURNING id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let (buddy, both, workshop) = (ids[0], ids[1], ids[2]);
    // Recent votes drive trending: three for the oldest idea, one for another.
    for c in [&moderator, &sam, &lena] {
        assert!(vote(&app, c, buddy, true).await.status.is_success());
    }
    assert!(vote(&app, &sam, both, true).await.status.is_success());
    let titles = |b: IdeaBoard| b.ideas.into_iter().map(|i| i.id).collect::<Vec<_>>();
    assert_eq!(titles(board(&app, &sam, &[("sort", "trending")]).await), [buddy, both, workshop]);
    assert_eq!(titles(board(&app, &sam, &[("sort", "new")]).await), [workshop, both, buddy]);
    assert_eq!(titles(board(&app, &sam, &[("sort", "discussed")]).await), [workshop, buddy, both]);
    assert_eq!(titles(board(&app, &sam, &[("sort", "top")]).await), [buddy, both, workshop]);
    assert_eq!(titles(board(&app, &sam, &[("status", "approved")]).await), [buddy]);
    assert_eq!(titles(board(&app, &sam, &[("sort", "new"), ("tag", "Buddy")]).await), [both, buddy]);
    assert_eq!(
        titles(board(&app, &sam, &[("sort", "new"), ("status", "proposed"), ("tag", "workshop")]).await),
        [workshop, both]
    );
    let html = app.get(&sam, "/ideas?status=approved").await.body;
    assert!(html.contains("Buddy system") && !html.contains("Workshop format"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn proposal_drafts_are_kept_previewed_and_cleared_by_proposing(pool: PgPool) {
    use app::ideas::types::ProposalDraft;
    let app = spawn(pool).await;
    let (_admin, _moderator, sam, lena) = people(&app).await;
    let form = [
        ("title", "Buddy check-ins"),
        ("problem", "Half a **thought**"),
        ("experiment", ""),
        ("hypothesis", ""),
        ("measure", ""),
        ("tags", ""),
    ];
    assert_eq!(app.call::<SaveProposalDraft>(&client(), &form).await.status, StatusCode::UNAUTHORIZED);
    assert!(app.call::<SaveProposalDraft>(&sam, &form).await.status.is_success());
    let kept: ProposalDraft = app.call::<GetProposalDraft>(&sam, &[]).await.json();
    assert_eq!(
        (kept.title.as_str(), kept.problem.as_str(), kept.preview),
        ("Buddy check-ins", "Half a **thought**", None)
    );
    let theirs: ProposalDraft = app.call::<GetProposalDraft>(&lena, &[]).await.json();
    assert_eq!(theirs, ProposalDraft::default(), "drafts are private");
    let long = "x".repeat(10_001);
    let r = app
        .call::<SaveProposalDraft>(
            &sam,
            &[
                ("title", ""),
                ("problem", &long),
                ("experiment", ""),
                ("hypothesis", ""),
                ("measure", ""),
                ("tags", ""),
            ],
        )
        .await;
    assert!(r.error().field_error("problem").is_some(), "{}", r.body);
    // Without JavaScript: "Preview" saves it and the page shows it rendered, fields filled in.
    let mut with_preview = form.to_vec();
    with_preview.push(("preview", "1"));
    let r = app.post_html::<SaveProposalDraft>(&sam, "/ideas/new", &with_preview).await;
    assert_eq!(r.headers["location"].to_str().unwrap(), "/ideas/new?notice=draft-preview");
    let html = app.get(&sam, "/ideas/new?notice=draft-preview").await.body;
    assert!(html.contains("Half a <strong>thought</strong>"), "the preview is rendered");
    assert!(
        html.contains("Half a **thought**") && html.contains(r#"value="Buddy check-ins""#),
        "the form is refilled"
    );
    // Proposing removes the draft in the same transaction.
    propose(&app, &sam, "Buddy check-ins for new hires").await;
    let left: ProposalDraft = app.call::<GetProposalDraft>(&sam, &[]).await.json();
    assert_eq!(left, ProposalDraft::default());
    // An autosave of the proposal that was still on its way doesn't bring it back as a draft;
    // a new one is kept as usual.
    let mut late = form;
    late[1].1 = "New hires don't know who to talk to";
    assert!(app.call::<SaveProposalDraft>(&sam, &late).await.status.is_success());
    let left: ProposalDraft = app.call::<GetProposalDraft>(&sam, &[]).await.json();
    assert_eq!(left, ProposalDraft::default());
    late[0].1 = "A quiet room for hard days";
    assert!(app.call::<SaveProposalDraft>(&sam, &late).await.status.is_success());
    let kept: ProposalDraft = app.call::<GetProposalDraft>(&sam, &[]).await.json();
    assert_eq!(kept.title, "A quiet room for hard days");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_comment_deep_in_a_long_discussion_is_linked_where_it_is(pool: PgPool) {
    let app = spawn(pool).await;
    let (_admin, _moderator, sam, lena) = people(&app).await;
    let id = propose(&app, &lena, "Buddy check-ins for new hires").await;
    // 120 earlier comments, written directly: over HTTP the comment rate limit would apply.
    sqlx::query(
        "INSERT INTO idea_comments (idea_id, author_id, body, body_html)
         SELECT $1, author_id, 'Earlier thought ' || n, '<p>Earlier thought ' || n || '</p>'
         FROM ideas, generate_series(1, 120) n WHERE ideas.id = $1",
    )
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    let first: i64 = sqlx::query_scalar("SELECT min(id) FROM idea_comments WHERE idea_id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let r =
        app.call::<CommentIdea>(&sam, &[("idea_id", &id.to_string()), ("body", "The newest thought")]).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let newest: i64 = sqlx::query_scalar("SELECT max(id) FROM idea_comments WHERE idea_id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Lena's notification leads to the page that shows the new comment, past the first 100.
    let lenas: NotificationPage = app.call::<ListNotifications>(&lena, &[]).await.json();
    let href = &lenas.items[0].href;
    assert_eq!(href, &format!("/ideas/{id}?comment={newest}#comment-{newest}"));
    let page = app.get(&lena, href.split('#').next().unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("id=\"comment-{newest}\"")), "the comment is on the page");
    assert!(page.body.contains("The newest thought"));
    assert!(page.body.contains("Earlier comments"), "and the way back to the start");
    // An early comment's link shows the discussion from its start.
    let page = app.get(&lena, &format!("/ideas/{id}?comment={first}")).await;
    assert!(page.body.contains(&format!("id=\"comment-{first}\"")));
    assert!(!page.body.contains("Earlier comments"));
    assert!(!page.body.contains(&format!("id=\"comment-{newest}\"")));
    // An autosave of the comment still on its way when it was posted doesn't bring it back.
    let save = [("place", "idea_comment"), ("target_id", &id.to_string()), ("body", "The newest")];
    assert!(app.call::<app::drafts::api::SaveDraft>(&sam, &save).await.status.is_success());
    let drafts: i64 = sqlx::query_scalar("SELECT count(*) FROM drafts").fetch_one(&app.pool).await.unwrap();
    assert_eq!(drafts, 0);
    // The server function answers the same way.
    let r = app.call::<GetIdea>(&lena, &[("id", &id.to_string()), ("comment", &newest.to_string())]).await;
    let detail: IdeaDetail = r.json();
    assert!(detail.earlier_comments);
    assert!(detail.comments.iter().any(|c| c.id == newest));
}
