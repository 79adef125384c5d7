//! Proposing an experiment: the problem, what to try, a testable hypothesis and how success
//! will be measured. Markdown (with preview) in the long fields; the unsent proposal is kept as
//! a draft while typing (with JavaScript) or with "Save draft" / "Preview" (without).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::components::{
    action_error, use_autosave, Composer, ErrorMessage, Field, FormError, Loading, SaveDraftButtons,
    TextAreaField,
};
use crate::ideas::api::{get_proposal_draft, save_proposal_draft, ProposeIdea, SaveProposalDraft};
use crate::ideas::types::ProposalDraft;

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
    // The whole form is the draft, kept once typing pauses (see `use_autosave`).
    let autosave = use_autosave(
        move || form.get(),
        move |fields: SaveProposalDraft| {
            save.dispatch(fields);
        },
        |f: SaveProposalDraft| {
            leptos::task::spawn_local(async move {
                let _ = save_proposal_draft(
                    f.title,
                    f.problem,
                    f.experiment,
                    f.hypothesis,
                    f.measure,
                    f.tags,
                    None,
                )
                .await;
            });
        },
    );
    let on_input = move |_| {
        let Some(data) = form.get_untracked().and_then(|f| web_sys::FormData::new_with_form(&f).ok()) else {
            return;
        };
        let field = |name: &str| data.get(name).as_string().unwrap_or_default();
        autosave(SaveProposalDraft {
            title: field("title"),
            problem: field("problem"),
            experiment: field("experiment"),
            hypothesis: field("hypothesis"),
            measure: field("measure"),
            tags: field("tags"),
            preview: None,
        });
    };
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
        <ActionForm action node_ref=form attr:class="panel composer" on:input=on_input>
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
