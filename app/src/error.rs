//! `AppError`: the one error type that crosses the wire.
//!
//! Every server function returns `Result<T, AppError>`. The variants say what the person can do
//! about it; none carries SQL, stack traces or other internals (those go to the log only).
//! Validation errors carry per-field messages *and* the values that were typed (never
//! passwords), so a form posted without JavaScript can be shown again, filled in, after the
//! redirect that carries the error back in the URL.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::collections::BTreeMap;

/// Field-level problems with a submitted form, plus what was typed into it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    /// Field name → friendly message.
    pub errors: BTreeMap<String, String>,
    /// Field name → value as submitted, to refill the form. Passwords are never kept.
    pub values: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to do that.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("We couldn't find that.")]
    NotFound,
    #[error("Please check the highlighted fields.")]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    RateLimited { message: String, retry_after_secs: u64 },
    #[error("Upstand is having trouble reaching its database. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// Transport-level failures (network down, malformed request).
    #[error("We couldn't reach Upstand. Please check your connection and try again.")]
    Transport(String),
}

impl AppError {
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    /// A validation error about a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.errors.insert(field.to_owned(), message.into());
        Self::Validation(errors)
    }

    /// The message for one form field, if this error has one.
    pub fn field_error(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(f) => f.errors.get(field).cloned(),
            _ => None,
        }
    }

    /// The value the person typed into a field, echoed back for refilling a form.
    pub fn field_value(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(f) => f.values.get(field).cloned(),
            _ => None,
        }
    }

    /// Rate limit for `secs` seconds, worded in minutes the way people think of waiting.
    pub fn rate_limited(what: &str, secs: u64) -> Self {
        let minutes = secs.div_ceil(60).max(1);
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        Self::RateLimited {
            message: format!("{what} You can try again in {minutes} {unit}."),
            retry_after_secs: secs,
        }
    }

    /// HTTP status matching the variant, for routes that answer outside server functions.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::Conflict(_) => 409,
            Self::RateLimited { .. } => 429,
            Self::Unavailable => 503,
            Self::Internal | Self::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that don't even deserialize are the caller's mistake, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                Self::field("form", "Some of the form's fields were missing or malformed.")
            }
            ServerFnErrorErr::Request(msg) | ServerFnErrorErr::Response(msg) => Self::Transport(msg),
            _ => Self::Internal,
        }
    }
}

/// How much typed text, in UTF-8 bytes across all fields, a refused form carries back.
///
/// Without JavaScript a refused form comes back through a redirect whose URL carries the error
/// and the typed values (base64 of JSON, so about 4/3 of this, plus escapes). 64 KiB holds the
/// longest field allowed (20,000 characters) even in three-byte letters, and keeps the URL well
/// under the ~400 KB a request head may take here. Past it, values are cut at a character.
pub const KEEP_BUDGET_BYTES: usize = 64 * 1024;

/// Builds a validation error field by field, remembering what was typed.
#[derive(Debug, Default)]
pub struct FormCheck {
    inner: FieldErrors,
    kept_bytes: usize,
}

impl FormCheck {
    pub fn new() -> Self {
        Self::default()
    }

    /// Remember a submitted value so it can be refilled (never call this for passwords).
    /// Fields are kept in the order given until `KEEP_BUDGET_BYTES` is spent.
    pub fn keep(&mut self, field: &str, value: &str) -> &mut Self {
        let room = KEEP_BUDGET_BYTES.saturating_sub(self.kept_bytes);
        let mut end = value.len().min(room);
        while !value.is_char_boundary(end) {
            end -= 1;
        }
        self.kept_bytes += end;
        self.inner.values.insert(field.to_owned(), value[..end].to_owned());
        self
    }

    /// Record the outcome of a field check; the first error for a field wins.
    pub fn check(&mut self, field: &str, result: Result<(), String>) -> &mut Self {
        if let Err(message) = result {
            self.error(field, message);
        }
        self
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) -> &mut Self {
        self.inner.errors.entry(field.to_owned()).or_insert_with(|| message.into());
        self
    }

