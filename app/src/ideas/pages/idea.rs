//! One idea: its results first when it has them, the proposal, votes and following, the
//! moderators' lifecycle tools, the public history of its moves, and the discussion.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{StatusBadge, VoteButton};
use crate::components::{
    action_error, successes, successes_total, Composer, DraftButtons, DraftTarget, ErrorMessage, Field,
    FormError, Loading, StoredHtml, TextAreaField,
};
use crate::drafts::types::DraftPlace;
use crate::forums::pages::when;
use crate::ideas::api::{get_idea, CommentIdea, FollowIdea, MoveIdea, RecordResults, VoteIdea};
use crate::ideas::types::{IdeaDetail, IdeaStatus, Recommendation};

#[derive(Clone, Copy)]
struct Actions {
    vote: ServerAction<VoteIdea>,
    follow: ServerAction<FollowIdea>,
    comment: ServerAction<CommentIdea>,
    moved: ServerAction<MoveIdea>,
    results: ServerAction<RecordResults>,
}

#[component]
pub fn IdeaPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let actions = Actions {
        vote: ServerAction::new(),
        follow: ServerAction::new(),
        comment: ServerAction::new(),
        moved: ServerAction::new(),
        results: ServerAction::new(),
    };
    // A half-typed comment survives the page re-rendering (after a vote, say); posting empties it.
    let comment_text = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if matches!(actions.comment.value().get(), Some(Ok(()))) {
            comment_text.set(None);
        }
    });
    let done = successes_total([
        successes(actions.vote),
        successes(actions.follow),
        successes(actions.comment),
        successes(actions.moved),
        successes(actions.results),
    ]);
    let idea = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0)),
                query.with(|q| q.get("after").and_then(|a| a.parse::<i64>().ok())),
                query.with(|q| q.get("comment").and_then(|c| c.parse::<i64>().ok())),
                query.with(|q| q.get("notice").as_deref() == Some("draft-preview")),
                done.get(),
            )
        },
        |(id, after, comment, preview, ..)| get_idea(id, after, comment, preview.then_some(true)),
    );
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match idea.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(IdeaDetail { merged_into: Some(into), .. }) => {
                        view! { <Redirect path=format!("/ideas/{into}?notice=idea-merged") /> }.into_any()
                    }
                    Ok(idea) => view! { <Idea idea actions comment_text /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Idea(idea: IdeaDetail, actions: Actions, comment_text: RwSignal<Option<String>>) -> impl IntoView {
    let closed = idea.status.is_closed();
    let can_move = idea.can_moderate && !idea.next_statuses.is_empty();
    let running = idea.status == IdeaStatus::Running;
    let comment_error = action_error(actions.comment);
    let draft = DraftTarget { place: DraftPlace::IdeaComment, target_id: idea.id };
    let id = idea.id;
    view! {
        <Title text=format!("{} · Idea board · Upstand", crate::components::title_text(&idea.title)) />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/ideas">"Idea board"</a></nav>
        <h1>{idea.title.clone()}</h1>
        <p class="meta muted">
            <StatusBadge status=idea.status />
            {format!(" #{} · proposed by {} · ", idea.id, idea.author)} {when(idea.created_at)}
            {(!idea.tags.is_empty()).then(|| format!(" · {}", idea.tags.join(", ")))}
        </p>
        {idea.results.clone().map(|r| view! {
            <section class="panel results" aria-labelledby="results-heading">
                <h2 id="results-heading">"Results"</h2>
                <p><strong>"Recommendation: "</strong>{r.recommendation.label()}</p>
                <h3>"What happened"</h3>
                <StoredHtml html=r.happened_html />
                {(!r.data_html.is_empty()).then(|| view! { <h3>"The data"</h3><StoredHtml html=r.data_html.clone() /> })}
                <h3>"What we learned"</h3>
                <StoredHtml html=r.learned_html />
            </section>
        })}
        {idea.run.clone().map(|run| view! {
            <p class="panel quiet">
                {format!("Run by {}, from {}", run_by(&run.owner, &run.co_owners), run.started_on.format("%-d %B %Y"))}
                {run.planned_end.map(|end| format!(", planned to end {}", end.format("%-d %B %Y")))}
                "."
            </p>
        })}
        <div class="admin-row">
            <VoteButton idea_id=id title=idea.title.clone() votes=idea.votes voted=idea.voted closed action=actions.vote />
            <ActionForm action=actions.follow>
                <input type="hidden" name="idea_id" value=id.to_string() />
                <input type="hidden" name="on" value=(!idea.following).to_string() />
                <button type="submit" class="button small">
                    {if idea.following { "Stop following" } else { "Follow this idea" }}
                </button>
            </ActionForm>
        </div>
        <FormError error=action_error(actions.vote) />
        {(!closed).then(|| view! {
            <p class="muted">{format!("You have {} of {} votes left.", idea.budget.left(), idea.budget.total)}</p>
        })}
        {idea.following.then(|| view! { <p class="muted">"You're following this idea: its changes and comments notify you."</p> })}
        <div class="proposal">
            <h2>"The problem"</h2>
            <StoredHtml html=idea.problem_html.clone() />
            <h2>"The experiment"</h2>
            <StoredHtml html=idea.experiment_html.clone() />
            <h2>"Hypothesis"</h2>
            <blockquote class="hypothesis">{idea.hypothesis.clone()}</blockquote>
            <h2>"How success will be measured"</h2>
            <StoredHtml html=idea.measure_html.clone() />
        </div>
        {can_move.then(|| view! { <MoveForm idea=idea.clone() action=actions.moved /> })}
        {(idea.can_moderate && running).then(|| view! { <ResultsForm idea_id=id action=actions.results /> })}
        <section id="history" aria-labelledby="history-heading">
            <h2 id="history-heading">"How it has moved"</h2>
            {idea.history.is_empty().then(|| view! { <p class="muted">"Proposed, and waiting for review."</p> })}
            <ol class="timeline">
                {idea.history.iter().cloned().map(|h| view! {
                    <li>
                        <strong>{format!("{} → {}", h.from.label(), h.to.label())}</strong>
                        <span class="muted">{format!(" · {} · ", h.by)} {when(h.at)}</span>
                        <p>{h.note}</p>
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <section aria-labelledby="comments-heading">
            <h2 id="comments-heading">{format!("Discussion ({})", idea.comment_count)}</h2>
            {idea.earlier_comments.then(|| view! { <p><a href=format!("/ideas/{id}#comments-heading")>"Earlier comments"</a></p> })}
            <ul class="comment-list">
                {idea.comments.iter().cloned().map(|c| view! {
                    <li id=format!("comment-{}", c.id) class="post">
                        <p class="post-head"><strong>{c.author}</strong><span class="muted">" · " {when(c.created_at)}</span></p>
                        <StoredHtml html=c.body_html />
                    </li>
                }).collect_view()}
            </ul>
            {idea.more_comments_after.map(|a| view! { <p><a href=format!("/ideas/{id}?after={a}")>"Later comments"</a></p> })}
            <ActionForm action=actions.comment attr:class="panel composer">
                <FormError error=comment_error />
                <input type="hidden" name="idea_id" value=id.to_string() />
                <Composer label="Add to the discussion" error=comment_error value=idea.comment_draft.clone() draft=Some(draft) keep=Some(comment_text) preview_html=idea.comment_preview_html.clone()
                    hint="Markdown works. Type @ to mention someone." rows=5 />
                <div class="button-row">
                    <button type="submit" class="button primary">"Post comment"</button>
                    <DraftButtons target=draft />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn MoveForm(idea: IdeaDetail, action: ServerAction<MoveIdea>) -> impl IntoView {
    let error = action_error(action);
    let choices: Vec<IdeaStatus> =
        idea.next_statuses.iter().copied().filter(|s| *s != IdeaStatus::Evaluated).collect();
    if choices.is_empty() {
        return ().into_any();
    }
    let approved = idea.status == IdeaStatus::Approved;
    view! {
        <section class="panel" aria-labelledby="move-heading">
            <h2 id="move-heading">"Move this idea (moderators)"</h2>
            <ActionForm action>
                <FormError error />
                <input type="hidden" name="idea_id" value=idea.id.to_string() />
                <div class="field">
                    <label for="f-to">"Move to"</label>
                    <select
                        id="f-to"
                        name="to"
                        aria-describedby="f-to-error"
                        aria-invalid=move || error.with(|e| e.as_ref().and_then(|e| e.field_error("to")).is_some()).then_some("true")
                    >
                        {choices.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" id="f-to-error" hidden=move || error.with(|e| e.as_ref().and_then(|e| e.field_error("to")).is_none())>
                        {move || error.with(|e| e.as_ref().and_then(|e| e.field_error("to")))}
                    </p>
                </div>
                <TextAreaField name="note" label="A short public note: why, and what happens next" error rows=2 maxlength=2000 />
                {approved.then(|| view! {
                    <fieldset>
                        <legend>"When it starts running"</legend>
                        <Field name="owner_email" label="Owner's email" error kind="email" />
                        <Field name="co_owner_emails" label="Co-owners' emails (optional)" error
                            hint="Up to four people who run it with the owner, separated by commas." />
                        <Field name="started_on" label="Start date" error kind="date" />
                        <Field name="planned_end" label="Planned end (optional)" error kind="date" />
                    </fieldset>
                })}
                <Field name="merge_into" label="When merging: the number of the idea to merge into" error
                    hint="Its votes move there; nobody's vote counts twice." />
                <button type="submit" class="button">"Move idea"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn ResultsForm(idea_id: i64, action: ServerAction<RecordResults>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="panel" aria-labelledby="results-form-heading">
            <h2 id="results-form-heading">"Record the results (moderators)"</h2>
            <ActionForm action>
                <FormError error />
                <input type="hidden" name="idea_id" value=idea_id.to_string() />
                <Composer name="happened" label="What happened" error rows=4 />
                <Composer name="data" label="The data (optional)" error rows=3 />
                <Composer name="learned" label="What we learned" error rows=4 />
                <fieldset>
                    <legend>"Recommendation"</legend>
                    {Recommendation::ALL.into_iter().map(|r| {
                        let id = format!("f-rec-{}", r.as_str());
                        view! {
                            <div class="field checkbox">
                                <input type="radio" id=id.clone() name="recommendation" value=r.as_str() />
                                <label for=id>{r.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <TextAreaField name="note" id_prefix="r" label="A public note about the results" error rows=2 maxlength=2000 />
                <button type="submit" class="button primary">"Mark evaluated"</button>
            </ActionForm>
        </section>
    }
}

/// "Ana", "Ana with Ben", "Ana with Ben and Cleo": who runs an experiment.
fn run_by(owner: &str, co_owners: &[String]) -> String {
    match co_owners {
        [] => owner.to_owned(),
        [one] => format!("{owner} with {one}"),
        [rest @ .., last] => format!("{owner} with {} and {last}", rest.join(", ")),
    }
}
