//! One post in a thread: author (or alias), content warning, body, reactions and actions.

use leptos::prelude::*;

use super::when;
use crate::components::StoredHtml;
use crate::forums::api::{thread_post_href, DeletePost, ReactToPost};
use crate::forums::types::{Author, PostView};

#[derive(Clone, Copy)]
pub struct PostActions {
    pub react: ServerAction<ReactToPost>,
    pub delete: ServerAction<DeletePost>,
}

#[component]
pub fn PostCard(
    post: PostView,
    thread_id: i64,
    /// The reader may react, quote and edit their own posts (the thread is open to them).
    can_react: bool,
    can_moderate: bool,
    actions: PostActions,
    /// Shown instead of the body (the edit form or history), when asked for.
    extra: Option<AnyView>,
    /// Posted since the reader's last visit.
    is_new: bool,
    /// The reader may reveal anonymous authors (admins).
    #[prop(optional)]
    can_reveal: bool,
) -> impl IntoView {
    let anchor = format!("post-{}", post.seq);
    let heading_id = format!("post-{}-by", post.seq);
    let labelled_by = heading_id.clone();
    let base = format!("/forums/t/{thread_id}");
    if post.deleted {
        return view! {
            <article class="post removed" id=anchor aria-labelledby=labelled_by>
                <p id=heading_id class="muted">{format!("#{} · This post was removed by its author.", post.seq)}</p>
            </article>
        }
        .into_any();
    }
    let quote_href = format!("{base}?quote={}#reply", post.id);
    // With JavaScript, "Quote" takes only the part of the post the reader selected, if any.
    let article = NodeRef::<leptos::html::Article>::new();
    let navigate = leptos_router::hooks::use_navigate();
    let (quote_base, quote_id) = (base.clone(), post.id);
    let quote_selection = move |ev: leptos::ev::MouseEvent| {
        if let Some(href) = selected_part_href(&quote_base, quote_id, article) {
            ev.prevent_default();
            navigate(&href, Default::default());
        }
    };
    let edit_href =
        format!("{}&edit={}#post-{}", page_base(&thread_post_href(thread_id, post.seq)), post.id, post.seq);
    let history_href = format!(
        "{}&history={}#post-{}",
        page_base(&thread_post_href(thread_id, post.seq)),
        post.id,
        post.seq
    );
    let body = view! { <StoredHtml html=post.body_html.clone() /> };
    let body = match post.content_warning.clone() {
        Some(cw) => view! {
            <details class="content-warning">
                <summary>{format!("Content warning: {cw}")}<span class="muted">" (open to read)"</span></summary>
                {body}
            </details>
        }
        .into_any(),
        None => body.into_any(),
    };
    let post_id = post.id.to_string();
    let react_post_id = post_id.clone();
    view! {
        <article class="post" class:new-post=is_new id=anchor aria-labelledby=labelled_by node_ref=article>
            <header class="post-head">
                <h2 id=heading_id class="post-author">{post.author.label()}</h2>
                {is_new.then(|| view! { <span class="badge new">"New"</span> })}
                <span class="muted">
                    <a href=format!("#post-{}", post.seq)>{format!("#{}", post.seq)}</a>
                    " · " {when(post.created_at)}
                    {post.edited.then_some(" · edited")}
                </span>
            </header>
            {post.quoted.clone().map(|q| view! {
                <p class="quoted-ref muted">
                    "Replying to "
                    <a href=format!("{}", thread_post_href(thread_id, q.seq))>{format!("{}'s post #{}", q.author.label(), q.seq)}</a>
                </p>
            })}
            {match extra {
                Some(extra) => extra,
                None => body,
            }}
            <footer class="post-actions">
                <div class="reactions" role="group" aria-label="Reactions">
                    // One form for the post: the pressed button says which reaction, and
                    // whether it is given or taken back (a page has one such form per post).
                    {if can_react {
                        view! {
                            <ActionForm action=actions.react>
                                <input type="hidden" name="post_id" value=react_post_id />
                                {post.reactions.iter().map(|r| view! {
                                    <button type="submit" name=if r.mine { "take_back" } else { "give" } value=r.kind.as_str()
                                        class="reaction" class:mine=r.mine aria-pressed=r.mine.to_string()>
                                        {format!("{} {}", r.kind.label(), r.count)}
                                    </button>
                                }).collect_view()}
                            </ActionForm>
                        }.into_any()
                    } else {
                        post.reactions.iter().map(|r| view! {
                            <span class="reaction">{format!("{} {}", r.kind.label(), r.count)}</span>
                        }).collect_view().into_any()
                    }}
                </div>
                <div class="post-links">
                    {can_react.then(|| view! { <a href=quote_href on:click=quote_selection
                        // Pressing the link would otherwise clear the selection before the click.
                        on:mousedown=|ev| ev.prevent_default()>"Quote"</a> })}
                    // A locked thread or archived community keeps its posts as they are, but
                    // authors can always remove their own.
                    {(post.is_own && can_react).then(|| view! { <a href=edit_href>"Edit"</a> })}
                    {post.is_own.then(|| view! {
                        <ActionForm action=actions.delete>
                            <input type="hidden" name="post_id" value=post_id />
                            <button type="submit" class="link-button">"Delete"</button>
                        </ActionForm>
                    })}
                    {(can_moderate && post.edited).then(|| view! { <a href=history_href>"Edit history"</a> })}
                    {(can_reveal && matches!(post.author, Author::Anonymous { .. })).then(|| view! {
                        <a href=format!("/forums/posts/{}/reveal", post.id)>"Reveal author…"</a>
                    })}
                </div>
            </footer>
        </article>
    }
    .into_any()
}

/// `href` without its anchor, ready for more query parameters.
fn page_base(href: &str) -> String {
    let path = href.split('#').next().unwrap_or(href);
    if path.contains('?') {
        path.to_owned()
    } else {
        format!("{path}?")
    }
}

/// The address that quotes just the selected part of this post, when the reader selected
/// text inside it; `None` otherwise (then the link quotes the whole post, as without
/// JavaScript).
fn selected_part_href(base: &str, post_id: i64, article: NodeRef<leptos::html::Article>) -> Option<String> {
    let selection = window().get_selection().ok()??;
    let text = String::from(selection.to_string());
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let post = article.get_untracked()?;
    let inside = |node: Option<web_sys::Node>| node.is_some_and(|n| post.contains(Some(&n)));
    if !inside(selection.anchor_node()) || !inside(selection.focus_node()) {
        return None;
    }
    let part = crate::components::urlencode(&crate::forums::policy::quote_part(text));
    Some(format!("{base}?quote={post_id}&part={part}#reply"))
}
