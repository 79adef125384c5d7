//! The HTTP router: Leptos pages and server functions, the browser bundle (compressed), other
//! static files, `/healthz`, and the layers every request passes through.

use std::sync::OnceLock;

use axum::extract::{DefaultBodyLimit, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Router};
use http::StatusCode;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use app::auth::guard::RequestUser;
use app::state::AppState;

use crate::db::{ping, DbHealth};
use crate::security;

/// Largest request body accepted (forms and server-function calls).
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;

#[derive(Clone, axum::extract::FromRef)]
struct RouterState {
    leptos_options: LeptosOptions,
    app: AppState,
    health: DbHealth,
}

/// The app's routes, generated once per process.
///
/// Generating them renders the app with resource loading suppressed through a process-wide
/// flag in leptos_server: a page whose resource first polls at that moment waits forever
/// (upstream issue 4773). A production server builds one router before serving, but the
/// integration tests build one per test on parallel threads, and a render in one test hung
/// whenever another test generated routes. Generating them once makes that impossible.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn build_router(app_state: AppState, health: DbHealth, leptos_options: LeptosOptions) -> Router {
    let routes = route_list();
    let secure = app_state.web.secure_cookies;
    let state = RouterState {
        leptos_options: leptos_options.clone(),
        app: app_state.clone(),
        health: health.clone(),
    };
    let context = {
        let app_state = app_state.clone();
        move || {
            provide_context(app_state.clone());
            RequestUser::provide();
        }
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/live/events", get(crate::live::events))
        .nest_service(
            &format!("/{}", leptos_options.site_pkg_dir),
            crate::assets::bundle_service(&crate::assets::bundle_dir(&leptos_options)),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<RouterState, _>(context, app::shell))
        .layer(middleware::from_fn(security::server_fn_error_status))
        .layer(middleware::from_fn(security::ensure_page_policy))
        .layer(middleware::from_fn_with_state(health, security::unavailable_when_db_down))
        .layer(middleware::from_fn(security::refuse_cross_site))
        .layer(middleware::from_fn_with_state(secure, crate::form_return::remember_form_page))
        .layer(middleware::from_fn_with_state(secure, security::security_headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        // Server functions read bodies themselves, so enforce the limit below axum's extractors.
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(page_compression())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Pages and server-function answers, compressed for browsers that accept it (measured with
/// brotli: a 25 KB thread list becomes 4 KB, a 69 KB thread page 5 KB). Every route renders in `SsrMode::Async`, so a page is one piece by the
/// time it is compressed and nothing streamed is held back; live-update streams
/// (`text/event-stream`) and the already-compressed bundle are left alone. A fast setting: this
/// runs on every page view, unlike the bundle's one-off copies (`assets`).
fn page_compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(4))
}

/// 200 when the database answers and is migrated, 503 otherwise.
async fn healthz(State(app): State<AppState>, State(health): State<DbHealth>) -> impl IntoResponse {
    if ping(&app.pool).await && health.is_up() {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}
