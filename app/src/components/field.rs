//! Labelled form fields that show their own error and keep what was typed.
//!
//! Each field reads the last `AppError` of its form: the message for its `name` is shown
//! under it (announced to screen readers through `aria-describedby`), and the value that was
//! submitted is put back, which matters without JavaScript, where the page is rebuilt after a
//! redirect. Passwords are never refilled.

use leptos::prelude::*;

use crate::error::AppError;

fn ids(name: &str) -> (String, String, String) {
    ids_with("f", name)
}

fn ids_with(prefix: &str, name: &str) -> (String, String, String) {
    (format!("{prefix}-{name}"), format!("{prefix}-{name}-error"), format!("{prefix}-{name}-hint"))
}

fn describedby(err_id: String, hint_id: String, has_hint: bool, has_error: bool) -> Option<String> {
    let mut parts = Vec::new();
    if has_hint {
        parts.push(hint_id);
    }
    if has_error {
        parts.push(err_id);
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[component]
fn Hint(id: String, text: &'static str) -> impl IntoView {
    (!text.is_empty()).then(|| view! { <p class="field-hint" id=id>{text}</p> })
}

#[component]
fn FieldMessage(id: String, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id hidden=move || message.get().is_none()>
            {move || message.get()}
        </p>
    }
}

/// A single-line input.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "")] hint: &'static str,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let (id, err_id, hint_id) = ids(name);
    let is_password = kind == "password";
    let message = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_error(name))));
    let current = move || {
        if is_password {
            return None;
        }
        Some(error.with(|e| e.as_ref().and_then(|e| e.field_value(name))).unwrap_or_else(|| value.get()))
    };
    let (e1, h1) = (err_id.clone(), hint_id.clone());
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <Hint id=hint_id text=hint />
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=current
                required=required
                maxlength=maxlength
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=move || describedby(e1.clone(), h1.clone(), !hint.is_empty(), message.get().is_some())
            />
            <FieldMessage id=err_id message />
        </div>
    }
}

/// A multi-line input.
#[component]
pub fn TextAreaField(
    name: &'static str,
    /// Prefix of the element ids, for two fields of the same name on one page.
    #[prop(default = "f")]
    id_prefix: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "")] hint: &'static str,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(default = 5)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let (id, err_id, hint_id) = ids_with(id_prefix, name);
    let message = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_error(name))));
    let current = Signal::derive(move || {
        error.with(|e| e.as_ref().and_then(|e| e.field_value(name))).unwrap_or_else(|| value.get())
    });
    let (e1, h1) = (err_id.clone(), hint_id.clone());
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <Hint id=hint_id text=hint />
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=maxlength
                prop:value=current
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=move || describedby(e1.clone(), h1.clone(), !hint.is_empty(), message.get().is_some())
            >
                {move || super::textarea_text(&current.get_untracked())}
            </textarea>
            <FieldMessage id=err_id message />
        </div>
    }
}

/// A choice from a list of (value, label) options.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] value: Signal<String>,
) -> impl IntoView {
    let (id, err_id, _) = ids(name);
    let message = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_error(name))));
    let current = Signal::derive(move || {
        error.with(|e| e.as_ref().and_then(|e| e.field_value(name))).unwrap_or_else(|| value.get())
    });
    let e1 = err_id.clone();
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=move || message.get().is_some().then(|| e1.clone())
            >
                // Long lists (time zones): plain options, chosen once, no per-option reactivity.
                {move || {
                    let chosen = current.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == chosen;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldMessage id=err_id message />
        </div>
    }
}

/// Problems that belong to the whole form (wrong credentials, throttling, permissions).
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// List every field's message here too (for forms whose fields show no messages).
    #[prop(optional)]
    show_field_errors: bool,
) -> impl IntoView {
    let message = move || {
        error.with(|e| match e {
            None => None,
            Some(AppError::Validation(f)) => f.errors.get("form").cloned().or_else(|| {
                if show_field_errors {
                    Some(f.errors.values().cloned().collect::<Vec<_>>().join(" "))
                } else {
                    Some("Please check the highlighted fields.".to_owned())
                }
            }),
            Some(other) => Some(other.to_string()),
        })
    };
    view! {
        <div class="form-error" role="alert" hidden=move || message().is_none()>
            {message}
        </div>
    }
}
