//! The box people write posts in: Markdown with a preview, @mention suggestions, and a draft
//! that is kept as they type.
//!
//! Without JavaScript it is a plain textarea; [`DraftButtons`] then offer "Save draft" and
//! "Preview", which save the draft on the server and show the page again (with the preview
//! rendered there).

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use server_fn::ServerFn;

use crate::drafts::{
    api::{save_draft, SaveDraft},
    types::DraftPlace,
};
use crate::error::AppError;
use crate::forums::api::{PreviewMarkdown, SuggestMentions};

/// Where a composer's text is kept as a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftTarget {
    pub place: DraftPlace,
    pub target_id: i64,
}

/// A draft save waiting for the typing to pause.
#[derive(Debug, Clone)]
struct PendingSave {
    target: DraftTarget,
    body: String,
    title: Option<String>,
}

/// Marks a composer's textarea once it has been rendered in the browser.
const RENDERED: &str = "data-rendered";

#[component]
pub fn Composer(
    #[prop(default = "body")] name: &'static str,
    /// Prefix of the element ids, so two composers on one page never share them.
    #[prop(default = "f")]
    id_prefix: &'static str,
    label: &'static str,
    #[prop(default = "")] hint: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// What the box starts with; the text of a refused submission wins over it.
    #[prop(optional, into)]
    value: String,
    #[prop(default = 7)] rows: u32,
    /// Keep the text as a draft here while the person types.
    #[prop(default = None)]
    draft: Option<DraftTarget>,
    /// Holds what was typed across re-renders of the page (a reaction elsewhere on it, a live
    /// update), so the box never falls back to older text; the page clears it after posting.
    #[prop(default = None)]
    keep: Option<RwSignal<Option<String>>>,
    /// A preview rendered on the server (asked for without JavaScript).
    #[prop(default = None)]
    preview_html: Option<String>,
) -> impl IntoView {
    let id = format!("{id_prefix}-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let list_id = format!("{id}-people");
    let message = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_error(name))));
    let initial = error
        .with_untracked(|e| e.as_ref().and_then(|e| e.field_value(name)))
        .or_else(|| keep.and_then(|k| k.get_untracked()))
        .unwrap_or(value);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // When the page renders again (after posting, or when quoting), this same textarea is
    // rebuilt in place and would go on showing what was typed before. It now shows the kept
    // text (what was typed, with a quote added below it when quoting), or when none is kept
    // (`keep` is empty, as it is after posting) what the page starts it with. The first
    // render, at hydration, is left alone: what someone typed before the page came alive
    // stays. (Only for composers that keep their text across renders.)
    if let Some(keep) = keep {
        let starts_with = initial.clone();
        Effect::new(move |_| {
            let Some(el) = textarea.get() else { return };
            if el.get_attribute(RENDERED).is_none() {
                let _ = el.set_attribute(RENDERED, "");
                return;
            }
            let shows = keep.get_untracked().unwrap_or_else(|| starts_with.clone());
            if el.value() != shows {
                el.set_value(&shows);
            }
        });
    }

    // Drafts: what is typed is kept once typing pauses (see `use_autosave`).
    let save = ServerAction::<SaveDraft>::new();
    let autosave = super::use_autosave(
        move || textarea.get().and_then(|el| el.form()),
        move |p: PendingSave| {
            save.dispatch(p.into_call(None));
        },
        |p: PendingSave| {
            leptos::task::spawn_local(async move {
                let call = p.into_call(None);
                let _ = save_draft(call.place, call.target_id, call.body, call.title, None).await;
            });
        },
    );
    let schedule_save = move || {
        let (Some(target), Some(el)) = (draft, textarea.get_untracked()) else { return };
        let title = el
            .form()
            .and_then(|f| web_sys::FormData::new_with_form(&f).ok())
            .and_then(|d| d.get("title").as_string());
        autosave(PendingSave { target, body: el.value(), title });
    };
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

    // @mention suggestions: `asked` is the handle typed so far. Answers can arrive out of
    // order, so only the answer for what is typed now is kept, and the list shown is always
    // filtered by what is typed: Enter never picks someone who doesn't match.
    let suggest = ServerAction::<SuggestMentions>::new();
    let asked = RwSignal::new(None::<String>);
    let active = RwSignal::new(0usize);
    let answered = RwSignal::new(Vec::<crate::forums::types::MentionSuggestion>::new());
    Effect::new(move |_| {
        if let Some(Ok(answer)) = suggest.value().get() {
            if asked.get_untracked().as_deref() == Some(answer.prefix.as_str()) {
                answered.set(answer.people);
            }
        }
    });
    let people = Memo::new(move |_| match asked.get() {
        Some(prefix) => answered.with(|all| {
            all.iter().filter(|p| p.handle.to_lowercase().starts_with(&prefix)).cloned().collect::<Vec<_>>()
        }),
        None => vec![],
    });
    let showing = move || asked.with(Option::is_some) && !people.with(Vec::is_empty);
    let on_input = {
        let schedule_save = schedule_save.clone();
        move |_| {
            schedule_save();
            if let Some(k) = keep {
                if let Some(el) = textarea.get_untracked() {
                    k.set(Some(el.value()));
                }
            }
            let Some(el) = textarea.get_untracked() else { return };
            let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
            match mention_query(&el.value(), caret) {
                Some((_, prefix)) if !prefix.is_empty() => {
                    active.set(0);
                    asked.set(Some(prefix.to_lowercase()));
                    suggest.dispatch(SuggestMentions { prefix });
                }
                _ => asked.set(None),
            }
        }
    };
    let choose = move |i: usize| {
        let Some(el) = textarea.get_untracked() else { return };
        let Some(person) = people.with_untracked(|p| p.get(i).cloned()) else { return };
        // Where the mention is now (the caret may have moved since the list opened).
        let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let Some((start, _)) = mention_query(&el.value(), caret) else { return };
        let (text, new_caret) = insert_mention(&el.value(), start, caret, &person.handle);
        el.set_value(&text);
        let _ = el.set_selection_range(new_caret as u32, new_caret as u32);
        let _ = el.focus();
        asked.set(None);
        if let Some(k) = keep {
            k.set(Some(text));
        }
        schedule_save();
    };
    let on_keydown = {
        let choose = choose.clone();
        move |ev: KeyboardEvent| {
            let n = people.with_untracked(Vec::len);
            if !showing() || n == 0 || ev.is_composing() {
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
                "Enter" => {
                    ev.prevent_default();
                    choose(active.get_untracked());
                }
                "Escape" => {
                    ev.prevent_default();
                    asked.set(None);
                }
                _ => {}
            }
        }
    };
    // Screen readers hear who Enter would choose, not only how many there are.
    let announce = move || {
        people.with(|p| match p.get(active.get()) {
            Some(person) if showing() => format!(
                "{} (@{}), {} of {}. Enter to mention, arrows for others.",
                person.name,
                person.handle,
                active.get() + 1,
                p.len()
            ),
            _ => String::new(),
        })
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
                    on:blur=move |_| asked.set(None)
                >
                    {super::textarea_text(&initial)}
                </textarea>
                <ul id=list_id role="listbox" aria-label="People to mention" class="mention-list" hidden=move || !showing()>
                    {move || people.get().into_iter().enumerate().map(|(i, person)| {
                        let option_id = format!("{list_for_options}-{i}");
                        let choose = choose.clone();
                        view! {
                            <li
                                id=option_id
                                role="option"
                                aria-selected=move || (active.get() == i).to_string()
                                on:mousedown=move |ev: leptos::ev::MouseEvent| { ev.prevent_default(); choose(i); }
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
                // Shown, not announced: it changes at every pause in typing.
                {draft.map(|_| view! { <span class="muted draft-status">{draft_status}</span> })}
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

impl PendingSave {
    fn into_call(self, preview: Option<String>) -> SaveDraft {
        SaveDraft {
            place: self.target.place.as_str().to_owned(),
            target_id: self.target.target_id,
            body: self.body,
            title: self.title,
            preview,
        }
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
    view! {
        <input type="hidden" name="place" value=target.place.as_str() />
        <input type="hidden" name="target_id" value=target.target_id.to_string() />
        <SaveDraftButtons url=SaveDraft::PATH />
    }
}

/// The two no-JavaScript buttons that send the whole form to the draft-saving server function
/// at `url` instead of posting it ("Preview" asks the page to show the draft rendered).
#[component]
pub fn SaveDraftButtons(url: &'static str) -> impl IntoView {
    view! {
        // `formnovalidate`: a draft may be unfinished (a required title still empty).
        <button type="submit" class="button no-js-only" formaction=url formnovalidate=true>"Save draft"</button>
        <button type="submit" class="button no-js-only" formaction=url formnovalidate=true name="preview" value="1">
            "Preview"
        </button>
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
