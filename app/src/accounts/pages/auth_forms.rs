//! Register and sign-in forms. Both are plain forms posting to server functions, so they work
//! before (or without) the WebAssembly loading.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::accounts::api::{Login, Register};
use crate::components::{action_error, Field, FormError};
use crate::shell::use_session;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = use_session().action::<Register>();
    let error = action_error(action);
    view! {
        <Title text="Join · Upstand" />
        <section class="form-page">
            <h1>"Join Upstand"</h1>
            <p class="muted">"Create an account to join the program's learning communities."</p>
            <ActionForm action=action>
                <FormError error />
                <Field name="display_name" label="Your name" error autocomplete="name"
                    hint="How others will see you. A first name is fine." required=true maxlength=60 />
                <Field name="email" label="Email" kind="email" error autocomplete="email" required=true maxlength=254 />
                <Field name="password" label="Password" kind="password" error autocomplete="new-password"
                    hint="At least 8 characters. A few unrelated words together work well." required=true />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    "Create account"
                </button>
            </ActionForm>
            <p>"Already have an account? " <A href="/login">"Sign in"</A></p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = use_session().action::<Login>();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    view! {
        <Title text="Sign in · Upstand" />
        <section class="form-page">
            <h1>"Sign in"</h1>
            <ActionForm action=action>
                <FormError error />
                <input type="hidden" name="next" value=next />
                <Field name="email" label="Email" kind="email" error autocomplete="email" required=true />
                <Field name="password" label="Password" kind="password" error autocomplete="current-password" required=true />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
            <p>"New here? " <A href="/register">"Create an account"</A></p>
        </section>
    }
}
