//! The browser side: one `EventSource` per subscription, closed with its component.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub fn subscribe(url: String, on_event: impl Fn(String) + 'static) {
    let Ok(source) = web_sys::EventSource::new(&url) else {
        return;
    };
    // The browser reconnects by itself after a dropped connection.
    let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        on_event(ev.data().as_string().unwrap_or_default());
    });
    source.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    let kept = StoredValue::new_local((source, handler));
    on_cleanup(move || {
        kept.with_value(|(source, _)| source.close());
        kept.dispose();
    });
}
