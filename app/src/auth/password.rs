//! Password rules and hashing.
//!
//! Rules follow ASVS 5.0 §6.2: at least 8 characters, long passphrases welcome (up to 256),
//! no composition rules, no truncation, and guessable passwords refused using zxcvbn's
//! estimator (which knows the common-password lists and the person's own name and email).
//! Hashes are Argon2id with the crate's recommended parameters, computed off the async runtime.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::AppError;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 256;

/// Checks a new password; `hints` are things a guesser would try first (name, email).
pub fn check_new(password: &str, hints: &[&str]) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(format!("Use at least {MIN_CHARS} characters."));
    }
    if chars > MAX_CHARS {
        return Err(format!("Use at most {MAX_CHARS} characters."));
    }
    let mut inputs: Vec<&str> = hints.iter().copied().filter(|h| !h.is_empty()).collect();
    let local_parts: Vec<&str> = hints.iter().filter_map(|h| h.split('@').next()).collect();
    inputs.extend(local_parts);
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if (estimate.score() as u8) < 3 {
        let tip =
            estimate.feedback().and_then(|f| f.warning().map(|w| w.to_string())).filter(|w| !w.is_empty());
        let mut message =
            String::from("That password is too easy to guess. A few unrelated words together work well.");
        if let Some(tip) = tip {
            message = format!("{message} ({tip})");
        }
        return Err(message);
    }
    Ok(())
}

/// Argon2id hash in PHC string format.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Whether `password` matches `phc`. With no stored hash, still does the work so that a
/// missing account takes as long to refuse as a wrong password.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .map_err(|_| AppError::Internal)
}

/// Argon2id of a random string nobody knows, with default parameters.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Vq3qRN4vsQYQF0uqCb9QKHnA2Um/3kcb0Q6QeY5a0jU";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules() {
        assert!(check_new("short", &[]).is_err());
        assert!(check_new(&"x".repeat(MAX_CHARS + 1), &[]).is_err());
        // 64 characters of a real passphrase are fine; no composition rules.
        let long = "lanterns drift over quiet harbours while gulls argue about bread";
        assert!(long.chars().count() >= 64);
        assert!(check_new(long, &[]).is_ok());
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for weak in ["password", "password123", "12345678", "qwertyuiop", "iloveyou1"] {
            assert!(check_new(weak, &[]).is_err(), "{weak} accepted");
        }
        assert!(
            check_new("rosalind.franklin", &["Rosalind Franklin", "rosalind.franklin@example.org"]).is_err()
        );
    }

    #[test]
    fn unicode_is_counted_in_characters() {
        // Eight characters of four bytes each is still eight characters.
        assert!(check_new("😀😀😀😀😀😀😀", &[]).unwrap_err().contains("at least"));
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("correct horse battery staple".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple".into(), Some(h.clone())).await.unwrap());
        assert!(!verify("Correct horse battery staple".into(), Some(h)).await.unwrap());
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
