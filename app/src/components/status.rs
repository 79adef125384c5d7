//! Small pages and messages for states every area has: loading, errors, not signed in,
//! not found, and areas still being built.

use leptos::prelude::*;

use crate::error::AppError;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted" aria-live="polite">"Loading…"</p> }
}

/// A friendly message for an error; sets the HTTP status when rendering on the server.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(
            http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    if error == AppError::Unauthenticated {
        return view! { <SignInPrompt /> }.into_any();
    }
    view! {
        <div class="panel error-panel" role="alert">
            <h2>"We couldn't show this"</h2>
            <p>{error.to_string()}</p>
            <p><a href="/">"Go to the home page"</a></p>
        </div>
    }
    .into_any()
}

/// Shown where a page needs a signed-in person.
#[component]
pub fn SignInPrompt() -> impl IntoView {
    // The path comes from the request (server) or the window (browser), not `use_location`,
    // which panics when a render cancelled half-way (a client leaving) has lost the router.
    #[cfg(feature = "ssr")]
    let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned()).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let path = window().location().pathname().unwrap_or_default();
    let href = if path.is_empty() {
        "/login".to_owned()
    } else {
        format!("/login?next={}", super::urlencode(&path))
    };
    view! {
        <div class="panel">
            <h2>"Please sign in"</h2>
            <p>"This page is for members of the program."</p>
            <p>
                <a class="button" href=href>"Sign in"</a>
                " or "
                <a href="/register">"create an account"</a>
            </p>
        </div>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text="Not found · Upstand" />
        <section class="panel">
            <h1>"We couldn't find that page"</h1>
            <p>"It may have moved, or the link may be mistyped."</p>
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
}

/// Placeholder for an area that is not built yet.
#[component]
pub fn ComingSoon(title: &'static str, blurb: &'static str) -> impl IntoView {
    view! {
        <leptos_meta::Title text=format!("{title} · Upstand") />
        <section class="panel">
            <h1>{title}</h1>
            <p>{blurb}</p>
            <p class="muted">"Coming soon."</p>
        </section>
    }
}

/// What the error boundary shows when part of a page fails unexpectedly.
#[component]
pub fn SomethingWentWrong() -> impl IntoView {
    view! {
        <div class="panel error-panel" role="alert">
            <h2>"Something went wrong"</h2>
            <p>"This part of the page couldn't be shown. Nothing you saved is lost."</p>
            <p><a href="/">"Go to the home page"</a>" or try again in a moment."</p>
        </div>
    }
}
