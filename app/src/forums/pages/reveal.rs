//! Revealing who wrote an anonymous post (admins): a reason is required, and every reveal is
//! listed here and kept in the audit log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::when;
use crate::components::{action_error, successes, ErrorMessage, FormError, Loading, TextAreaField};
use crate::forums::api::{get_reveal_page, thread_post_href, RevealAnonymousAuthor};
use crate::forums::types::RevealPage as Page;

#[component]
pub fn RevealPage() -> impl IntoView {
    let params = use_params_map();
    let reveal = ServerAction::<RevealAnonymousAuthor>::new();
    let revealed = successes(reveal);
    let page = Resource::new(
        move || {
            (params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0)), revealed.get())
        },
        |(id, _)| get_reveal_page(id),
    );
    view! {
        <Title text="Reveal an anonymous author · Upstand" />
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(page) => view! { <Reveal page action=reveal /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Reveal(page: Page, action: ServerAction<RevealAnonymousAuthor>) -> impl IntoView {
    let error = action_error(action);
    let post_href = thread_post_href(page.thread_id, page.seq);
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href="/forums">"Forums"</a>" › "<a href=post_href>{page.thread_title.clone()}</a>
        </nav>
        <h1>{format!("Reveal who wrote Anonymous {}", page.alias)}</h1>
        <p>
            "Anonymous posting is a promise to people who need it. Reveal an author only when someone's "
            "safety, or a serious breach of the program's agreements, requires it. Your name, the time "
            "and your reason are kept in the audit log."
        </p>
        <section class="panel" aria-labelledby="reveals-heading">
            <h2 id="reveals-heading">"Reveals of this post"</h2>
            {if page.reveals.is_empty() {
                view! { <p class="muted">"No one has revealed this author."</p> }.into_any()
            } else {
                view! {
                    <ul class="reveals">
                        {page.reveals.into_iter().map(|r| view! {
                            <li>
                                <strong>{r.author.unwrap_or_else(|| "An account since deleted".to_owned())}</strong>
                                <span class="muted">" · revealed by " {r.revealed_by} ", " {when(r.at)}</span>
                                <p>{format!("Reason: {}", r.reason)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <ActionForm action>
            <FormError error />
            <input type="hidden" name="post_id" value=page.post_id.to_string() />
            <TextAreaField name="reason" label="Why does this need to be revealed?" error rows=3 maxlength=500 />
            <button type="submit" class="button">"Reveal the author"</button>
        </ActionForm>
    }
}
