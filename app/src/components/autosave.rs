//! Keeping a draft while someone types: one shape for every draft form (the composer's text,
//! the proposal form's fields).
//!
//! The newest snapshot of what is typed waits until typing pauses for [`SAVE_AFTER`], then is
//! saved. Sending the form drops a waiting snapshot: posting removes the draft, and saving it
//! afterwards would bring the posted text back. Leaving the page (or the form re-rendering)
//! saves a waiting snapshot at once rather than lose it. Only browsers type: on the server the
//! returned function is never called.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;

/// Quiet time after the last keystroke before the draft is saved.
pub const SAVE_AFTER: Duration = Duration::from_millis(1200);

/// Starts keeping the draft of the form that `form` finds, and returns the function to call
/// with a snapshot whenever the text changes. `send` saves while the page lives (through an
/// action, so its status can be shown); `flush` saves at clean-up, when the page's actions
/// may already be gone (so it calls the server function itself).
pub fn use_autosave<T, F, S, L>(form: F, send: S, flush: L) -> impl Fn(T) + Clone + 'static
where
    T: Send + 'static,
    F: Fn() -> Option<web_sys::HtmlFormElement> + 'static,
    S: Fn(T) + Clone + Send + Sync + 'static,
    L: FnOnce(T) + Send + Sync + 'static,
{
    let pending: Arc<Mutex<Option<T>>> = Arc::new(Mutex::new(None));
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let take = {
        let pending = Arc::clone(&pending);
        move || pending.lock().ok().and_then(|mut p| p.take())
    };
    let stop_timer = move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
    };
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        type Listener = (web_sys::HtmlFormElement, Closure<dyn Fn()>);
        let listener = StoredValue::new_local(None::<Listener>);
        let remove = move || {
            listener.try_update_value(|l| {
                if let Some((el, on_submit)) = l.take() {
                    let _ =
                        el.remove_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
                }
            });
        };
        let take = take.clone();
        Effect::new(move |_| {
            let Some(el) = form() else { return };
            remove();
            let take = take.clone();
            let on_submit = Closure::<dyn Fn()>::new(move || {
                stop_timer();
                take();
            });
            let _ = el.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
            listener.set_value(Some((el, on_submit)));
        });
        on_cleanup(remove);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = form;
    on_cleanup({
        let take = take.clone();
        move || {
            stop_timer();
            if let Some(snapshot) = take() {
                flush(snapshot);
            }
        }
    });
    move |snapshot: T| {
        if let Ok(mut p) = pending.lock() {
            *p = Some(snapshot);
        }
        stop_timer();
        let (take, send) = (take.clone(), send.clone());
        let handle = set_timeout_with_handle(
            move || {
                if let Some(snapshot) = take() {
                    send(snapshot);
                }
            },
            SAVE_AFTER,
        );
        timer.set_value(handle.ok());
    }
}
