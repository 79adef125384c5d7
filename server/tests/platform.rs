//! Cross-cutting behaviour: security headers, cross-site refusal, health, errors, outages.

mod common;

use app::accounts::api::{GetCurrentUser, Register};
use app::state::WebConfig;
use common::{client, spawn, spawn_with, PASSWORD};
use reqwest::StatusCode;
use server::db::DbHealth;
use server_fn::ServerFn;
use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn pages_carry_security_headers_with_a_fresh_nonce(pool: PgPool) {
    let app = spawn(pool).await;
    let c = client();
    let a = app.get(&c, "/").await;
    let b = app.get(&c, "/").await;
    assert_eq!(a.status, StatusCode::OK);
    let csp = a.headers.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    for part in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
        "script-src 'nonce-",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_ne!(
        csp,
        b.headers.get("content-security-policy").unwrap().to_str().unwrap(),
        "nonce per response"
    );
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(a.body.contains(&format!("nonce=\"{nonce}\"")), "inline scripts carry the nonce");
    assert_eq!(a.headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(a.headers.get("referrer-policy").unwrap(), "same-origin");
    assert!(a.headers.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    // Non-HTML responses get a deny-all policy.
    let h = app.get(&c, "/healthz").await;
    assert!(h
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn secure_deployments_get_host_prefixed_cookies_and_hsts(pool: PgPool) {
    let web = WebConfig { secure_cookies: true, ..WebConfig::default() };
    let app = spawn_with(pool, DbHealth::up(), web).await;
    let c = client();
    let r = app
        .call::<Register>(
            &c,
            &[("display_name", "Jordan"), ("email", "j@example.org"), ("password", PASSWORD)],
        )
        .await;
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.starts_with("__Host-upstand_session=") && cookie.contains("Secure"), "{cookie}");
    assert!(r
        .headers
        .get("strict-transport-security")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("max-age=31536000"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn cross_site_posts_are_refused(pool: PgPool) {
    let app = spawn(pool).await;
    let c = client();
    let url = format!("{}{}", app.base, Register::PATH);
    let form = [("display_name", "Mallory"), ("email", "m@example.org"), ("password", PASSWORD)];
    let r = c.post(&url).header("origin", "https://evil.example").form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c.post(&url).header("sec-fetch-site", "cross-site").form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
    // State never changes through GET.
    let r = c.get(&url).send().await.unwrap();
    assert_ne!(r.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn health_unknown_pages_and_garbage_input(pool: PgPool) {
    let app = spawn(pool).await;
    let c = client();
    assert_eq!(app.get(&c, "/healthz").await.status, StatusCode::OK);
    let missing = app.get(&c, "/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("couldn&#x27;t find that page")
            || missing.body.contains("couldn't find that page")
    );
    for path in
        ["/login?next=%00%FF", "/admin/users?after=abc&q=%27%20OR%201=1--", "/register?__err=!!!&__path=x"]
    {
        let r = app.get(&c, path).await;
        assert!(r.status.as_u16() < 500, "{path}: {}", r.status);
    }
    // Malformed server-function bodies get a clear 4xx, never a 500.
    let r = c
        .post(format!("{}{}", app.base, Register::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("display_name=%ZZ&&&email")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = c
        .post(format!("{}{}", app.base, GetCurrentUser::PATH))
        .header("cookie", "upstand_session=garbage;;;=")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn database_outage_gives_a_friendly_503_not_a_crash() {
    // Nothing listens on port 9 of loopback: every connection attempt fails at once.
    let pool = server::db::lazy_pool("postgres://nobody:nothing@127.0.0.1:9/none", 2).unwrap();
    let health = DbHealth::default();
    let app = spawn_with(pool.clone(), health.clone(), WebConfig::default()).await;
    let c = client();
    let page = app.get(&c, "/").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains("right back"));
    assert_eq!(app.get(&c, "/healthz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    // Server functions report "unavailable", not a crash, even if the gate is open.
    health.set(true);
    let r = app.call::<GetCurrentUser>(&c, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "no cookie: no database needed");
    let r = c
        .post(format!("{}{}", app.base, GetCurrentUser::PATH))
        .header("origin", &app.base)
        .header("cookie", "upstand_session=abcdef")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_watchdog_notices_the_database_coming_back(pool: PgPool) {
    // Starts "down" (as after an outage) and must recover by itself once pings succeed.
    let health = DbHealth::default();
    let app = spawn_with(pool.clone(), health.clone(), WebConfig::default()).await;
    let c = client();
    assert_eq!(app.get(&c, "/").await.status, StatusCode::SERVICE_UNAVAILABLE);
    tokio::spawn(server::db::watch(pool, health.clone()));
    for _ in 0..50 {
        if health.is_up() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(health.is_up());
    assert_eq!(app.get(&c, "/").await.status, StatusCode::OK);
    assert_eq!(app.get(&c, "/healthz").await.status, StatusCode::OK);
}

/// The server's pool plans for data in memory (see `db::lazy_pool`).
#[tokio::test]
async fn server_connections_plan_for_data_in_memory() {
    // The test command points this at its cluster, as it does for every database test.
    let url = std::env::var("DATABASE_URL").unwrap();
    let pool = server::db::lazy_pool(&url, 1).unwrap();
    let cost: String = sqlx::query_scalar("SHOW random_page_cost").fetch_one(&pool).await.unwrap();
    assert_eq!(cost, "1.1");
}

/// A request abandoned while its transaction is starting (its client hung up) must not leave a
/// pooled connection inside a transaction that the next request would then run in.
#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_transaction_abandoned_as_it_starts_leaves_no_connection_inside_it(pool: PgPool) {
    use sqlx::Connection;
    use std::time::Duration;
    let options = (*pool.connect_options()).clone();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE probe (k int)").execute(&pool).await.unwrap();
    // Connections waiting in the pool, so that `BEGIN` is sent at once and abandoned before
    // its answer arrives (a zero timeout polls once, then gives up).
    let warm: Vec<_> = futures::future::join_all((0..4).map(|_| pool.acquire())).await;
    drop(warm);
    tokio::time::sleep(Duration::from_millis(50)).await;
    for _ in 0..40 {
        let _ = tokio::time::timeout(Duration::ZERO, app::state::begin_on(&pool)).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A plain write on every connection must be committed, for everyone to see.
    let mut held = Vec::new();
    for k in 0..4 {
        let mut conn = pool.acquire().await.unwrap();
        sqlx::query("INSERT INTO probe VALUES ($1)").bind(k).execute(&mut *conn).await.unwrap();
        held.push(conn);
    }
    let mut other = sqlx::PgConnection::connect_with(&pool.connect_options()).await.unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM probe").fetch_one(&mut other).await.unwrap();
    assert_eq!(seen, 4, "every plain write is committed");
}
