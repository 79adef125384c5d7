//! The notifications page: newest first, each linking to the post; mark one or all read.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{ErrorMessage, Loading};
use crate::forums::pages::when;
use crate::notifications::api::{list_notifications, MarkNotificationsRead};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let query = use_query_map();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let page = Resource::new(
        move || (query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok())), mark.version().get()),
        |(before, _)| list_notifications(before),
    );
    view! {
        <Title text="Notifications · Upstand" />
        <h1>"Notifications"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) => view! {
                        {(page.unread > 0).then(|| view! {
                            <ActionForm action=mark>
                                <button type="submit" class="button small">"Mark all as read"</button>
                            </ActionForm>
                        })}
                        {page.items.is_empty().then(|| view! { <p class="panel quiet">"Nothing new. When someone replies, mentions or quotes you, or an idea you follow moves on, it shows up here."</p> })}
                        <ul class="notification-list">
                            {page.items.into_iter().map(|n| {
                                let href = n.href.clone();
                                let id = n.id.to_string();
                                view! {
                                    <li class="notification" class:unread=!n.read>
                                        <a href=href>{n.sentence()}</a>
                                        <span class="muted">" · " {when(n.created_at)}</span>
                                        {(!n.read).then(|| view! {
                                            <ActionForm action=mark>
                                                <input type="hidden" name="id" value=id />
                                                <button type="submit" class="link-button">"Mark read"</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {page.next_before.map(|b| view! { <p><a href=format!("/notifications?before={b}")>"Older notifications"</a></p> })}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
