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
