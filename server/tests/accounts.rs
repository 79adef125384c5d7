//! Accounts and sessions over real HTTP against a fresh Postgres database per test.

mod common;

use app::accounts::api::*;
use app::auth::Role;
use common::{client, spawn, PASSWORD};
use reqwest::StatusCode;
use sqlx::PgPool;

type Db = PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn first_account_is_admin_and_later_ones_are_members(pool: Db) {
    let app = spawn(pool).await;
    let first = app.register("Jordan", "jordan@example.org").await;
    let second = app.register("Sam", "sam@example.org").await;
    assert_eq!(app.current_user(&first).await.unwrap().role, Role::Admin);
    let sam = app.current_user(&second).await.unwrap();
    assert_eq!(sam.role, Role::Member);
    assert_eq!(sam.display_name, "Sam");
    // Anonymous visitors have no user.
    assert!(app.current_user(&client()).await.is_none());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn registration_ignores_smuggled_role_fields(pool: Db) {
    let app = spawn(pool).await;
    app.register("Jordan", "jordan@example.org").await;
    let c = client();
    let r = app
        .call::<Register>(
            &c,
            &[
                ("display_name", "Mallory"),
                ("email", "m@example.org"),
                ("password", PASSWORD),
                ("role", "admin"),
            ],
        )
        .await;
    // Unknown fields are either refused or ignored; never obeyed.
    if r.status.is_success() {
        assert_eq!(app.current_user(&c).await.unwrap().role, Role::Member);
    } else {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn registration_problems_are_reported_per_field_and_keep_input(pool: Db) {
    let app = spawn(pool).await;
    app.register("Jordan", "jordan@example.org").await;
    let c = client();
    let cases: &[(&str, &str, &str, &str)] = &[
        // (name, email, password, field expected to complain)
        ("Sam", "JORDAN@example.org", PASSWORD, "email"),
        ("Sam", "not-an-email", PASSWORD, "email"),
        ("Sam", "", PASSWORD, "email"),
        ("Sam", "sam@example.org", "short", "password"),
        ("Sam", "sam@example.org", "password123", "password"),
        ("", "sam@example.org", PASSWORD, "display_name"),
        (&"n".repeat(61), "sam@example.org", PASSWORD, "display_name"),
    ];
    for (name, email, password, field) in cases {
        let r = app
            .call::<Register>(&c, &[("display_name", name), ("email", email), ("password", password)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?} {email:?}: {}", r.body);
        let err = r.error();
        assert!(err.field_error(field).is_some(), "no message on {field}: {err:?}");
        assert_eq!(err.field_value("email").as_deref(), Some(email.trim()));
        assert_eq!(err.field_value("password"), None, "passwords are never echoed");
    }
    let dup = app
        .call::<Register>(
            &c,
            &[("display_name", "Sam"), ("email", "Jordan@Example.org"), ("password", PASSWORD)],
        )
        .await;
    assert!(dup.error().field_error("email").unwrap().contains("already exists"));
    // Missing fields entirely: a clear error, not a crash.
    let r = app.call::<Register>(&c, &[("email", "x@example.org")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Oversized body.
    let huge = "x".repeat(400 * 1024);
    let r = app
        .call::<Register>(&c, &[("display_name", &huge), ("email", "x@example.org"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn long_passphrases_work_and_are_not_truncated(pool: Db) {
    let app = spawn(pool).await;
    let long = "a garden of small kindnesses grows slowly but it does grow every single day";
    assert!(long.len() > 64);
    let c = client();
    let r = app
        .call::<Register>(&c, &[("display_name", "Kim"), ("email", "kim@example.org"), ("password", long)])
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let c2 = client();
    let truncated = &long[..64];
    let r = app.call::<Login>(&c2, &[("email", "kim@example.org"), ("password", truncated)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.call::<Login>(&c2, &[("email", "KIM@example.org"), ("password", long)]).await;
    assert!(r.status.is_success(), "{}", r.body);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn wrong_login_never_says_which_part_was_wrong(pool: Db) {
    let app = spawn(pool).await;
    app.register("Jordan", "jordan@example.org").await;
    let c = client();
    let wrong_password =
        app.call::<Login>(&c, &[("email", "jordan@example.org"), ("password", "nope nope nope")]).await;
    let no_account =
        app.call::<Login>(&c, &[("email", "nobody@example.org"), ("password", "nope nope nope")]).await;
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (a, b) = (wrong_password.error(), no_account.error());
    assert_eq!(a.field_error("form"), b.field_error("form"));
    assert!(a.field_error("email").is_none() && a.field_error("password").is_none());
    assert_eq!(a.field_value("email").as_deref(), Some("jordan@example.org"));
    assert!(app.current_user(&c).await.is_none());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn login_issues_a_new_session_and_logout_ends_it_on_the_server(pool: Db) {
    let app = spawn(pool).await;
    app.register("Jordan", "jordan@example.org").await;
    let c = client();
    let r = app.call::<Login>(&c, &[("email", "jordan@example.org"), ("password", PASSWORD)]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"));
    let token = cookie.split(';').next().unwrap().to_owned();

    // Signing in again from the same browser replaces the session rather than reusing it.
    let again = app.call::<Login>(&c, &[("email", "jordan@example.org"), ("password", PASSWORD)]).await;
    let token2 =
        again.headers.get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_ne!(token, token2);
    let replayed = reqwest::Client::new();
    let r = replayed
        .post(format!("{}{}", app.base, <GetCurrentUser as server_fn::ServerFn>::PATH))
        .header("cookie", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "null", "the old session must be gone");

    assert!(app.current_user(&c).await.is_some());
    let r = app.call::<Logout>(&c, &[]).await;
    assert!(r.status.is_success());
    assert!(app.current_user(&c).await.is_none());
    // Replaying the cookie after logout doesn't work either: the session is gone server-side.
    let r = replayed
        .post(format!("{}{}", app.base, <GetCurrentUser as server_fn::ServerFn>::PATH))
        .header("cookie", &token2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "null");
    let sessions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&app.pool).await.unwrap();
    assert_eq!(sessions, 1, "only the registration session remains");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn login_is_throttled_per_address(pool: Db) {
    let app = spawn(pool).await;
    app.register("Jordan", "jordan@example.org").await;
    let c = client();
    let mut statuses = Vec::new();
    for i in 0..7 {
        // Different accounts, so only the per-address limit applies.
        let email = format!("someone{i}@example.org");
        let r = app.call::<Login>(&c, &[("email", &email), ("password", "wrong wrong wrong")]).await;
        statuses.push(r.status);
        if i == 6 {
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
            assert!(r.error().to_string().contains("try again in"), "{}", r.body);
        }
    }
    assert!(statuses[..6].iter().all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY), "{statuses:?}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn login_is_throttled_per_account_without_permanent_lockout(pool: Db) {
    let app = spawn(pool).await;
    app.register("Jordan", "jordan@example.org").await;
    for _ in 0..5 {
        let r = app
            .call::<Login>(&client(), &[("email", "jordan@example.org"), ("password", "wrong wrong")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Even the right password waits now, and the message says for how long.
    let r = app.call::<Login>(&client(), &[("email", "jordan@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // ("1 minute" near the end of the 15-minute window, "N minutes" before it.)
    assert!(r.error().to_string().contains("You can try again in"), "{}", r.body);
    // The lock is a window, not a flag: once it has passed, signing in works again.
    sqlx::query("UPDATE rate_limit_windows SET window_start = window_start - interval '1 hour'")
        .execute(&app.pool)
        .await
        .unwrap();
    let r = app.call::<Login>(&client(), &[("email", "jordan@example.org"), ("password", PASSWORD)]).await;
    assert!(r.status.is_success(), "{}", r.body);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn changing_password_needs_the_current_one_and_signs_out_other_devices(pool: Db) {
    let app = spawn(pool).await;
    let laptop = app.register("Jordan", "jordan@example.org").await;
    let phone = client();
    app.call::<Login>(&phone, &[("email", "jordan@example.org"), ("password", PASSWORD)]).await;
    assert!(app.current_user(&phone).await.is_some());

    let anon =
        app.call::<ChangePassword>(&client(), &[("current_password", PASSWORD), ("new_password", "x")]).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let wrong = app
        .call::<ChangePassword>(
            &laptop,
            &[("current_password", "not it at all"), ("new_password", "brand new tidal meadow")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.error().field_error("current_password").is_some());
    let weak = app
        .call::<ChangePassword>(&laptop, &[("current_password", PASSWORD), ("new_password", "12345678")])
        .await;
    assert!(weak.error().field_error("new_password").is_some());
    let same = app
        .call::<ChangePassword>(&laptop, &[("current_password", PASSWORD), ("new_password", PASSWORD)])
        .await;
    assert!(same.error().field_error("new_password").is_some());

    let ok = app
        .call::<ChangePassword>(
            &laptop,
            &[("current_password", PASSWORD), ("new_password", "brand new tidal meadow")],
        )
        .await;
    assert!(ok.status.is_success(), "{}", ok.body);
    assert!(app.current_user(&laptop).await.is_some(), "this device stays signed in");
    assert!(app.current_user(&phone).await.is_none(), "other devices are signed out");
    let r = app
        .call::<Login>(&client(), &[("email", "jordan@example.org"), ("password", "brand new tidal meadow")])
        .await;
    assert!(r.status.is_success());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn profile_is_validated_sanitised_and_owner_only(pool: Db) {
    let app = spawn(pool).await;
    let c = app.register("Jordan", "jordan@example.org").await;
    let fields = |bio: &'static str, tz: &'static str| {
        vec![
            ("display_name", "Jordan R"),
            ("bio", bio),
            ("department", "People"),
            ("pronouns", "they/them"),
            ("time_zone", tz),
        ]
    };
    let anon = app.call::<UpdateProfile>(&client(), &fields("hi", "UTC")).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let bad_tz = app.call::<UpdateProfile>(&c, &fields("hi", "Mars/Olympus")).await;
    assert_eq!(bad_tz.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_tz.error().field_error("time_zone").is_some());
    assert_eq!(bad_tz.error().field_value("bio").as_deref(), Some("hi"));

    let ok = app
        .call::<UpdateProfile>(
            &c,
            &fields("**Hello** <script>alert(1)</script> [x](javascript:alert(1))", "Europe/Berlin"),
        )
        .await;
    assert!(ok.status.is_success(), "{}", ok.body);
    let profile: app::accounts::types::Profile = app.call::<GetProfile>(&c, &[]).await.json();
    assert_eq!(profile.display_name, "Jordan R");
    assert_eq!(profile.time_zone, "Europe/Berlin");
    assert!(profile.bio_html.contains("<strong>Hello</strong>"));
    assert!(!profile.bio_html.contains("<script") && !profile.bio_html.contains("javascript:"));
    // The header shows the new name straight away.
    assert_eq!(app.current_user(&c).await.unwrap().display_name, "Jordan R");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn admin_functions_refuse_anonymous_and_members(pool: Db) {
    let app = spawn(pool).await;
    let _admin = app.register("Jordan", "jordan@example.org").await;
    let member = app.register("Sam", "sam@example.org").await;
    let sam = app.user_id("sam@example.org").await.to_string();
    let anon = client();
    for c in [&anon, &member] {
        let expected = if std::ptr::eq(c, &anon) { StatusCode::UNAUTHORIZED } else { StatusCode::FORBIDDEN };
        assert_eq!(app.call::<ListUsers>(c, &[]).await.status, expected);
        assert_eq!(
            app.call::<SetUserRole>(c, &[("user_id", &sam), ("role", "admin")]).await.status,
            expected
        );
        assert_eq!(
            app.call::<SuspendUser>(c, &[("user_id", &sam), ("days", "3"), ("reason", "x")]).await.status,
            expected
        );
        assert_eq!(app.call::<UnsuspendUser>(c, &[("user_id", &sam)]).await.status, expected);
        assert_eq!(app.call::<EndUserSessions>(c, &[("user_id", &sam)]).await.status, expected);
    }
    assert_eq!(app.current_user(&member).await.unwrap().role, Role::Member);
    // The admin page itself answers 403 to a member.
    let page = app.get(&member, "/admin/users").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("permission"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn admin_changes_roles_with_immediate_effect_and_an_audit_trail(pool: Db) {
    let app = spawn(pool).await;
    let admin = app.register("Jordan", "jordan@example.org").await;
    let member = app.register("Sam", "sam@example.org").await;
    let (sam, jordan) = (app.user_id("sam@example.org").await, app.user_id("jordan@example.org").await);

    let page: app::accounts::types::UserPage = app.call::<ListUsers>(&admin, &[]).await.json();
    assert_eq!(page.users.len(), 2);
    let found: app::accounts::types::UserPage = app.call::<ListUsers>(&admin, &[("q", "SAM@")]).await.json();
    assert_eq!(found.users.len(), 1);
    let injected: app::accounts::types::UserPage =
        app.call::<ListUsers>(&admin, &[("q", "' OR 1=1--")]).await.json();
    assert!(injected.users.is_empty());

    let r = app.call::<SetUserRole>(&admin, &[("user_id", &sam.to_string()), ("role", "moderator")]).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(app.current_user(&member).await.unwrap().role, Role::Moderator, "applies on the next request");
    let bad = app.call::<SetUserRole>(&admin, &[("user_id", &sam.to_string()), ("role", "root")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let own = app.call::<SetUserRole>(&admin, &[("user_id", &jordan.to_string()), ("role", "member")]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let missing = app.call::<SetUserRole>(&admin, &[("user_id", "999999"), ("role", "member")]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let audit: (String, serde_json::Value) = sqlx::query_as(
        "SELECT action, details FROM audit_log WHERE target_user_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(sam)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audit.0, "role_changed");
    assert_eq!(audit.1["to"], "moderator");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn suspension_ends_sessions_and_allows_reading_but_not_writing(pool: Db) {
    let app = spawn(pool).await;
    let admin = app.register("Jordan", "jordan@example.org").await;
    let member = app.register("Sam", "sam@example.org").await;
    let sam = app.user_id("sam@example.org").await.to_string();

    let bad = app.call::<SuspendUser>(&admin, &[("user_id", &sam), ("days", "0"), ("reason", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.error().field_error("days").is_some() && bad.error().field_error("reason").is_some());

    let r = app
        .call::<SuspendUser>(&admin, &[("user_id", &sam), ("days", "3"), ("reason", "Cooling-off period")])
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert!(app.current_user(&member).await.is_none(), "their sessions end at once");

    // They can sign in and read …
    let again = client();
    let r = app.call::<Login>(&again, &[("email", "sam@example.org"), ("password", PASSWORD)]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let me = app.current_user(&again).await.unwrap();
    assert!(me.is_suspended());
    assert_eq!(app.call::<GetProfile>(&again, &[]).await.status, StatusCode::OK);
    // … but not write.
    let w = app
        .call::<UpdateProfile>(
            &again,
            &[
                ("display_name", "Sam"),
                ("bio", ""),
                ("department", ""),
                ("pronouns", ""),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(w.status, StatusCode::FORBIDDEN);
    assert!(w.error().to_string().contains("paused"));

    let r = app.call::<UnsuspendUser>(&admin, &[("user_id", &sam)]).await;
    assert!(r.status.is_success());
    assert!(!app.current_user(&again).await.unwrap().is_suspended());

    let r = app.call::<EndUserSessions>(&admin, &[("user_id", &sam)]).await;
    assert!(r.status.is_success());
    assert!(app.current_user(&again).await.is_none());
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id").fetch_all(&app.pool).await.unwrap();
    assert_eq!(actions, ["first_admin", "user_suspended", "user_unsuspended", "sessions_ended"]);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn forms_work_without_javascript(pool: Db) {
    let app = spawn(pool).await;
    let c = client();
    // A validation error redirects back to the form, carrying the error and what was typed.
    let r = app
        .post_html::<Register>(
            &c,
            "/register",
            &[("display_name", "Sam"), ("email", "bad"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    let location = r.headers.get("location").unwrap().to_str().unwrap().to_owned();
    assert!(location.contains("/register?") && location.contains("__err="), "{location}");
    let page = app.get(&c, location.trim_start_matches(&app.base)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("doesn&#x27;t look like an email")
            || page.body.contains("doesn't look like an email"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="Sam""#), "the name is kept");
    assert!(!page.body.contains(PASSWORD), "the password is not");

    // Success signs in and redirects home with a notice.
    let r = app
        .post_html::<Register>(
            &c,
            "/register",
            &[("display_name", "Sam"), ("email", "sam@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(r.headers.get("location").unwrap(), "/?notice=welcome");
    let home = app.get(&c, "/?notice=welcome").await;
    assert!(home.body.contains("Welcome back, Sam"), "{}", home.body);
    assert!(home.body.contains("Your account is ready"));

    let r = app.post_html::<Logout>(&c, "/", &[]).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let home = app.get(&c, "/").await;
    assert!(!home.body.contains("Welcome back"));

    let r = app
        .post_html::<Login>(
            &c,
            "/login",
            &[("email", "sam@example.org"), ("password", PASSWORD), ("next", "/account/profile")],
        )
        .await;
    assert_eq!(r.headers.get("location").unwrap(), "/account/profile");
    let profile = app.get(&c, "/account/profile").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("sam@example.org"));
}
