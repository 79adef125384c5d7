//! A thread: its posts a page at a time, new replies appearing live, the reply box (with
//! quoting and a kept draft), editing one's own posts, and moderators' pin/lock and edit
//! history. Everything works as plain forms; the page's data comes in one server call.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::post::{PostActions, PostCard};
use crate::components::{
    action_error, successes, successes_total, Composer, DraftButtons, DraftTarget, ErrorMessage, Field,
    FormError, Loading,
};
use crate::drafts::types::DraftPlace;
use crate::forums::api::{get_thread_page, CreatePost, EditPost, SetThreadState, WatchThread};
use crate::forums::types::{PostView, Revision, ThreadDetail, ThreadPage as Page};

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
    // The page's live stream follows this thread while it is shown.
    let live = crate::live::use_live();
    Effect::new(move |_| live.thread.set(Some(thread_id())));
    on_cleanup(move || live.thread.set(None));
    // What is typed in the reply box survives the page re-rendering; posting empties it.
    let reply_text = RwSignal::new(None::<String>);
    // The quotation last added to the reply box, so that the page rendering again (a reaction,
    // a live update) does not add it once more.
    let added_quote = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if matches!(reply.value().get(), Some(Ok(()))) {
            reply_text.set(None);
            added_quote.set(None);
        }
    });
    // Data is fetched again after an action succeeds (not after a refused one, which would
    // reset the form being corrected).
    let done = successes_total([
        successes(reply),
        successes(edit),
        successes(state),
        successes(watch),
        successes(actions.react),
        successes(actions.delete),
    ]);
    let page = Resource::new(
        move || {
            (
                (
                    thread_id(),
                    q("after").map(|a| a as i32),
                    q("quote"),
                    query.with(|q| q.get("part")),
                    q("edit"),
                    q("history"),
                ),
                query.with(|q| q.get("notice").as_deref() == Some("draft-preview")),
                done.get(),
            )
        },
        |((id, after, quote, part, edit, history), preview, ..)| {
            get_thread_page(id, after, quote, part, edit, history, preview.then_some(true))
        },
    );
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) => view! { <Thread page live reply reply_text added_quote edit state watch actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Thread(
    page: Page,
    /// Passed down rather than read from context inside the suspended view (see `AccountMenu`).
    live: crate::live::Live,
    reply: ServerAction<CreatePost>,
    reply_text: RwSignal<Option<String>>,
    added_quote: RwSignal<Option<String>>,
    edit: ServerAction<EditPost>,
    state: ServerAction<SetThreadState>,
    watch: ServerAction<WatchThread>,
    actions: PostActions,
) -> impl IntoView {
    let t = page.thread.clone();
    let base = format!("/forums/t/{}", t.id);
    let older = page.prev_after.map(|a| if a == 0 { base.clone() } else { format!("{base}?after={a}") });
    let newer = page.next_after.map(|a| format!("{base}?after={a}"));
    let read_up_to = page.read_up_to;
    let first_unread =
        read_up_to.filter(|r| *r < t.post_count).map(|r| crate::forums::api::thread_post_href(t.id, r + 1));
    // New replies are appended live only on the thread's last page.
    let live_from = page.next_after.is_none().then(|| page.posts.last().map_or(0, |p| p.seq));
    let editing = page.editing.clone();
    let history = page.history.clone();
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
                let extra = extra_for(&p, editing.as_ref(), history.as_ref(), edit);
                let is_new = read_up_to.is_some_and(|r| p.seq > r);
                view! { <PostCard post=p thread_id=t.id can_react=t.can_reply can_moderate=t.can_moderate can_reveal=t.can_reveal actions extra is_new /> }
            }).collect_view()}
            {live_from.map(|seq| view! { <LiveReplies thread=t.clone() after=seq actions live /> })}
        </div>
        <Pager older newer />
        <ReplyBox thread=t action=reply kept=reply_text added_quote composer=page.composer quoting=page.quoting
            quotation=page.quotation preview_html=page.preview_html />
    }
}

