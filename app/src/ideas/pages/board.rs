//! The board: ideas in trending, top, new or most-discussed order, filtered by status, tag,
//! "my ideas" and "ideas I voted for", with a vote button on each and the reader's budget.
//! Sorting and filtering are plain links and a GET form, so they work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{StatusBadge, VoteButton};
use crate::components::{action_error, successes, urlencode, ErrorMessage, FormError, Loading};
use crate::ideas::api::{list_ideas, SetVoteBudget, VoteIdea};
use crate::ideas::types::{IdeaBoard, IdeaSort, IdeaStatus, IdeaSummary};

#[component]
pub fn IdeasPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|v| !v.is_empty());
    let vote = ServerAction::<VoteIdea>::new();
    let budget = ServerAction::<SetVoteBudget>::new();
    let (votes_cast, budget_set) = (successes(vote), successes(budget));
    let board = Resource::new(
        move || {
            (
                (get("sort"), get("status"), get("tag")),
                (get("mine"), get("voted"), get("q"), get("after")),
                votes_cast.get(),
                budget_set.get(),
            )
        },
        |((sort, status, tag), (mine, voted, q, after), ..)| {
            list_ideas(sort, status, tag, mine, voted, q, after)
        },
    );
    view! {
        <Title text="Idea board · Upstand" />
        <div class="page-head">
            <h1>"Idea board"</h1>
            <div class="admin-row">
                <a href="/ideas/new" class="button primary">"Propose an idea"</a>
                <a href="/ideas/lessons" class="button">"Lessons learned"</a>
            </div>
        </div>
        <p class="muted">
            "The program improves by trying things. Propose an experiment, give your votes to the ones "
            "you'd like to see tried, and follow them through to what we learned."
        </p>
        <Filters get />
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match board.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(board) => view! { <Board board get vote budget /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The board's address with the current filters, `set` changed, and paging from `after`.
fn board_href(
    get: impl Fn(&str) -> Option<String>,
    set: Option<(&str, &str)>,
    after: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    for k in ["sort", "status", "tag", "mine", "voted", "q"] {
        let v = match set {
            Some((key, value)) if key == k => Some(value.to_owned()),
            _ => get(k),
        };
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", urlencode(&v)));
        }
    }
    if let Some(after) = after {
        parts.push(format!("after={}", urlencode(after)));
    }
    if parts.is_empty() {
        "/ideas".to_owned()
    } else {
        format!("/ideas?{}", parts.join("&"))
    }
}

#[component]
fn Filters(get: impl Fn(&str) -> Option<String> + Copy + Send + Sync + 'static) -> impl IntoView {
    let sort = move || get("sort").and_then(|s| IdeaSort::parse(&s)).unwrap_or(IdeaSort::Trending);
    view! {
        <nav class="tabs" aria-label="Order of ideas">
            {IdeaSort::ALL.into_iter().map(|s| view! {
                <a href=move || board_href(get, Some(("sort", s.as_str())), None) aria-current=move || (sort() == s).then_some("page")>
                    {s.label()}
                </a>
            }).collect_view()}
        </nav>
        <form method="get" action="/ideas" class="search-form filters" role="search" aria-label="Filter ideas">
            {move || get("sort").map(|s| view! { <input type="hidden" name="sort" value=s /> })}
            <div class="field">
                <label for="i-q">"Words"</label>
                <input id="i-q" type="search" name="q" value=move || get("q").unwrap_or_default() />
            </div>
            <div class="field">
                <label for="i-status">"Status"</label>
                <select id="i-status" name="status">
                    <option value="">"Any"</option>
                    {IdeaStatus::ALL.into_iter().filter(|s| *s != IdeaStatus::Merged).map(|s| view! {
                        <option value=s.as_str() selected=move || get("status").as_deref() == Some(s.as_str())>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="i-tag">"Tag"</label>
                <input id="i-tag" name="tag" value=move || get("tag").unwrap_or_default() />
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="i-mine" name="mine" checked=move || get("mine").is_some() />
                <label for="i-mine">"My ideas"</label>
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="i-voted" name="voted" checked=move || get("voted").is_some() />
                <label for="i-voted">"Ideas I voted for"</label>
            </div>
            <button type="submit" class="button">"Show ideas"</button>
        </form>
    }
}

#[component]
fn Board(
    board: IdeaBoard,
    get: impl Fn(&str) -> Option<String> + Copy + Send + Sync + 'static,
    vote: ServerAction<VoteIdea>,
    budget: ServerAction<SetVoteBudget>,
) -> impl IntoView {
    let error = action_error(vote);
    let left = board.budget.left();
    let next = board.next.map(|n| board_href(get, None, Some(&n)));
    view! {
        <p class="panel quiet budget" role="status">
            {format!("You have {left} of {} votes left.", board.budget.total)}
            " Votes on ideas that close come back to you."
        </p>
        <FormError error />
        {board.ideas.is_empty().then(|| view! { <p class="panel quiet">"No ideas here yet. Propose the first one?"</p> })}
        <ul class="idea-list">
            {board.ideas.into_iter().map(|idea| view! { <IdeaRow idea vote /> }).collect_view()}
        </ul>
        {next.map(|href| view! { <p><a href=href>"More ideas"</a></p> })}
        {board.can_configure.then(|| view! { <BudgetForm total=board.budget.total action=budget /> })}
    }
}

#[component]
fn IdeaRow(idea: IdeaSummary, vote: ServerAction<VoteIdea>) -> impl IntoView {
    let comments = match idea.comments {
        1 => "1 comment".to_owned(),
        n => format!("{n} comments"),
    };
    view! {
        <li class="idea-row">
            <VoteButton idea_id=idea.id title=idea.title.clone() votes=idea.votes voted=idea.voted closed=idea.status.is_closed() action=vote />
            <div>
                <a href=format!("/ideas/{}", idea.id) class="thread-title">{idea.title}</a>
                " " <StatusBadge status=idea.status />
                <p class="muted">{idea.hypothesis}</p>
                <p class="meta muted">
                    {format!("#{} · {} · {}", idea.id, idea.author, comments)}
                    {(!idea.tags.is_empty()).then(|| format!(" · {}", idea.tags.join(", ")))}
                </p>
            </div>
        </li>
    }
}

#[component]
fn BudgetForm(total: i32, action: ServerAction<SetVoteBudget>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <details class="panel">
            <summary>"Board settings (admins)"</summary>
            <ActionForm action>
                <FormError error show_field_errors=true />
                <div class="field">
                    <label for="f-budget">"Open votes per person"</label>
                    <input id="f-budget" name="budget" type="number" min="1" max="100" value=total.to_string() />
                </div>
                <button type="submit" class="button">"Save"</button>
            </ActionForm>
        </details>
    }
}
