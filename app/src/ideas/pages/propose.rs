//! Proposing an experiment: the problem, what to try, a testable hypothesis and how success
//! will be measured. Markdown (with preview) in the long fields.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{action_error, Composer, Field, FormError, TextAreaField};
use crate::ideas::api::ProposeIdea;

#[component]
pub fn ProposeIdeaPage() -> impl IntoView {
    let action = ServerAction::<ProposeIdea>::new();
    let error = action_error(action);
    view! {
        <Title text="Propose an idea · Upstand" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/ideas">"Idea board"</a></nav>
        <h1>"Propose an idea"</h1>
        <p class="muted">
            "Small experiments teach the most: something we can try for a few weeks, with a way to "
            "tell whether it helped."
        </p>
        <ActionForm action attr:class="panel composer">
            <FormError error />
            <Field name="title" label="Title" error required=true maxlength=150
                hint="A few words, e.g. \"Buddy check-ins for new hires\"." />
            <Composer name="problem" label="The problem it addresses" error rows=5
                hint="What happens now, and who it affects. Markdown works." />
            <Composer name="experiment" label="The experiment" error rows=5
                hint="What we would try, with whom, and for how long." />
            <TextAreaField name="hypothesis" label="Hypothesis" error rows=2 maxlength=1000
                hint="\"We believe … will …\": what you expect to change." />
            <Composer name="measure" label="How success will be measured" error rows=4
                hint="What we will look at before and after (a short survey, reports raised, attendance)." />
            <Field name="tags" label="Tags (optional)" error hint="Up to 5, separated by commas." />
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Propose idea"</button>
        </ActionForm>
    }
}
