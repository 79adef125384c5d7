//! The home page: what the program is, and where to go next.

use leptos::prelude::*;
use leptos_meta::Title;

use super::use_session;

/// Practices from the program's own description of how it learns, each linking to where it lives.
const PRACTICES: [(&str, &str, &str); 4] = [
    (
        "Learning communities",
        "Discussion groups where peer supporters share experiences, challenges and successes.",
        "/forums",
    ),
    (
        "Innovation and experimentation",
        "Suggest a new idea, try it out, and share the lessons learned.",
        "/ideas",
    ),
    ("Mentorship", "Peer-to-peer learning between experienced and newer supporters.", "/mentorship"),
    (
        "Professional development",
        "Training, workshops, webinars and conferences, often with outside experts.",
        "/courses",
    ),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Upstand" />
        <section class="hero">
            <Transition fallback=|| view! { <h1>"Welcome to Upstand"</h1> }>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Some(user) => view! { <h1>{format!("Welcome back, {}", user.display_name)}</h1> }.into_any(),
                        None => view! { <h1>"Welcome to Upstand"</h1> }.into_any(),
                    }
                })}
            </Transition>
            <p class="lede">
                "A calm place for our peer-support program against workplace bullying: "
                "we learn from each other, try new things, and keep getting better together."
            </p>
        </section>
        <section aria-labelledby="practices-heading">
            <h2 id="practices-heading">"How we learn together"</h2>
            <ul class="card-grid">
                {PRACTICES
                    .into_iter()
                    .map(|(title, text, href)| view! {
                        <li class="card">
                            <h3><a href=href>{title}</a></h3>
                            <p>{text}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="panel quiet" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">"Your privacy"</h2>
            <p>
                "Only members of the program can read what is shared here. You choose what goes on "
                "your profile, and you can change it any time."
            </p>
        </section>
    }
}
