//! The header: site navigation, and the account menu or sign-in links.

use leptos::prelude::*;
use leptos_router::components::A;

use super::use_session;
use crate::accounts::api::Logout;
use crate::auth::{CurrentUser, Permission};

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="site-header">
            <div class="brand">
                <A href="/">"Upstand"</A>
            </div>
            <nav aria-label="Main">
                <ul class="nav-links">
                    <li><A href="/forums">"Forums"</A></li>
                    <li><A href="/ideas">"Ideas"</A></li>
                    <li><A href="/mentorship">"Mentorship"</A></li>
                    <li><A href="/courses">"Courses"</A></li>
                </ul>
            </nav>
            // The bell sits outside the account menu's suspense: resources must not be created
            // inside another resource's suspended content, or hydration loses its place.
            <crate::notifications::pages::Bell />
            <Transition fallback=|| view! { <div class="account-menu"></div> }>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Some(user) => view! { <AccountMenu user session /> }.into_any(),
                        None => view! {
                            <div class="account-menu">
                                <a href="/login">"Sign in"</a>
                                <a href="/register" class="button">"Join"</a>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

/// Links for the signed-in person. A `<details>` menu works without JavaScript and with the
/// keyboard. Plain `<a>` (not `<A>`) inside suspended content: the router still handles the
/// clicks, and a render cancelled mid-way can't trip over a missing router context.
#[component]
fn AccountMenu(user: CurrentUser, session: super::Session) -> impl IntoView {
    // The session comes as a prop: this renders inside suspended content, where a render that
    // is cancelled half-way (a client leaving) may no longer reach the context.
    let logout = session.action::<Logout>();
    let is_admin = user.can(Permission::ManageUsers);
    // Close the menu once one of its items is chosen, and on Escape.
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(details) = menu.get_untracked() {
            details.set_open(false);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            close();
        }
    };
    view! {
        <div class="account-menu">
            <details class="menu" node_ref=menu on:keydown=on_keydown>
                <summary>
                    <span class="visually-hidden">"Account menu for "</span>
                    {user.display_name.clone()}
                </summary>
                <ul on:click=move |_| close()>
                    <li><a href="/account/profile">"Profile"</a></li>
                    <li><a href="/account/password">"Password"</a></li>
                    {is_admin.then(|| view! { <li><a href="/admin/users">"Admin: people"</a></li> })}
                    <li>
                        <ActionForm action=logout>
                            <button type="submit" class="link-button">"Sign out"</button>
                        </ActionForm>
                    </li>
                </ul>
            </details>
        </div>
    }
}
