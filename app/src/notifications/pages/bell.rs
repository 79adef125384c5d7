//! The bell: a link to the notifications page with the unread count, fetched again on every
//! navigation and, while someone is signed in, whenever the server says they were notified.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::notifications::api::count_unread_notifications;

#[component]
pub fn Bell() -> impl IntoView {
    let location = use_location();
    let nudged = RwSignal::new(0u32);
    let count = Resource::new(
        move || (location.pathname.get(), location.search.get(), nudged.get()),
        |_| count_unread_notifications(),
    );
    let signed_in = Memo::new(move |_| matches!(count.get(), Some(Ok(Some(_)))));
    Effect::new(move |_| {
        if signed_in.get() {
            crate::live::use_live_events("/live/notifications".to_owned(), move |_| {
                nudged.update(|n| *n += 1);
            });
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