/// Replies posted while the page is open, fetched when the live stream says one arrived
/// (through any instance), and announced to screen readers.
#[component]
fn LiveReplies(
    thread: ThreadDetail,
    after: i32,
    actions: PostActions,
    live: crate::live::Live,
) -> impl IntoView {
    let thread_id = thread.id;
    let fresh = RwSignal::new(Vec::<PostView>::new());
    let more = RwSignal::new(false);
    let seen = StoredValue::new(after);
    let busy = StoredValue::new(false);
    let again = StoredValue::new(false);
    // Every stored value may be gone by the time a fetch returns (the page re-rendered or the
    // reader left): then the loop just stops.
    let load = move || {
        if busy.try_get_value() != Some(false) {
            again.try_set_value(true);
            return;
        }
        busy.try_set_value(true);
        leptos::task::spawn_local(async move {
            loop {
                again.try_set_value(false);
                let Some(after) = seen.try_get_value() else { return };
                if let Ok(page) = get_thread_page(thread_id, Some(after), None, None, None, None, None).await
                {
                    if let Some(last) = page.posts.last() {
                        seen.try_set_value(last.seq);
                    }
                    more.try_set(page.next_after.is_some());
                    fresh.try_update(|list| list.extend(page.posts));
                }
                if again.try_get_value() != Some(true) {
                    break;
                }
            }
            busy.try_set_value(false);
        });
    };
    Effect::new(move |_| {
        let (_, seq) = live.thread_news.get();
        // A new post's number, or `None`: look for anything missed.
        if seq.is_none_or(|seq| Some(seq) > seen.try_get_value()) {
            load();
        }
    });
    let announcement = move || match fresh.with(Vec::len) {
        0 => String::new(),
        1 => "1 new reply below.".to_owned(),
        n => format!("{n} new replies below."),
    };
    view! {
        {move || fresh.get().into_iter().map(|p| view! {
            <PostCard post=p thread_id can_react=thread.can_reply can_moderate=thread.can_moderate can_reveal=thread.can_reveal actions extra=None is_new=true />
        }).collect_view()}
        {move || more.get().then(|| view! {
            <p><a href=format!("/forums/t/{thread_id}?after={}", seen.get_value())>"More new replies"</a></p>
        })}
        <p class="visually-hidden" role="status">{announcement}</p>
    }
}

/// The edit form or edit history to show in place of a post's body, when the URL asks.
fn extra_for(
    post: &PostView,
    editing: Option<&(i64, String)>,
    history: Option<&(i64, Vec<Revision>)>,
    edit: ServerAction<EditPost>,
) -> Option<AnyView> {
    if let Some((id, body)) = editing.filter(|(id, _)| *id == post.id) {
        let warning = post.content_warning.clone().unwrap_or_default();
        return Some(view! { <EditForm post_id=*id body=body.clone() warning action=edit /> }.into_any());
    }
    if let Some((_, revisions)) = history.filter(|(id, _)| *id == post.id) {
        return Some(view! { <History revisions=revisions.clone() /> }.into_any());
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
fn ReplyBox(
    thread: ThreadDetail,
    action: ServerAction<CreatePost>,
    kept: RwSignal<Option<String>>,
    added_quote: RwSignal<Option<String>>,
    composer: String,
    quoting: Option<i64>,
    quotation: Option<String>,
    preview_html: Option<String>,
) -> impl IntoView {
    let error = action_error(action);
    // Quoting after typing: `composer` holds only the saved draft, so the quotation goes below
    // what is typed (kept), once.
    if let Some(quoted) = quotation.filter(|q| added_quote.with_untracked(|a| a.as_ref() != Some(q))) {
        if let Some(mut typed) = kept.get_untracked() {
            crate::forums::policy::append_quote(&mut typed, &quoted);
            kept.set(Some(typed));
        }
        added_quote.set(Some(quoted));
    }
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
    let draft = DraftTarget { place: DraftPlace::Reply, target_id: thread.id };
    view! {
        <section class="panel composer" id="reply" aria-labelledby="reply-heading">
            <h2 id="reply-heading">"Reply"</h2>
            <ActionForm action>
                <FormError error />
                <input type="hidden" name="thread_id" value=thread.id.to_string() />
                {quoting.map(|id| view! { <input type="hidden" name="quoted_post_id" value=id.to_string() /> })}
                <Composer label="Your reply" error value=composer draft=Some(draft) keep=Some(kept) preview_html
                    hint="Markdown works. Quoting? Keep just the part you're answering. Type @ to mention someone." />
                <Field name="content_warning" label="Content warning (optional)" error maxlength=200 />
                {thread.community.allow_anonymous.then(|| view! {
                    <div class="field checkbox">
                        <input type="checkbox" id="f-anonymous" name="anonymous" />
                        <label for="f-anonymous">"Reply anonymously"</label>
                    </div>
                })}
                <div class="button-row">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>"Post reply"</button>
                    <DraftButtons target=draft />
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn EditForm(post_id: i64, body: String, warning: String, action: ServerAction<EditPost>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <ActionForm action>
            <FormError error />
            <input type="hidden" name="post_id" value=post_id.to_string() />
            <Composer label="Edit your post" id_prefix="edit" error value=body />
            <Field name="content_warning" label="Content warning (optional)" error value=warning maxlength=200 />
            <button type="submit" class="button primary">"Save changes"</button>
        </ActionForm>
    }
}

#[component]
fn History(revisions: Vec<Revision>) -> impl IntoView {
    view! {
        <section class="history" aria-label="Edit history">
            <h3>"Earlier versions"</h3>
            <ol>
                {revisions.into_iter().map(|r| view! {
                    <li><p class="muted">{super::when(r.created_at)}</p><pre class="revision">{r.body}</pre></li>
                }).collect_view()}
            </ol>
        </section>
    }
}
