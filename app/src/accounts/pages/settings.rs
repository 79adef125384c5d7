//! One's own profile and password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::accounts::api::{get_profile, list_time_zones, ChangePassword, UpdateProfile};
use crate::components::{
    action_error, ErrorMessage, Field, FormError, Loading, SelectField, StoredHtml, TextAreaField,
};
use crate::shell::use_session;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let action = use_session().action::<UpdateProfile>();
    let error = action_error(action);
    let profile = Resource::new(move || action.version().get(), |_| get_profile());
    let zones = Resource::new(|| (), |_| list_time_zones());
    view! {
        <Title text="Your profile · Upstand" />
        <section class="form-page">
            <h1>"Your profile"</h1>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let profile = match profile.await {
                        Ok(p) => p,
                        Err(e) => return view! { <ErrorMessage error=e /> }.into_any(),
                    };
                    let zones: Vec<(String, String)> = zones
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .map(|z| (z.clone(), z.replace('_', " ")))
                        .collect();
                    let bio_html = profile.bio_html.clone();
                    view! {
                        <p class="muted">{format!("Signed in as {}", profile.email)}</p>
                        <ActionForm action>
                            <FormError error />
                            <Field name="display_name" label="Name" error value=profile.display_name.clone()
                                autocomplete="name" required=true maxlength=60 />
                            <Field name="pronouns" label="Pronouns (optional)" error value=profile.pronouns.clone()
                                hint="For example she/her, they/them." maxlength=40 />
                            <Field name="department" label="Department (optional)" error value=profile.department.clone()
                                autocomplete="organization-title" maxlength=80 />
                            <SelectField name="time_zone" label="Time zone" error value=profile.time_zone.clone()
                                options=zones />
                            <TextAreaField name="bio" label="About you (optional)" error value=profile.bio.clone()
                                hint="A few words for other members. Markdown works: **bold**, _italic_, lists and links."
                                maxlength=2000 />
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                "Save profile"
                            </button>
                        </ActionForm>
                        {(!bio_html.is_empty()).then(|| view! {
                            <section class="panel quiet" aria-labelledby="bio-preview">
                                <h2 id="bio-preview">"How your bio looks to others"</h2>
                                <StoredHtml html=bio_html />
                            </section>
                        })}
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let session = use_session();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action);
    view! {
        <Title text="Change password · Upstand" />
        <section class="form-page">
            <h1>"Change your password"</h1>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    if session.user.await.is_none() {
                        return view! { <crate::components::SignInPrompt /> }.into_any();
                    }
                    view! {
                        <p class="muted">"Changing it signs you out on your other devices."</p>
                        <ActionForm action>
                            <FormError error />
                            <Field name="current_password" label="Current password" kind="password" error
                                autocomplete="current-password" required=true />
                            <Field name="new_password" label="New password" kind="password" error
                                autocomplete="new-password" required=true
                                hint="At least 8 characters. A few unrelated words together work well." />
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                "Change password"
                            </button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}
