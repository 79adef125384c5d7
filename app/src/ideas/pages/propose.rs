//! Proposing an experiment: the problem, what to try, a testable hypothesis and how success
//! will be measured. Markdown (with preview) in the long fields; the unsent proposal is kept as
//! a draft while typing (with JavaScript) or with "Save draft" / "Preview" (without).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::components::{
    action_error, Composer, ErrorMessage, Field, FormError, Loading, SaveDraftButtons, TextAreaField,
};
use crate::ideas::api::{get_proposal_draft, ProposeIdea, SaveProposalDraft};
use crate::ideas::types::ProposalDraft;

/// Quiet time after the last keystroke before the draft is saved.
#[cfg(feature = "hydrate")]
const SAVE_AFTER: std::time::Duration = std::time::Duration::from_millis(1200);

#[component]
pub fn ProposeIdeaPage() -> impl IntoView {
    let query = use_query_map();
    let draft = Resource::new(
        move || query.with(|q| q.get("notice").as_deref() == Some("draft-preview")),
        |preview| get_proposal_draft(preview.then_some(true)),
    );
    view! {
        <Title text="Propose an idea · Upstand" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/ideas">"Idea board"</a></nav>
        <h1>"Propose an idea"</h1>
        <p class="muted">
            "Small experiments teach the most: something we can try for a few weeks, with a way to "
            "tell whether it helped."
        </p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match draft.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(draft) => view! { <ProposalForm draft /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProposalForm(draft: ProposalDraft) -> impl IntoView {
    let action = ServerAction::<ProposeIdea>::new();
    let error = action_error(action);
    let save = ServerAction::<SaveProposalDraft>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    autosave(form, save);
    let status = move || {
        if save.pending().get() {
            return "Saving draft…".to_owned();
        }
        match save.value().get() {
            Some(Ok(())) => "Draft saved".to_owned(),
            Some(Err(e)) => format!("Draft not saved: {e}"),
            None => String::new(),
        }
    };
    let preview = draft.preview.clone().unwrap_or_default();
    let previewing = draft.preview.is_some();
    let shown = move |html: String| (previewing && !html.is_empty()).then_some(html);
    view! {
        <ActionForm action node_ref=form attr:class="panel composer">
            <FormError error />
            <Field name="title" label="Title" error required=true maxlength=150 value=draft.title
                hint="A few words, e.g. \"Buddy check-ins for new hires\"." />
            <Composer name="problem" label="The problem it addresses" error rows=5 value=draft.problem
                preview_html=shown(preview.problem_html)
                hint="What happens now, and who it affects. Markdown works." />
            <Composer name="experiment" label="The experiment" error rows=5 value=draft.experiment
                preview_html=shown(preview.experiment_html)
                hint="What we would try, with whom, and for how long." />
            <TextAreaField name="hypothesis" label="Hypothesis" error rows=2 maxlength=1000 value=draft.hypothesis
                hint="\"We believe … will …\": what you expect to change." />
            <Composer name="measure" label="How success will be measured" error rows=4 value=draft.measure
                preview_html=shown(preview.measure_html)
                hint="What we will look at before and after (a short survey, reports raised, attendance)." />
            <Field name="tags" label="Tags (optional)" error value=draft.tags hint="Up to 5, separated by commas." />
            <div class="button-row">
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Propose idea"</button>
                <SaveDraftButtons url=SaveProposalDraft::PATH />
                <span class="muted draft-status js-only">{status}</span>
            </div>
        </ActionForm>
    }
}

/// Saves the whole form as the proposal draft once typing pauses (in the browser only), and
/// drops a waiting save when the form is sent.
fn autosave(form: NodeRef<leptos::html::Form>, save: ServerAction<SaveProposalDraft>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        let timer = StoredValue::new(None::<TimeoutHandle>);
        let listeners =
            StoredValue::new_local(None::<(web_sys::HtmlFormElement, Closure<dyn Fn()>, Closure<dyn Fn()>)>);
        Effect::new(move |_| {
            let Some(el) = form.get() else { return };
            let on_input = {
                let el = el.clone();
                Closure::<dyn Fn()>::new(move || {
                    if let Some(handle) = timer.get_value() {
                        handle.clear();
                    }
                    let el = el.clone();
                    let handle = set_timeout_with_handle(
                        move || {
                            let Ok(data) = web_sys::FormData::new_with_form(&el) else { return };
                            let field = |name: &str| data.get(name).as_string().unwrap_or_default();
                            save.dispatch(SaveProposalDraft {
                                title: field("title"),
                                problem: field("problem"),
                                experiment: field("experiment"),
                                hypothesis: field("hypothesis"),
                                measure: field("measure"),
                                tags: field("tags"),
                                preview: None,
                            });
                        },
                        SAVE_AFTER,
                    );
                    timer.set_value(handle.ok());
                })
            };
            let on_submit = Closure::<dyn Fn()>::new(move || {
                if let Some(handle) = timer.try_get_value().flatten() {
                    handle.clear();
                }
            });
            let _ = el.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
            let _ = el.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
            listeners.set_value(Some((el, on_input, on_submit)));
        });
        on_cleanup(move || {
            if let Some(handle) = timer.try_get_value().flatten() {
                handle.clear();
            }
            listeners.try_with_value(|l| {
                if let Some((el, on_input, on_submit)) = l {
                    let _ =
                        el.remove_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
                    let _ =
                        el.remove_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (form, save);
}
