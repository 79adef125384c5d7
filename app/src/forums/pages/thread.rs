//! A thread: its posts a page at a time, the reply box (with quoting), editing one's own
//! posts, and moderators' pin/lock and edit history. Everything works as plain forms.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::post::{PostActions, PostCard};
use crate::components::{action_error, ErrorMessage, Field, FormError, Loading, TextAreaField};
use crate::forums::api::{
    get_post_history, get_post_source, get_quote, get_thread_page, CreatePost, EditPost, PreviewMarkdown,
    SetThreadState, WatchThread,
};
use crate::forums::types::{PostView, ThreadDetail};

#[component]
pub fn ThreadPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let thread_id = move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0));
    let q = move |key: &str| query.with(|q| q.get(key).and_then(|v| v.parse::<i64>().ok()));
    let reply = ServerAction::<CreatePost>::new();
    let edit = ServerAction::<EditPost>::new();
    let state = ServerAction::<SetThreadState>::new();
    let watch = ServerAction::<WatchThread>::new();
    let actions = PostActions { react: ServerAction::new(), delete: ServerAction::new() };
    let page = Resource::new(
        move || {
            (
                thread_id(),
                q("after").map(|a| a as i32),
                reply.version().get(),
                edit.version().get(),
                state.version().get(),
                watch.version().get(),
                actions.react.version().get(),
                actions.delete.version().get(),
            )
        },
        |(id, after, ..)| get_thread_page(id, after),
    );
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) => {
                        let t = page.thread.clone();
                        let base = format!("/forums/t/{}", t.id);
                        let older = page.prev_after.map(|a| if a == 0 { base.clone() } else { format!("{base}?after={a}") });
                        let newer = page.next_after.map(|a| format!("{base}?after={a}"));
                        let read_up_to = page.read_up_to;
                        let first_unread = read_up_to
                            .filter(|r| *r < t.post_count)
                            .map(|r| crate::forums::api::thread_post_href(t.id, r + 1));
                        let editing = q("edit");
                        let history = q("history");
                        view! {
                            <Title text=format!("{} · Upstand", crate::components::title_text(&t.title)) />
                            <nav aria-label="Breadcrumb" class="breadcrumb">
                                <a href="/forums">"Forums"</a>" › "
                                <a href=format!("/forums/c/{}", t.community.slug)>{t.community.name.clone()}</a>
                            </nav>
                            <h1>{t.title.clone()}</h1>
                            <p class="meta muted">
                                {t.pinned.then(|| view! { <span class="badge">"Pinned"</span> })}
                                {t.locked.then(|| view! { <span class="badge">"Locked"</span> })}
                                {(!t.tags.is_empty()).then(|| format!("Tags: {}", t.tags.join(", ")))}
                            </p>
                            <WatchButton thread_id=t.id watching=t.watching action=watch />
                            {t.can_moderate.then(|| view! { <ModeratorTools thread=t.clone() action=state /> })}
                            {first_unread.map(|href| view! { <p><a href=href class="button small">"Jump to first unread"</a></p> })}
                            <Pager older=older.clone() newer=newer.clone() />
                            <div class="posts">
                                {page.posts.into_iter().map(|p| {
                                    let extra = extra_for(&p, editing, history, t.can_moderate, edit);
                                    let is_new = read_up_to.is_some_and(|r| p.seq > r);
                                    view! { <PostCard post=p thread_id=t.id can_react=t.can_reply can_moderate=t.can_moderate actions extra is_new /> }
                                }).collect_view()}
                            </div>
                            <Pager older newer />
                            <ReplyBox thread=t action=reply />
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The edit form or edit history to show in place of a post's body, when the URL asks.
fn extra_for(
    post: &PostView,
    editing: Option<i64>,
    history: Option<i64>,
    can_moderate: bool,
    edit: ServerAction<EditPost>,
) -> Option<AnyView> {
    if editing == Some(post.id) && post.is_own {
        return Some(view! { <EditForm post_id=post.id warning=post.content_warning.clone().unwrap_or_default() action=edit /> }.into_any());
    }
    if history == Some(post.id) && can_moderate {
        return Some(view! { <History post_id=post.id /> }.into_any());
    }
    None
}

#[component]
fn Pager(older: Option<String>, newer: Option<String>) -> impl IntoView {
    (older.is_some() || newer.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of this thread">
                {older.map(|h| view! { <a href=h>"← Earlier posts"</a> })}
                {newer.map(|h| view! { <a href=h>"Later posts →"</a> })}
            </nav>
        }
    })
}

