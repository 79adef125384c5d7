//! Pages of the forums.

mod communities;
mod community;
mod members;
mod post;
mod reveal;
mod search;
mod thread;

pub use communities::{CommunitiesPage, EditCommunityForm};
pub use community::CommunityPage;
pub use members::MembersPage;
pub use reveal::RevealPage;
pub use search::SearchPage;
pub use thread::ThreadPage;

use leptos::prelude::*;

/// Relative time, calm and coarse ("3 hours ago"); the exact time is in the `title`.
pub fn when(t: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let secs = (chrono::Utc::now() - t).num_seconds().max(0);
    let text = match secs {
        0..=59 => "just now".to_owned(),
        60..=3599 => plural(secs / 60, "minute"),
        3600..=86_399 => plural(secs / 3600, "hour"),
        86_400..=2_591_999 => plural(secs / 86_400, "day"),
        _ => t.format("%-d %b %Y").to_string(),
    };
    let iso = t.to_rfc3339();
    view! { <time datetime=iso.clone() title=iso>{text}</time> }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}