    pub fn has_errors(&self) -> bool {
        !self.inner.errors.is_empty()
    }

    /// `Ok(())` when every check passed, otherwise the collected validation error.
    pub fn finish(&self) -> Result<(), AppError> {
        if self.has_errors() {
            Err(AppError::Validation(self.inner.clone()))
        } else {
            Ok(())
        }
    }

    /// Fail with a single message on one field, keeping the values gathered so far.
    pub fn fail(&self, field: &str, message: impl Into<String>) -> AppError {
        let mut inner = self.inner.clone();
        inner.errors.insert(field.to_owned(), message.into());
        AppError::Validation(inner)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::NotFound,
            // Text Postgres can't store (a NUL character): the caller's input, not our fault.
            sqlx::Error::Database(e) if e.code().as_deref() == Some("22021") => {
                Self::field("form", "Some of the text contains a character that can't be saved (a NUL).")
            }
            // A number or date outside what can be stored: the caller's input too.
            sqlx::Error::Database(e) if matches!(e.code().as_deref(), Some("22003" | "22008")) => {
                Self::field("form", "A number or date in this request is out of range.")
            }
            // Two requests changed the same rows at once and Postgres chose one to stop.
            sqlx::Error::Database(e) if matches!(e.code().as_deref(), Some("40P01" | "40001")) => {
                tracing::info!(error = %err, "concurrent change; asked to retry");
                Self::Conflict("Someone changed this at the same moment. Please try again.".into())
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::warn!(error = %err, "database unavailable");
                Self::Unavailable
            }
            _ => {
                tracing::error!(error = %err, "database error");
                Self::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_check_collects_first_error_and_values() {
        let mut form = FormCheck::new();
        form.keep("email", "a@b")
            .check("email", Err("first".into()))
            .check("email", Err("second".into()))
            .check("name", Ok(()));
        let err = form.finish().unwrap_err();
        assert_eq!(err.field_error("email").as_deref(), Some("first"));
        assert_eq!(err.field_error("name"), None);
        assert_eq!(err.field_value("email").as_deref(), Some("a@b"));
    }

    #[test]
    fn kept_values_share_one_budget_and_are_cut_at_a_character() {
        let mut form = FormCheck::new();
        let whole = "ø".repeat(20_000); // 40,000 bytes: the longest body, kept whole
        form.keep("title", "A title").keep("body", &whole);
        let rest = KEEP_BUDGET_BYTES - "A title".len() - whole.len();
        // Odd-sized room in two-byte letters: the last one that fits is kept, never half of one.
        form.keep("extra", &"é".repeat(rest));
        form.keep("late", "nothing left for this");
        let err = form.fail("body", "too long");
        assert_eq!(err.field_value("body").unwrap(), whole);
        let extra = err.field_value("extra").unwrap();
        assert_eq!(extra.chars().count(), rest / 2);
        // The byte the cut left over goes to the next field, and then nothing more is kept.
        assert_eq!(err.field_value("late").as_deref(), Some("n"));
        form.keep("later", "none");
        assert_eq!(form.fail("x", "y").field_value("later").as_deref(), Some(""));
    }

    #[test]
    fn rate_limit_message_rounds_up_to_minutes() {
        let err = AppError::rate_limited("Too many attempts.", 61);
        assert_eq!(err.to_string(), "Too many attempts. You can try again in 2 minutes.");
        let err = AppError::rate_limited("Too many attempts.", 5);
        assert_eq!(err.to_string(), "Too many attempts. You can try again in 1 minute.");
    }

    #[test]
    fn round_trips_through_the_wire_encoding() {
        let err = AppError::field("email", "taken");
        let bytes = err.ser();
        assert_eq!(AppError::de(bytes), err);
    }
}
