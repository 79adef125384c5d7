//! Search across everything the reader may see, with filters. A plain GET form, so results
//! have shareable addresses and work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::when;
use crate::components::{urlencode, ErrorMessage, Loading};
use crate::forums::api::{search_forums, thread_post_href};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).unwrap_or_default();
    let results = Resource::new(
        move || (get("q"), get("community"), get("author"), get("from"), get("to"), get("after")),
        |(q, community, author, from, to, after)| {
            let opt = |s: String| (!s.is_empty()).then_some(s);
            search_forums(q, opt(community), opt(author), opt(from), opt(to), opt(after))
        },
    );
    view! {
        <Title text="Search · Forums · Upstand" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/forums">"Forums"</a></nav>
        <h1>"Search the forums"</h1>
        <form method="get" action="/forums/search" role="search" class="search-form">
            <div class="field">
                <label for="s-q">"Words to find"</label>
                <input id="s-q" type="search" name="q" value=move || get("q") />
            </div>
            <div class="filters">
                <div class="field">
                    <label for="s-community">"Community address (optional)"</label>
                    <input id="s-community" name="community" value=move || get("community") />
                </div>
                <div class="field">
                    <label for="s-author">"Author's name (optional)"</label>
                    <input id="s-author" name="author" value=move || get("author") />
                </div>
                <div class="field">
                    <label for="s-from">"From"</label>
                    <input id="s-from" type="date" name="from" value=move || get("from") />
                </div>
                <div class="field">
                    <label for="s-to">"To"</label>
                    <input id="s-to" type="date" name="to" value=move || get("to") />
                </div>
            </div>
            <button type="submit" class="button primary">"Search"</button>
        </form>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let searched = !get("q").trim().is_empty();
                match results.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) if page.hits.is_empty() => view! {
                        {searched.then(|| view! { <p class="panel quiet">"Nothing found. Try fewer or different words."</p> })}
                    }.into_any(),
                    Ok(page) => {
                        let next = page.next.map(|n| {
                            let keep: String = ["q", "community", "author", "from", "to"]
                                .iter()
                                .map(|k| format!("{k}={}&", urlencode(&get(k))))
                                .collect();
                            format!("/forums/search?{keep}after={}", urlencode(&n))
                        });
                        view! {
                            <ol class="search-results">
                                {page.hits.into_iter().map(|h| view! {
                                    <li class="search-hit">
                                        <a href=thread_post_href(h.thread_id, h.seq) class="thread-title">{h.thread_title}</a>
                                        <p class="snippet">
                                            {h.snippet.into_iter().map(|(text, hit)| if hit {
                                                view! { <mark>{text}</mark> }.into_any()
                                            } else {
                                                view! { <span>{text}</span> }.into_any()
                                            }).collect_view()}
                                        </p>
                                        <p class="meta muted">{h.community_name} " · " {h.author.label()} " · " {when(h.created_at)}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                            {next.map(|href| view! { <p><a href=href>"More results"</a></p> })}
                            {page.older_left_out.then(|| view! {
                                <p class="panel quiet">
                                    "These are the best matches among the newest posts that mention this. "
                                    "To reach older ones, add words or choose dates."
                                </p>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
