//! The bell: a link to the notifications page with the unread count, fetched again on every
//! navigation and, while someone is signed in, whenever the server says they were notified.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::notifications::api::count_unread_notifications;

#[component]
pub fn Bell() -> impl IntoView {
    let location = use_location();
    let live = crate::live::use_live();
    let count = Resource::new(
        move || (location.pathname.get(), location.search.get(), live.notified.get()),
        |_| count_unread_notifications(),
    );
    // Only signed-in people get a live stream (the bell learns who is signed in first).
    Effect::new(move |_| {
        let signed_in = matches!(count.get(), Some(Ok(Some(_))));
        if live.signed_in.get_untracked() != signed_in {
            live.signed_in.set(signed_in);
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Some(n) = count.await.ok().flatten() else {
                    return ().into_any();
                };
                let label = match n {
                    0 => "Notifications".to_owned(),
                    1 => "Notifications, 1 unread".to_owned(),
                    n if n >= 100 => "Notifications, 99+ unread".to_owned(),
                    n => format!("Notifications, {n} unread"),
                };
                let badge = match n {
                    0 => None,
                    n if n >= 100 => Some("99+".to_owned()),
                    n => Some(n.to_string()),
                };
                view! {
                    <a href="/notifications" class="bell" aria-label=label>
                        <span aria-hidden="true">"🔔"</span>
                        {badge.map(|b| view! { <span class="bell-count" aria-hidden="true">{b}</span> })}
                    </a>
                }
                .into_any()
            })}
        </Transition>
    }
}
