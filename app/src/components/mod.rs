//! Shared UI pieces used by every area.

mod autosave;
mod composer;
mod field;
mod notice;
mod status;

pub use autosave::use_autosave;
pub use composer::{Composer, DraftButtons, DraftTarget, SaveDraftButtons};
pub use field::{Field, FormError, SelectField, TextAreaField};
pub use notice::{back_with_notice, Notice};
#[cfg(feature = "ssr")]
pub use notice::{is_plain_form_post, redirect_back_with_notice};
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

/// How many times an action has succeeded. Pages key their data on this rather than on the
/// action's `version()`: a refused submission then doesn't fetch and re-render the page, which
/// would reset the form the person is in the middle of correcting.
pub fn successes<S>(action: ServerAction<S>) -> Signal<usize>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let count = RwSignal::new(0usize);
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            count.update(|n| *n += 1);
        }
    });
    count.into()
}

/// How many times any of several actions has succeeded (each counted by `successes`): what a
/// page with several forms keys its data on.
pub fn successes_total<const N: usize>(counts: [Signal<usize>; N]) -> Signal<usize> {
    Signal::derive(move || counts.iter().map(|c| c.get()).sum())
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

/// Text to put inside a `<textarea>`. Leptos 0.8 writes a textarea's children to the server's
/// HTML unescaped (tachys marks `textarea` like `script`), so a draft or bio containing
/// `</textarea><script>` would break out of the box. On the server the text is escaped here;
/// in the browser it becomes a text node as it is (escaping there would show the entities).
pub fn textarea_text(s: &str) -> String {
    if cfg!(feature = "ssr") {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        s.to_owned()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn textarea_text_cannot_end_the_textarea() {
        assert_eq!(super::textarea_text("a</textarea><b>&amp;"), "a&lt;/textarea&gt;&lt;b&gt;&amp;amp;");
    }
}
