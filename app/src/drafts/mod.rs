//! Drafts: what someone has typed but not yet sent, kept per person and per place (a thread's
//! reply box, a community's new-thread form, an idea's comment box) and put back when they
//! return. Saved as they
//! type (with JavaScript) or with a "Save draft" button (without); removed in the same
//! transaction that posts the text.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
