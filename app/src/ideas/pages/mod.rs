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

/// The vote toggle, as a plain form. `disabled` with a reason when the reader can't vote.
#[component]
pub fn VoteButton(
    idea_id: i64,
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
            <button type="submit" class="button small vote" class:mine=voted aria-pressed=voted.to_string()>
                {if voted { "Voted" } else { "Vote" }}
                <span class="visually-hidden">" for this idea"</span>
            </button>
            <span class="vote-count">{label}</span>
        </ActionForm>
    }
    .into_any()
}
