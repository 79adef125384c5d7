//! The list of learning communities, and the admin's tools for them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::Permission;
use crate::components::{
    action_error, successes, successes_total, ErrorMessage, Field, FormError, Loading, SelectField,
    TextAreaField,
};
use crate::forums::api::{
    list_communities, ArchiveCommunity, CreateCommunity, JoinCommunity, MoveCommunity, UpdateCommunity,
};
use crate::forums::types::{CommunitySummary, JoinPolicy, Visibility};
use crate::shell::use_session;

#[component]
pub fn CommunitiesPage() -> impl IntoView {
    let session = use_session();
    let create = ServerAction::<CreateCommunity>::new();
    let archive = ServerAction::<ArchiveCommunity>::new();
    let reorder = ServerAction::<MoveCommunity>::new();
    let join = ServerAction::<JoinCommunity>::new();
    let done = successes_total([successes(archive), successes(reorder), successes(join)]);
    let communities = Resource::new(move || done.get(), |_| list_communities());
    view! {
        <Title text="Forums · Upstand" />
        <section>
            <div class="page-head">
                <h1>"Learning communities"</h1>
                <form method="get" action="/forums/search" role="search" class="search-row">
                    <label for="forum-search">"Search the forums"</label>
                    <input id="forum-search" type="search" name="q" />
                    <button type="submit" class="button">"Search"</button>
                </form>
            </div>
            <p class="lede muted">
                "Discussion groups where peer supporters and colleagues share experiences, challenges "
                "and successes, ask for advice and reflect together."
            </p>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let is_admin = session.user.await.is_some_and(|u| u.can(Permission::ManageCommunities));
                    match communities.await {
                        Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="panel quiet">"There are no communities yet."</p>
                            {is_admin.then(|| view! { <NewCommunityForm action=create /> })}
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="community-list">
                                {list.into_iter().map(|c| view! {
                                    <CommunityCard community=c is_admin archive reorder join />
                                }).collect_view()}
                            </ul>
                            {is_admin.then(|| view! { <NewCommunityForm action=create /> })}
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CommunityCard(
    community: CommunitySummary,
    is_admin: bool,
    archive: ServerAction<ArchiveCommunity>,
    reorder: ServerAction<MoveCommunity>,
    join: ServerAction<JoinCommunity>,
) -> impl IntoView {
    let id = community.id.to_string();
    let href = format!("/forums/c/{}", community.slug);
    let private = community.visibility == Visibility::Private;
    let can_join = !community.is_member && community.join_policy == JoinPolicy::Open && !community.archived;
    let (id1, id2, id3, id4) = (id.clone(), id.clone(), id.clone(), id);
    view! {
        <li class="community-card">
            <h2>
                <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill=community.colour.clone() /></svg>
                <a href=href>{community.name.clone()}</a>
            </h2>
            <p>{community.description.clone()}</p>
            <p class="meta muted">
                {format!("{} threads · {} posts", community.thread_count, community.post_count)}
                {private.then_some(" · Private")}
                {community.allow_anonymous.then_some(" · Anonymous posting allowed")}
                {community.archived.then_some(" · Archived (read-only)")}
                {community.is_member.then_some(" · You're a member")}
            </p>
            {can_join.then(|| view! {
                <ActionForm action=join>
                    <input type="hidden" name="community_id" value=id1 />
                    <button type="submit" class="button small">{format!("Join {}", community.name)}</button>
                </ActionForm>
            })}
            {is_admin.then(|| view! {
                <div class="admin-row">
                    <ActionForm action=reorder>
                        <input type="hidden" name="id" value=id2 />
                        <input type="hidden" name="direction" value="up" />
                        <button type="submit" class="button small">"Move up"</button>
                    </ActionForm>
                    <ActionForm action=reorder>
                        <input type="hidden" name="id" value=id3 />
                        <input type="hidden" name="direction" value="down" />
                        <button type="submit" class="button small">"Move down"</button>
                    </ActionForm>
                    <ActionForm action=archive>
                        <input type="hidden" name="id" value=id4 />
                        <input type="hidden" name="archived" value=(!community.archived).to_string() />
                        <button type="submit" class="button small">
                            {if community.archived { "Restore" } else { "Archive" }}
                        </button>
                    </ActionForm>
                </div>
            })}
        </li>
    }
}

#[component]
fn NewCommunityForm(action: ServerAction<CreateCommunity>) -> impl IntoView {
    let error = action_error(action);
    let visibility = vec![
        ("public".to_owned(), "Public to all members".to_owned()),
        ("private".to_owned(), "Private (members only)".to_owned()),
    ];
    let join = vec![
        ("open".to_owned(), "Anyone may join".to_owned()),
        ("invite".to_owned(), "Invite-only (moderators add people)".to_owned()),
    ];
    view! {
        <details class="panel">
            <summary>"Create a community"</summary>
            <ActionForm action>
                <FormError error />
                <Field name="name" label="Name" error required=true maxlength=80 />
                <Field name="slug" label="Address" error hint="Used in links, e.g. new-supporters." required=true maxlength=49 />
                <TextAreaField name="description" label="Description" error rows=3 maxlength=1000 />
                <Field name="colour" label="Colour" kind="text" error value="#2f6b5e".to_owned() hint="A hex colour, e.g. #2f6b5e." />
                <SelectField name="visibility" label="Who can see it" error options=visibility value="public".to_owned() />
                <SelectField name="join_policy" label="Joining" error options=join value="open".to_owned() />
                <div class="field checkbox">
                    <input type="checkbox" id="f-allow_anonymous" name="allow_anonymous" />
                    <label for="f-allow_anonymous">"Allow anonymous posts"</label>
                </div>
                <button type="submit" class="button primary">"Create community"</button>
            </ActionForm>
        </details>
    }
}

fn visibility_options() -> Vec<(String, String)> {
    vec![
        ("public".to_owned(), "Public to all members".to_owned()),
        ("private".to_owned(), "Private (members only)".to_owned()),
    ]
}

fn join_options() -> Vec<(String, String)> {
    vec![
        ("open".to_owned(), "Anyone may join".to_owned()),
        ("invite".to_owned(), "Invite-only (moderators add people)".to_owned()),
    ]
}

/// The admin's form to change a community's name, address, description, colour and rules.
#[component]
pub fn EditCommunityForm(community: CommunitySummary) -> impl IntoView {
    let action = ServerAction::<UpdateCommunity>::new();
    let error = action_error(action);
    let visibility = if community.visibility == Visibility::Private { "private" } else { "public" };
    let join = if community.join_policy == JoinPolicy::Invite { "invite" } else { "open" };
    view! {
        <details class="panel" open=error.with_untracked(|e| e.is_some())>
            <summary>"Edit community"</summary>
            <ActionForm action>
                <FormError error />
                <input type="hidden" name="id" value=community.id.to_string() />
                <Field name="name" label="Name" error value=community.name.clone() required=true maxlength=80 />
                <Field name="slug" label="Address" error value=community.slug.clone() required=true maxlength=49 />
                <TextAreaField name="description" label="Description" error value=community.description.clone() rows=3 maxlength=1000 />
                <Field name="colour" label="Colour" error value=community.colour.clone() hint="A hex colour, e.g. #2f6b5e." />
                <SelectField name="visibility" label="Who can see it" error options=visibility_options() value=visibility.to_owned() />
                <SelectField name="join_policy" label="Joining" error options=join_options() value=join.to_owned() />
                <div class="field checkbox">
                    <input type="checkbox" id="f-edit-allow_anonymous" name="allow_anonymous" checked=community.allow_anonymous />
                    <label for="f-edit-allow_anonymous">"Allow anonymous posts"</label>
                </div>
                <button type="submit" class="button primary">"Save community"</button>
            </ActionForm>
        </details>
    }
}