#[component]
fn WatchButton(thread_id: i64, watching: bool, action: ServerAction<WatchThread>) -> impl IntoView {
    view! {
        <ActionForm action>
            <input type="hidden" name="thread_id" value=thread_id.to_string() />
            <input type="hidden" name="on" value=(!watching).to_string() />
            <button type="submit" class="button small" aria-pressed=watching.to_string()>
                {if watching { "Following: replies notify you" } else { "Follow this thread" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn ModeratorTools(thread: ThreadDetail, action: ServerAction<SetThreadState>) -> impl IntoView {
    let id = thread.id.to_string();
    let id2 = id.clone();
    view! {
        <div class="admin-row" role="group" aria-label="Moderator tools">
            <ActionForm action>
                <input type="hidden" name="thread_id" value=id2 />
                <input type="hidden" name="pinned" value=(!thread.pinned).to_string() />
                <button type="submit" class="button small">{if thread.pinned { "Unpin thread" } else { "Pin thread" }}</button>
            </ActionForm>
            <ActionForm action>
                <input type="hidden" name="thread_id" value=id />
                <input type="hidden" name="locked" value=(!thread.locked).to_string() />
                <button type="submit" class="button small">{if thread.locked { "Unlock thread" } else { "Lock thread" }}</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn ReplyBox(thread: ThreadDetail, action: ServerAction<CreatePost>) -> impl IntoView {
    let query = use_query_map();
    let error = action_error(action);
    let quote_id = query.with_untracked(|q| q.get("quote").and_then(|v| v.parse::<i64>().ok()));
    let quote = Resource::new(
        move || quote_id,
        |id| async move {
            match id {
                Some(id) => get_quote(id).await.ok(),
                None => None,
            }
        },
    );
    let preview = ServerAction::<PreviewMarkdown>::new();
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    if !thread.can_reply {
        let why = if thread.locked {
            "This thread is locked: it can be read, but not replied to."
        } else if thread.community.archived {
            "This community is archived: you can read it, but not post."
        } else {
            "Join the community to reply."
        };
        return view! { <p class="panel quiet" id="reply">{why}</p> }.into_any();
    }
    view! {
        <section class="panel composer" id="reply" aria-labelledby="reply-heading">
            <h2 id="reply-heading">"Reply"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let quoted = quote.await;
                    view! {
                        <ActionForm action>
                            <FormError error />
                            <input type="hidden" name="thread_id" value=thread.id.to_string() />
                            {quote_id.filter(|_| quoted.is_some()).map(|id| view! { <input type="hidden" name="quoted_post_id" value=id.to_string() /> })}
                            <div class="field" class:has-error=move || error.with(|e| e.as_ref().and_then(|e| e.field_error("body")).is_some())>
                                <label for="f-body">"Your reply"</label>
                                <p class="field-hint" id="f-body-hint">"Markdown works. Quoting? Keep just the part you're answering. Mention someone with @First_Last."</p>
                                <textarea id="f-body" name="body" rows="7" node_ref=body_ref aria-describedby="f-body-hint f-body-error">
                                    {error.with_untracked(|e| e.as_ref().and_then(|e| e.field_value("body"))).or(quoted.clone()).unwrap_or_default()}
                                </textarea>
                                <p class="field-error" id="f-body-error" hidden=move || error.with(|e| e.as_ref().and_then(|e| e.field_error("body")).is_none())>
                                    {move || error.with(|e| e.as_ref().and_then(|e| e.field_error("body")))}
                                </p>
                            </div>
                            <Field name="content_warning" label="Content warning (optional)" error maxlength=200 />
                            {thread.community.allow_anonymous.then(|| view! {
                                <div class="field checkbox">
                                    <input type="checkbox" id="f-anonymous" name="anonymous" />
                                    <label for="f-anonymous">"Reply anonymously"</label>
                                </div>
                            })}
                            <div class="button-row">
                                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Post reply"</button>
                                <button type="button" class="button js-only" on:click=move |_| {
                                    if let Some(el) = body_ref.get() {
                                        preview.dispatch(PreviewMarkdown { body: el.value() });
                                    }
                                }>"Preview"</button>
                            </div>
                        </ActionForm>
                    }
                })}
            </Transition>
            {move || preview.value().get().map(|r| match r {
                Ok(html) => view! {
                    <section class="preview" aria-label="Preview"><h3>"Preview"</h3><crate::components::StoredHtml html /></section>
                }.into_any(),
                Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
    .into_any()
}

#[component]
fn EditForm(post_id: i64, warning: String, action: ServerAction<EditPost>) -> impl IntoView {
    let error = action_error(action);
    let source = Resource::new(move || post_id, get_post_source);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new({
                let warning = warning.clone();
                async move {
                    match source.await {
                        Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                        Ok(body) => view! {
                            <ActionForm action>
                                <FormError error />
                                <input type="hidden" name="post_id" value=post_id.to_string() />
                                <TextAreaField name="body" label="Edit your post" error value=body rows=7 />
                                <Field name="content_warning" label="Content warning (optional)" error value=warning maxlength=200 />
                                <button type="submit" class="button primary">"Save changes"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn History(post_id: i64) -> impl IntoView {
    let revisions = Resource::new(move || post_id, get_post_history);
    view! {
        <section class="history" aria-label="Edit history">
            <h3>"Earlier versions"</h3>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match revisions.await {
                        Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                        Ok(list) => view! {
                            <ol>
                                {list.into_iter().map(|r| view! {
                                    <li><p class="muted">{super::when(r.created_at)}</p><pre class="revision">{r.body}</pre></li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
