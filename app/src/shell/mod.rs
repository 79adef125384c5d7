//! The frame around every page: document shell, router, navigation, the signed-in person,
//! security headers for HTML responses, and the home page.

mod home;
mod nav;
mod session;

pub use session::{use_session, Session};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::accounts::pages::{AdminUsersPage, LoginPage, PasswordPage, ProfilePage, RegisterPage};
use crate::components::{ComingSoon, NotFoundPage, Notice, SomethingWentWrong};
use crate::forums::pages::{CommunitiesPage, CommunityPage, MembersPage, RevealPage, SearchPage, ThreadPage};
use crate::ideas::pages::{IdeaPage, IdeasPage, LessonsPage, ProposeIdeaPage};

/// The HTML document. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Here, not in `App`: this runs before the response's headers are sent, while component
    // bodies may run after the first chunk (and its headers) has already gone out.
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="description" content="Upstand: learning together against workplace bullying." />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The policy for HTML pages: only scripts carrying this response's nonce (the ones Leptos
/// emitted), and what they load, may run; WASM may be compiled; nothing may frame the page.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sends the Content-Security-Policy with this response's nonce, so only scripts Leptos
/// itself emitted (and our own WASM) can run.
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use leptos::nonce::use_nonce;
    let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(&nonce)) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Browser tests wait for this mark before interacting with a hydrated page.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/upstand.css" />
        <Title formatter=|text: String| if text.is_empty() { "Upstand".to_owned() } else { text } />
        <Router>
            <Frame />
        </Router>
    }
}

/// Everything inside the router. The session's actions are created here, inside `<Router>`,
/// because that is where an error carried back in the URL by a no-JavaScript form post is
/// made available to them.
#[component]
fn Frame() -> impl IntoView {
    Session::provide();
    crate::live::Live::provide();
    view! {
            <a class="skip-link" href="#main">"Skip to content"</a>
            <nav::Header />
            <main id="main" tabindex="-1">
                <Notice />
                <ErrorBoundary fallback=|_errors| view! { <SomethingWentWrong /> }>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/account/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/forums") view=CommunitiesPage ssr=SsrMode::Async />
                    <Route path=path!("/forums/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/forums/c/:slug") view=CommunityPage ssr=SsrMode::Async />
                    <Route path=path!("/forums/c/:slug/members") view=MembersPage ssr=SsrMode::Async />
                    <Route path=path!("/forums/t/:id") view=ThreadPage ssr=SsrMode::Async />
                    <Route path=path!("/forums/posts/:id/reveal") view=RevealPage ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view=crate::notifications::pages::NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/ideas") view=IdeasPage ssr=SsrMode::Async />
                    <Route path=path!("/ideas/new") view=ProposeIdeaPage ssr=SsrMode::Async />
                    <Route path=path!("/ideas/lessons") view=LessonsPage ssr=SsrMode::Async />
                    <Route path=path!("/ideas/:id") view=IdeaPage ssr=SsrMode::Async />
                    <Route path=path!("/mentorship") view=|| view! {
                        <ComingSoon title="Mentorship" blurb="Experienced peer supporters and newer members, matched with care, learning side by side." />
                    } ssr=SsrMode::Async />
                    <Route path=path!("/courses") view=|| view! {
                        <ComingSoon title="Courses" blurb="Training programs, workshops and webinars, often with outside experts." />
                    } ssr=SsrMode::Async />
                </Routes>
                </ErrorBoundary>
            </main>
            <footer class="site-footer">
                <p>
                    "Upstand · If you are in immediate danger, contact your local emergency number. "
                    "Everything you share here follows the program's privacy promise."
                </p>
            </footer>
    }
}
