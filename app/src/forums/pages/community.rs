//! One community: its threads (pinned first, then by latest activity) and the form to start one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::when;
use crate::components::{
    action_error, successes, successes_total, Composer, DraftButtons, DraftTarget, ErrorMessage, Field,
    FormError, Loading,
};
use crate::drafts::types::{Draft, DraftPlace};
use crate::forums::api::{get_community_page, CreateThread, JoinCommunity, LeaveCommunity, WatchCommunity};
use crate::forums::types::{CommunityPage as Page, CommunitySummary, JoinPolicy, ThreadSummary};

#[component]
pub fn CommunityPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let join = ServerAction::<JoinCommunity>::new();
    let leave = ServerAction::<LeaveCommunity>::new();
    let watch = ServerAction::<WatchCommunity>::new();
    // Data is fetched again after an action succeeds (not after a refused one, which would
    // reset the form being corrected).
    let done = successes_total([successes(join), successes(leave), successes(watch)]);
    let page = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                query.with(|q| q.get("before")),
                query.with(|q| q.get("notice").as_deref() == Some("draft-preview")),
                done.get(),
            )
        },
        |(slug, before, preview, ..)| get_community_page(slug, before, preview.then_some(true)),
    );
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) => {
                        let c = page.community.clone();
                        let next = page.next.clone().map(|n| format!("/forums/c/{}?before={n}", c.slug));
                        let first_page = query.with_untracked(|q| q.get("before").is_none());
                        view! {
                            <Title text=format!("{} · Forums · Upstand", crate::components::title_text(&c.name)) />
                            <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/forums">"Forums"</a></nav>
                            <div class="page-head">
                                <h1>{c.name.clone()}</h1>
                                <div class="admin-row">
                                    <Membership community=c.clone() join leave />
                                    {page.can_moderate.then(|| view! {
                                        <a class="button small" href=format!("/forums/c/{}/members", c.slug)>"Members"</a>
                                    })}
                                    {(!page.members_only).then(|| view! {
                                        <ActionForm action=watch>
                                            <input type="hidden" name="community_id" value=c.id.to_string() />
                                            <input type="hidden" name="on" value=(!page.watching).to_string() />
                                            <button type="submit" class="button small" aria-pressed=page.watching.to_string()>
                                                {if page.watching { "Following new threads" } else { "Follow new threads" }}
                                            </button>
                                        </ActionForm>
                                    })}
                                </div>
                            </div>
                            <p class="muted">{c.description.clone()}</p>
                            {if page.members_only {
                                view! {
                                    <p class="panel quiet">
                                        "This is a private community: its conversations are for its members. "
                                        "Anyone can join; once you have, you can read and take part."
                                    </p>
                                }.into_any()
                            } else {
                                view! { <Threads page=page c first_page next /> }.into_any()
                            }}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The community's threads, and the forms of those who may post or manage it.
#[component]
fn Threads(page: Page, c: CommunitySummary, first_page: bool, next: Option<String>) -> impl IntoView {
    view! {
        {(page.pinned.is_empty() && page.threads.is_empty() && first_page).then(|| view! {
            <p class="panel quiet">"No threads yet. Start the first conversation."</p>
        })}
        <ul class="thread-list">
            {page.pinned.into_iter().chain(page.threads).map(|t| view! { <ThreadRow thread=t /> }).collect_view()}
        </ul>
        {next.map(|href| view! { <p><a href=href>"Older threads"</a></p> })}
        {page.can_manage.then(|| view! { <super::EditCommunityForm community=c.clone() /> })}
        <NewThread community=c draft=page.draft preview_html=page.preview_html />
    }
}

#[component]
fn Membership(
    community: CommunitySummary,
    join: ServerAction<JoinCommunity>,
    leave: ServerAction<LeaveCommunity>,
) -> impl IntoView {
    let id = community.id.to_string();
    if community.is_member {
        view! {
            <ActionForm action=leave>
                <input type="hidden" name="community_id" value=id />
                <button type="submit" class="button small">"Leave community"</button>
            </ActionForm>
        }
        .into_any()
    } else if community.join_policy == JoinPolicy::Open && !community.archived {
        view! {
            <ActionForm action=join>
                <input type="hidden" name="community_id" value=id />
                <button type="submit" class="button small">"Join community"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        ().into_any()
    }
}

#[component]
fn ThreadRow(thread: ThreadSummary) -> impl IntoView {
    let href = format!("/forums/t/{}", thread.id);
    let replies = match thread.replies {
        1 => "1 reply".to_owned(),
        n => format!("{n} replies"),
    };
    let unseen = thread.unread.is_none();
    let new_posts = thread.unread.filter(|n| *n > 0).zip(thread.first_unread_seq).map(|(n, seq)| {
        let href = crate::forums::api::thread_post_href(thread.id, seq);
        view! { <a href=href class="badge new">{format!("{n} new")}</a> }
    });
    view! {
        <li class="thread-row">
            <div>
                {thread.pinned.then(|| view! { <span class="badge">"Pinned"</span> })}
                {thread.locked.then(|| view! { <span class="badge">"Locked"</span> })}
                <a href=href class="thread-title" class:unseen=unseen>{thread.title.clone()}</a>
                {new_posts}
                {thread.content_warning.clone().map(|cw| view! { <span class="badge cw">{format!("CW: {cw}")}</span> })}
            </div>
            <p class="meta muted">
                {thread.author.label()} " · " {replies} " · last activity " {when(thread.last_post_at)}
                {(!thread.tags.is_empty()).then(|| format!(" · {}", thread.tags.join(", ")))}
            </p>
        </li>
    }
}

#[component]
fn NewThread(community: CommunitySummary, draft: Draft, preview_html: Option<String>) -> impl IntoView {
    let action = ServerAction::<CreateThread>::new();
    let error = action_error(action);
    let opened = error.with_untracked(|e| e.is_some()) || draft != Draft::default();
    let target = DraftTarget { place: DraftPlace::Thread, target_id: community.id };
    if community.archived {
        return view! { <p class="muted">"This community is archived: you can read it, but not post."</p> }
            .into_any();
    }
    view! {
        <details class="panel composer" open=opened>
            <summary>"Start a thread"</summary>
            <ActionForm action>
                <FormError error />
                <input type="hidden" name="community_id" value=community.id.to_string() />
                <Field name="title" label="Title" error required=true maxlength=150 value=draft.title />
                <Composer label="What would you like to share or ask?" error rows=8 value=draft.body
                    draft=Some(target) preview_html
                    hint="Markdown works: **bold**, _italic_, lists, > quotes and links. Type @ to mention someone." />
                <Field name="tags" label="Tags (optional)" error hint="Up to 5, separated by commas." />
                <Field name="content_warning" label="Content warning (optional)" error maxlength=200
                    hint="If your post describes something distressing, name it here; readers will see the warning first." />
                {community.allow_anonymous.then(|| view! {
                    <div class="field checkbox">
                        <input type="checkbox" id="f-anonymous" name="anonymous" />
                        <label for="f-anonymous">"Post anonymously (others see an alias, not your name)"</label>
                    </div>
                })}
                <div class="button-row">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>"Post thread"</button>
                    <DraftButtons target />
                </div>
            </ActionForm>
        </details>
    }
    .into_any()
}
