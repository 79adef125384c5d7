//! Pages of the idea board.

mod board;
mod idea;
mod lessons;
mod propose;

pub use board::IdeasPage;
pub use idea::IdeaPage;
pub use lessons::LessonsPage;
pub use propose::ProposeIdeaPage;

use leptos::prelude::*;

use super::types::IdeaStatus;

/// A calm status label; the colour is a hint only, the word carries the meaning.
#[component]
pub fn StatusBadge(status: IdeaStatus) -> impl IntoView {
    view! { <span class=format!("badge status-{}", status.as_str())>{status.label()}</span> }
}

/// Voting, as a plain form: "Vote" or "Take back my vote", named with the idea's title so a
/// list of them makes sense to a screen reader. A closed idea shows only its count.
#[component]
pub fn VoteButton(
    idea_id: i64,
    title: String,
    votes: i32,
    voted: bool,
    closed: bool,
    action: ServerAction<super::api::VoteIdea>,
) -> impl IntoView {
    let label = match votes {
        1 => "1 vote".to_owned(),
        n => format!("{n} votes"),
    };
    if closed {
        return view! { <span class="vote-count">{label}</span> }.into_any();
    }
    view! {
        <ActionForm action attr:class="vote-form">
            <input type="hidden" name="idea_id" value=idea_id.to_string() />
            <input type="hidden" name="on" value=(!voted).to_string() />
            <button type="submit" class="button small vote" class:mine=voted>
                {if voted { "Take back my vote" } else { "Vote" }}
                <span class="visually-hidden">{format!(" for “{title}”")}</span>
            </button>
            <span class="vote-count">{label}</span>
        </ActionForm>
    }
    .into_any()
}
