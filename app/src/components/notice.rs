//! A calm confirmation after an action ("Profile saved"). Actions redirect with
//! `?notice=<key>`; only known keys are shown, so nothing from the URL is ever echoed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn message_for(key: &str) -> Option<&'static str> {
    Some(match key {
        "welcome" => "Welcome to Upstand. Your account is ready.",
        "signed-in" => "You're signed in.",
        "signed-out" => "You're signed out. Take care.",
        "profile-saved" => "Your profile is saved.",
        "password-changed" => "Your password is changed. Other devices have been signed out.",
        "role-changed" => "Role updated.",
        "user-suspended" => "Account paused, and their sessions ended.",
        "user-unsuspended" => "Pause lifted.",
        "sessions-ended" => "Their sessions have ended.",
        "community-saved" => "Community saved.",
        "community-moved" => "Community moved.",
        "joined" => "You joined the community. Welcome!",
        "left" => "You left the community.",
        "member-added" => "Member added. They can now see the community and take part.",
        "member-removed" => "Member removed.",
        "watching" => "You're following this. New posts will show up in your notifications.",
        "not-watching" => "You've stopped following this.",
        "notifications-read" => "Marked as read.",
        "draft-saved" => "Draft saved. It will be here when you come back.",
        "draft-preview" => "Draft saved. Below is how it will look.",
        "author-revealed" => "Author revealed. This was written to the audit log.",
        "idea-proposed" => "Your idea is on the board. Thank you for proposing it.",
        "idea-moved" => "The idea moved on. Its followers have been told.",
        "idea-merged" => "That idea was merged into this one; its votes are here now.",
        "voted" => "Vote counted.",
        "vote-withdrawn" => "Vote taken back; it's free for another idea.",
        "budget-saved" => "Vote budget saved.",
        _ => return None,
    })
}

#[component]
pub fn Notice() -> impl IntoView {
    let query = use_query_map();
    let message = move || query.with(|q| q.get("notice").and_then(|k| message_for(&k)));
    move || {
        message().map(|m| {
            view! {
                <div class="notice" role="status">
                    <p>{m}</p>
                </div>
            }
        })
    }
}

/// The page a form was posted from (path and query of `referer`, same site only), with
/// `notice=<key>` set and any earlier notice or carried error removed; `fallback` when the
/// referer is missing or foreign. Keeps a list's search and page after an action on it.
pub fn back_with_notice(referer: Option<&str>, own_host: Option<&str>, fallback: &str, key: &str) -> String {
    let local = referer.and_then(|r| {
        let (_, rest) = r.split_once("://")?;
        let (host, path) = rest.split_at(rest.find('/')?);
        (Some(host) == own_host).then_some(path)
    });
    let path_and_query = local.unwrap_or(fallback);
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let name = p.split('=').next().unwrap_or("");
            !matches!(name, "notice" | "__err" | "__path")
        })
        .collect();
    let notice = format!("notice={key}");
    pairs.push(&notice);
    format!("{path}?{}", pairs.join("&"))
}

/// Whether this request is a browser submitting a form itself (JavaScript off), which expects
/// a page back, rather than the app calling a server function.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// Redirects to where the form was posted from, with a notice (see [`back_with_notice`]).
#[cfg(feature = "ssr")]
pub fn redirect_back_with_notice(fallback: &str, key: &str) {
    let parts = use_context::<http::request::Parts>();
    let header = |name: http::header::HeaderName| {
        parts.as_ref().and_then(|p| p.headers.get(name)).and_then(|v| v.to_str().ok()).map(str::to_owned)
    };
    let target = back_with_notice(
        header(http::header::REFERER).as_deref(),
        header(http::header::HOST).as_deref(),
        fallback,
        key,
    );
    leptos_axum::redirect(&target);
}

#[cfg(test)]
mod tests {
    use super::back_with_notice;

    #[test]
    fn keeps_the_list_state_and_replaces_old_notices() {
        let r = Some("http://127.0.0.1:3000/admin/users?q=ola&notice=old&__err=x&__path=y");
        assert_eq!(
            back_with_notice(r, Some("127.0.0.1:3000"), "/admin/users", "role-changed"),
            "/admin/users?q=ola&notice=role-changed"
        );
    }

    #[test]
    fn never_leaves_the_site() {
        let r = Some("https://evil.example/phish");
        assert_eq!(back_with_notice(r, Some("127.0.0.1:3000"), "/admin/users", "k"), "/admin/users?notice=k");
        assert_eq!(back_with_notice(None, None, "/x", "k"), "/x?notice=k");
    }
}
