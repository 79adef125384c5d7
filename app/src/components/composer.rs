//! The box people write posts in: Markdown with a preview, @mention suggestions, and a draft
//! that is kept as they type.
//!
//! Without JavaScript it is a plain textarea; [`DraftButtons`] then offer "Save draft" and
//! "Preview", which save the draft on the server and show the page again (with the preview
//! rendered there).

use std::time::Duration;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use server_fn::ServerFn;

use crate::drafts::{api::SaveDraft, types::DraftPlace};
use crate::error::AppError;
use crate::forums::api::{PreviewMarkdown, SuggestMentions};

/// Where a composer's text is kept as a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftTarget {
    pub place: DraftPlace,
    pub target_id: i64,
}

/// Quiet time after the last keystroke before the draft is saved.
const SAVE_AFTER: Duration = Duration::from_millis(1200);

#[component]
pub fn Composer(
    #[prop(default = "body")] name: &'static str,
    label: &'static str,
    #[prop(default = "")] hint: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// What the box starts with; the text of a refused submission wins over it.
    #[prop(into)]
    value: String,
    #[prop(default = 7)] rows: u32,
    /// Keep the text as a draft here while the person types.
    #[prop(default = None)]
    draft: Option<DraftTarget>,
    /// A preview rendered on the server (asked for without JavaScript).
    #[prop(default = None)]
    preview_html: Option<String>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("f-{name}-error");
    let hint_id = format!("f-{name}-hint");
    let list_id = format!("f-{name}-people");
    let message = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_error(name))));
    let initial = error.with_untracked(|e| e.as_ref().and_then(|e| e.field_value(name))).unwrap_or(value);
    let textarea = NodeRef::<leptos::html::Textarea>::new();

    let save = ServerAction::<SaveDraft>::new();
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let schedule_save = move || {
        let Some(target) = draft else { return };
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let Some(el) = textarea.get_untracked() else { return };
                let title = el
                    .form()
                    .and_then(|f| web_sys::FormData::new_with_form(&f).ok())
                    .and_then(|d| d.get("title").as_string());
                save.dispatch(SaveDraft {
                    place: target.place.as_str().to_owned(),
                    target_id: target.target_id,
                    body: el.value(),
                    title,
                    preview: None,
                });
            },
            SAVE_AFTER,
        );
        timer.set_value(handle.ok());
    };
    // A save still waiting when the form is sent would bring the posted text back as a draft.
    let cancel_save = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
            timer.set_value(None);
        }
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(form) = textarea.get().and_then(|el| el.form()) else { return };
        let on_submit = Closure::<dyn Fn()>::new(cancel_save);
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        // The listener lives as long as its form does.
        on_submit.forget();
    });
    on_cleanup(cancel_save);
    let draft_status = move || {
        if save.pending().get() {
            return "Saving draft…".to_owned();
        }
        match save.value().get() {
            Some(Ok(())) => "Draft saved".to_owned(),
            Some(Err(e)) => e.field_error("body").unwrap_or_else(|| format!("Draft not saved: {e}")),
            None => String::new(),
        }
    };

    // @mention suggestions: `open_at` is (where the '@' is, where the caret is), in UTF-16
    // units as the browser counts them.
    let suggest = ServerAction::<SuggestMentions>::new();
    let open_at = RwSignal::new(None::<(usize, usize)>);
    let active = RwSignal::new(0usize);
    let people = Memo::new(move |_| match open_at.get() {
        Some(_) => suggest.value().get().and_then(Result::ok).unwrap_or_default(),
        None => vec![],
    });
    let showing = move || open_at.get().is_some() && !people.with(Vec::is_empty);
    let on_input = move |_| {
        schedule_save();
        let Some(el) = textarea.get_untracked() else { return };
        let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        match mention_query(&el.value(), caret) {
            Some((start, prefix)) if !prefix.is_empty() => {
                open_at.set(Some((start, caret)));
                active.set(0);
                suggest.dispatch(SuggestMentions { prefix });
            }
            _ => open_at.set(None),
        }
    };
    let choose = move |i: usize| {
        let (Some(el), Some((start, caret))) = (textarea.get_untracked(), open_at.get_untracked()) else {
            return;
        };
        let Some(person) = people.with_untracked(|p| p.get(i).cloned()) else { return };
        let (text, new_caret) = insert_mention(&el.value(), start, caret, &person.handle);
        el.set_value(&text);
        let _ = el.set_selection_range(new_caret as u32, new_caret as u32);
        let _ = el.focus();
        open_at.set(None);
        schedule_save();
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let n = people.with_untracked(Vec::len);
        if open_at.get_untracked().is_none() || n == 0 {
            return;
        }
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" => {
                ev.prevent_default();
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" | "Tab" => {
                ev.prevent_default();
                choose(active.get_untracked());
            }
            "Escape" => {
                ev.prevent_default();
                open_at.set(None);
            }
            _ => {}
        }
    };
    let announce = move || match people.with(Vec::len) {
        0 => String::new(),
        1 => "1 person to mention. Use the arrow keys and Enter.".to_owned(),
        n => format!("{n} people to mention. Use the arrow keys and Enter."),
    };

    let preview = ServerAction::<PreviewMarkdown>::new();
    let show_preview = move |_| {
        if let Some(el) = textarea.get_untracked() {
            preview.dispatch(PreviewMarkdown { body: el.value() });
        }
    };
    let (list_for_desc, list_attr, list_for_options) = (list_id.clone(), list_id.clone(), list_id.clone());
    let (e1, h1) = (err_id.clone(), hint_id.clone());
    let has_hint = !hint.is_empty();
    view! {
        <div class="field composer-field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            {has_hint.then(|| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <div class="mention-box">
                <textarea
                    id=id
                    name=name
                    rows=rows
                    node_ref=textarea
                    aria-invalid=move || message.get().is_some().then_some("true")
                    aria-describedby=move || {
                        let mut ids = Vec::new();
                        if has_hint { ids.push(h1.clone()); }
                        if message.get().is_some() { ids.push(e1.clone()); }
                        (!ids.is_empty()).then(|| ids.join(" "))
                    }
                    aria-autocomplete="list"
                    aria-controls=list_attr
                    aria-activedescendant=move || showing().then(|| format!("{list_for_desc}-{}", active.get()))
                    on:input=on_input
                    on:keydown=on_keydown
                    on:blur=move |_| open_at.set(None)
                >
                    {super::textarea_text(&initial)}
                </textarea>
                <ul id=list_id role="listbox" aria-label="People to mention" class="mention-list" hidden=move || !showing()>
                    {move || people.get().into_iter().enumerate().map(|(i, person)| {
                        let option_id = format!("{list_for_options}-{i}");
                        view! {
                            <li
                                id=option_id
                                role="option"
                                aria-selected=move || (active.get() == i).to_string()
                                on:mousedown=move |ev| { ev.prevent_default(); choose(i); }
                            >
                                {person.name}
                                <span class="muted">{format!(" @{}", person.handle)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            <p class="visually-hidden" aria-live="polite">{announce}</p>
            <p class="field-error" id=err_id hidden=move || message.get().is_none()>{move || message.get()}</p>
            <div class="composer-tools js-only">
                <button type="button" class="button small" on:click=show_preview>"Preview"</button>
                {draft.map(|_| view! { <span class="muted draft-status" role="status">{draft_status}</span> })}
            </div>
            {preview_html.map(|html| view! { <PreviewPanel html /> })}
            {move || preview.value().get().map(|r| match r {
                Ok(html) => view! { <PreviewPanel html /> }.into_any(),
                Err(e) => view! {
                    <p class="field-error">{e.field_error("body").unwrap_or_else(|| e.to_string())}</p>
                }.into_any(),
            })}
        </div>
    }
}

#[component]
fn PreviewPanel(html: String) -> impl IntoView {
    view! {
        <section class="preview" aria-label="Preview">
            <h3>"Preview"</h3>
            <super::StoredHtml html />
        </section>
    }
}

/// "Save draft" and "Preview" for a form posted without JavaScript. Place them after the
/// form's main button, so pressing Enter in a field still submits the form itself.
#[component]
pub fn DraftButtons(target: DraftTarget) -> impl IntoView {
    let url = SaveDraft::PATH;
    view! {
        <input type="hidden" name="place" value=target.place.as_str() />
        <input type="hidden" name="target_id" value=target.target_id.to_string() />
        <button type="submit" class="button no-js-only" formaction=url>"Save draft"</button>
        <button type="submit" class="button no-js-only" formaction=url name="preview" value="1">"Preview"</button>
    }
}

/// The @mention being typed just before the caret, as (index of the '@', what follows it),
/// in UTF-16 units like the browser's selection.
pub fn mention_query(text: &str, caret: usize) -> Option<(usize, String)> {
    let mut before = String::new();
    let mut units = 0;
    for c in text.chars() {
        if units >= caret {
            break;
        }
        before.push(c);
        units += c.len_utf16();
    }
    let at = before.rfind('@')?;
    let handle = &before[at + 1..];
    let in_handle = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\'');
    if handle.chars().count() > 40 || !handle.chars().all(in_handle) {
        return None;
    }
    if before[..at].chars().next_back().is_some_and(|p| p.is_alphanumeric() || p == '`') {
        return None;
    }
    Some((before[..at].encode_utf16().count(), handle.to_owned()))
}

/// `text` with the mention between `start` and `caret` (UTF-16 units) replaced by `@handle `,
/// and where the caret goes after it.
pub fn insert_mention(text: &str, start: usize, caret: usize, handle: &str) -> (String, usize) {
    let byte_at = |units: usize| {
        let mut seen = 0;
        for (i, c) in text.char_indices() {
            if seen >= units {
                return i;
            }
            seen += c.len_utf16();
        }
        text.len()
    };
    let (a, b) = (byte_at(start), byte_at(caret.max(start)));
    let inserted = format!("@{handle} ");
    let out = format!("{}{}{}", &text[..a], inserted, &text[b..]);
    (out, start + inserted.encode_utf16().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_mention_being_typed() {
        assert_eq!(mention_query("Thanks @Sa", 10), Some((7, "Sa".to_owned())));
        assert_eq!(mention_query("@", 1), Some((0, String::new())));
        assert_eq!(mention_query("mail sam@exa", 12), None, "an email address is not a mention");
        assert_eq!(mention_query("@Sam and more", 13), None, "a space ends the mention");
        // Counted in UTF-16 units: the emoji is two.
        assert_eq!(mention_query("🌱 @Zo", 6), Some((3, "Zo".to_owned())));
    }

    #[test]
    fn inserts_the_chosen_handle_and_moves_the_caret() {
        assert_eq!(insert_mention("Hi @sa!", 3, 6, "Sam_Okafor"), ("Hi @Sam_Okafor !".to_owned(), 15));
        assert_eq!(insert_mention("🌱 @Zo", 3, 6, "Zoë"), ("🌱 @Zoë ".to_owned(), 8));
    }
}
