//! Lessons learned: every evaluated experiment with what it taught and the recommendation,
//! newest first, so the next experiment starts smarter.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{urlencode, ErrorMessage, Loading, StoredHtml};
use crate::forums::pages::when;
use crate::ideas::api::list_lessons;

#[component]
pub fn LessonsPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(move || query.with(|q| q.get("after")), list_lessons);
    view! {
        <Title text="Lessons learned · Idea board · Upstand" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/ideas">"Idea board"</a></nav>
        <h1>"Lessons learned"</h1>
        <p class="muted">"Every experiment we ran, what happened, and what we would do next time."</p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) => view! {
                        {page.lessons.is_empty().then(|| view! {
                            <p class="panel quiet">"No experiment has been evaluated yet. The first results will appear here."</p>
                        })}
                        <ul class="lesson-list">
                            {page.lessons.into_iter().map(|l| view! {
                                <li class="panel lesson">
                                    <h2><a href=format!("/ideas/{}", l.id)>{l.title}</a></h2>
                                    <p class="muted">{l.hypothesis}" · evaluated " {when(l.evaluated_at)}</p>
                                    <p><strong>"Recommendation: "</strong>{l.recommendation.label()}</p>
                                    <h3>"What we learned"</h3>
                                    <StoredHtml html=l.learned_html />
                                </li>
                            }).collect_view()}
                        </ul>
                        {page.next.map(|n| view! { <p><a href=format!("/ideas/lessons?after={}", urlencode(&n))>"Earlier lessons"</a></p> })}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
