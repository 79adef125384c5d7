//! A real server on a real socket for each test, on the fresh database `#[sqlx::test]` made.
#![allow(dead_code, reason = "each test file uses a different part of the harness")]
#![expect(clippy::unwrap_used, reason = "test harness: a failure should stop the test loudly")]

pub mod forum;

use std::net::SocketAddr;

use app::state::{AppState, WebConfig};
use leptos::prelude::LeptosOptions;
use reqwest::{header, Client, StatusCode};
use server::db::DbHealth;
use server_fn::ServerFn;
use sqlx::PgPool;

pub struct TestApp {
    pub base: String,
    pub pool: PgPool,
}

pub const PASSWORD: &str = "quiet lanterns over the harbour";

pub async fn spawn(pool: PgPool) -> TestApp {
    spawn_with(pool, DbHealth::up(), WebConfig::default()).await
}

pub async fn spawn_with(pool: PgPool, health: DbHealth, web: WebConfig) -> TestApp {
    spawn_serving(pool, health, web, LeptosOptions::builder().output_name("upstand").build()).await
}

/// A server with the given site options (say, a site root of the test's own).
pub async fn spawn_serving(
    pool: PgPool,
    health: DbHealth,
    web: WebConfig,
    options: LeptosOptions,
) -> TestApp {
    let state = AppState::new(pool.clone(), web);
    let router = server::build_router(state, health, options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    TestApp { base: format!("http://{addr}"), pool }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
/// Every request has a deadline, so a stalled response fails its test instead of hanging
/// the whole run.
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn error(&self) -> app::error::AppError {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not an AppError ({e}): {}", self.body))
    }
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("bad json ({e}): {}", self.body))
    }
}

impl TestApp {
    /// Calls server function `F` the way a hydrated page does (form-encoded POST).
    pub async fn call<F: ServerFn>(&self, client: &Client, form: &[(&str, &str)]) -> Reply {
        let res = client
            .post(format!("{}{}", self.base, F::PATH))
            .header(header::ORIGIN, &self.base)
            .form(form)
            .send()
            .await
            .unwrap();
        reply(res).await
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_html<F: ServerFn>(
        &self,
        client: &Client,
        referer: &str,
        form: &[(&str, &str)],
    ) -> Reply {
        let res = client
            .post(format!("{}{}", self.base, F::PATH))
            .header(header::ORIGIN, &self.base)
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, format!("{}{}", self.base, referer))
            .form(form)
            .send()
            .await
            .unwrap();
        reply(res).await
    }

    pub async fn get(&self, client: &Client, path: &str) -> Reply {
        reply(client.get(format!("{}{}", self.base, path)).send().await.unwrap()).await
    }

    /// Registers a person and returns their signed-in client.
    pub async fn register(&self, name: &str, email: &str) -> Client {
        let c = client();
        let r = self
            .call::<app::accounts::api::Register>(
                &c,
                &[("display_name", name), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "register failed: {} {}",
            r.status,
            r.body
        );
        c
    }

    /// Signs an existing person (registered with [`PASSWORD`]) in on a new client.
    pub async fn login(&self, email: &str) -> Client {
        let c = client();
        let r = self.call::<app::accounts::api::Login>(&c, &[("email", email), ("password", PASSWORD)]).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "login failed: {} {}", r.status, r.body);
        c
    }

    pub async fn current_user(&self, client: &Client) -> Option<app::auth::CurrentUser> {
        let r = self.call::<app::accounts::api::GetCurrentUser>(client, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

async fn reply(res: reqwest::Response) -> Reply {
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.text().await.unwrap();
    Reply { status, headers, body }
}
