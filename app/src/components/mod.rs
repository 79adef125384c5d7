//! Shared UI pieces used by every area.

mod field;
mod notice;
mod status;

pub use field::{Field, FormError, SelectField, TextAreaField};
#[cfg(feature = "ssr")]
pub use notice::redirect_back_with_notice;
pub use notice::{back_with_notice, Notice};
pub use status::{ComingSoon, ErrorMessage, Loading, NotFoundPage, SignInPrompt, SomethingWentWrong};

use leptos::prelude::*;

use crate::error::AppError;

/// The error of an action's last run, as a signal forms can read.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// HTML that was sanitised when it was stored (see `crate::markdown`). Never pass anything
/// else here.
#[component]
pub fn StoredHtml(#[prop(into)] html: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! { <div class=format!("prose {class}") inner_html=html></div> }
}

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// User text made safe for `<title>`: leptos_meta writes the title unescaped during server
/// rendering, and `</title>` in a thread title would end the element early. Angle brackets
/// become look-alike guillemets; the rest is shown as typed.
pub fn title_text(s: &str) -> String {
    s.replace('<', "‹").replace('>', "›")
}
