//! A community's members, for moderators: who is in it, adding someone by email (how
//! invite-only communities grow) and removing someone. Each change is audited.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::when;
use crate::components::{action_error, successes, successes_total, ErrorMessage, Field, FormError, Loading};
use crate::forums::api::{get_community_members, AddCommunityMember, RemoveCommunityMember};
use crate::forums::types::{MembersPage as Page, Visibility};

#[component]
pub fn MembersPage() -> impl IntoView {
    let params = use_params_map();
    let add = ServerAction::<AddCommunityMember>::new();
    let remove = ServerAction::<RemoveCommunityMember>::new();
    let done = successes_total([successes(add), successes(remove)]);
    let page = Resource::new(
        move || (params.with(|p| p.get("slug").unwrap_or_default()), done.get()),
        |(slug, _)| get_community_members(slug),
    );
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) => view! { <Members page add remove /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Members(
    page: Page,
    add: ServerAction<AddCommunityMember>,
    remove: ServerAction<RemoveCommunityMember>,
) -> impl IntoView {
    let error = action_error(add);
    let remove_error = action_error(remove);
    let c = page.community;
    let community_href = format!("/forums/c/{}", c.slug);
    let who_sees = if c.visibility == Visibility::Private {
        "Only members (and moderators) can see this community and its threads."
    } else {
        "This community is public: every member of Upstand can read it and post in it."
    };
    let shown = page.members.len() as i64;
    view! {
        <Title text=format!("Members of {} · Forums · Upstand", crate::components::title_text(&c.name)) />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href="/forums">"Forums"</a>" › "<a href=community_href>{c.name.clone()}</a>
        </nav>
        <h1>{format!("Members of {}", c.name)}</h1>
        <p class="muted">{who_sees}</p>
        <section class="panel" aria-labelledby="add-member-heading">
            <h2 id="add-member-heading">"Add someone"</h2>
            <ActionForm action=add>
                <FormError error />
                <input type="hidden" name="community_id" value=c.id.to_string() />
                <Field name="email" label="Their email address" kind="email" error required=true maxlength=254
                    hint="They must already have an account. Adding someone is written to the audit log." />
                <button type="submit" class="button">"Add to the community"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{format!("{} {}", page.total, if page.total == 1 { "member" } else { "members" })}</h2>
            <FormError error=remove_error />
            {(page.total == 0).then(|| view! { <p class="panel quiet">"No members yet."</p> })}
            <ul class="member-list">
                {page.members.into_iter().map(|m| {
                    let label = format!("Remove {} from the community", m.name);
                    view! {
                        <li>
                            <span><strong>{m.name.clone()}</strong>" " <span class="muted">{m.email}</span></span>
                            <span class="muted">"joined " {when(m.joined_at)}</span>
                            <ActionForm action=remove>
                                <input type="hidden" name="community_id" value=c.id.to_string() />
                                <input type="hidden" name="user_id" value=m.user_id.to_string() />
                                <button type="submit" class="button small" aria-label=label>"Remove"</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(page.total > shown).then(|| view! {
                <p class="muted">{format!("Showing the first {shown} by name.")}</p>
            })}
        </section>
    }
}
