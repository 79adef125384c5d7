//! The idea board's rules as pure functions: the lifecycle's transition table, field limits,
//! and the checks every server function makes. Unit-tested without a database.

use super::types::IdeaStatus;
use crate::accounts::policy::char_len as chars;

pub const TITLE_MAX: usize = 150;
pub const LONG_MAX: usize = 10_000;
pub const HYPOTHESIS_MAX: usize = 1_000;
pub const MEASURE_MAX: usize = 5_000;
pub const NOTE_MAX: usize = 2_000;
pub const RESULTS_MAX: usize = 10_000;

/// Most people who run an experiment with its owner.
pub const CO_OWNERS_MAX: usize = 4;

/// The co-owners' emails from a form (separated by commas, spaces or lines), without repeats
/// or the owner's own; at most `CO_OWNERS_MAX`.
pub fn parse_co_owner_emails(text: &str, owner_email: &str) -> Result<Vec<String>, String> {
    let mut emails: Vec<String> = Vec::new();
    for e in text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|e| !e.is_empty()) {
        if !e.eq_ignore_ascii_case(owner_email) && !emails.iter().any(|k| k.eq_ignore_ascii_case(e)) {
            emails.push(e.to_owned());
        }
    }
    if emails.len() > CO_OWNERS_MAX {
        return Err(format!("Up to {CO_OWNERS_MAX} people can run it with the owner."));
    }
    Ok(emails)
}

/// The moves a moderator may make from `from`. Merging is allowed until an experiment runs;
/// a running one is evaluated, or declined if it had to stop (its votes then return too).
/// Evaluated, declined and merged are final.
pub fn next_statuses(from: IdeaStatus) -> &'static [IdeaStatus] {
    use IdeaStatus::*;
    match from {
        Proposed => &[UnderReview, Declined, Merged],
        UnderReview => &[Approved, Declined, Merged],
        Approved => &[Running, Declined, Merged],
        Running => &[Evaluated, Declined],
        Evaluated | Declined | Merged => &[],
    }
}

pub fn can_move(from: IdeaStatus, to: IdeaStatus) -> Result<(), String> {
    if next_statuses(from).contains(&to) {
        Ok(())
    } else if from.is_closed() {
        Err(format!("This idea is {}: its story is finished.", from.label().to_lowercase()))
    } else {
        Err(format!(
            "An idea that is {} can't move straight to {}.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ))
    }
}

pub fn check_title(title: &str) -> Result<(), String> {
    match chars(title) {
        0..=4 => Err("Give the idea a title of at least 5 characters.".into()),
        n if n > TITLE_MAX => Err(format!("Please keep the title under {TITLE_MAX} characters.")),
        _ => Ok(()),
    }
}

/// A required text field of at most `max` characters.
pub fn check_text(text: &str, max: usize, what: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Err(format!("Please describe {what}."))
    } else if chars(text) > max {
        Err(format!("Please keep {what} under {max} characters."))
    } else {
        Ok(())
    }
}

/// Hypotheses are phrased "We believe … will …", so they can be tested.
pub fn check_hypothesis(text: &str) -> Result<(), String> {
    check_text(text, HYPOTHESIS_MAX, "the hypothesis")?;
    let lower = text.to_lowercase();
    if !(lower.contains("believe") && lower.contains("will")) {
        return Err("Phrase it as a testable belief: \"We believe … will …\".".into());
    }
    Ok(())
}

pub fn check_note(note: &str) -> Result<(), String> {
    check_text(note, NOTE_MAX, "the reason for this change (everyone will see it)")
}

/// Why merging `id` into `target` is refused, if it is.
pub fn check_merge(id: i64, target: Option<(i64, IdeaStatus)>) -> Result<(), String> {
    match target {
        None => Err("There is no idea with that number.".into()),
        Some((t, _)) if t == id => Err("An idea can't be merged into itself.".into()),
        Some((_, status)) if status.is_closed() => {
            Err(format!("That idea is {}; merge into an open one.", status.label().to_lowercase()))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn co_owner_emails_are_split_deduplicated_and_capped() {
        let got = parse_co_owner_emails("a@x.org, b@x.org;\nA@x.org  lead@x.org", "lead@x.org").unwrap();
        assert_eq!(got, ["a@x.org", "b@x.org"]);
        assert_eq!(parse_co_owner_emails("  ", "lead@x.org").unwrap(), Vec::<String>::new());
        assert!(parse_co_owner_emails("a@x b@x c@x d@x e@x", "lead@x").unwrap_err().contains("Up to 4"));
    }
    use IdeaStatus::*;

    #[test]
    fn the_lifecycle_moves_forward_only() {
        assert!(can_move(Proposed, UnderReview).is_ok());
        assert!(can_move(UnderReview, Approved).is_ok());
        assert!(can_move(Approved, Running).is_ok());
        assert!(can_move(Running, Evaluated).is_ok());
        assert!(can_move(Proposed, Declined).is_ok());
        assert!(can_move(Approved, Merged).is_ok());
        assert!(can_move(Proposed, Evaluated).is_err(), "no skipping the experiment");
        assert!(can_move(Proposed, Running).is_err());
        assert!(can_move(Running, Declined).is_ok(), "an experiment that had to stop");
        assert!(can_move(Running, Merged).is_err());
        for closed in [Evaluated, Declined, Merged] {
            for to in IdeaStatus::ALL {
                assert!(can_move(closed, to).unwrap_err().contains("finished"));
            }
        }
        for from in IdeaStatus::ALL {
            assert!(can_move(from, Proposed).is_err(), "nothing goes back to proposed");
        }
    }

    #[test]
    fn fields_and_merges() {
        assert!(check_title("Buddy").is_ok());
        assert!(check_title("Hi").is_err());
        assert!(check_title(&"x".repeat(151)).is_err());
        assert!(check_hypothesis("We believe a buddy for new hires will cut early isolation.").is_ok());
        assert!(check_hypothesis("Buddies are nice.").is_err());
        assert!(check_text("  ", 10, "the problem").is_err());
        assert!(check_note("Moving to review: lots of support.").is_ok());
        assert!(check_merge(1, Some((1, Proposed))).unwrap_err().contains("itself"));
        assert!(check_merge(1, Some((2, Merged))).is_err(), "not into a merged idea");
        assert!(check_merge(1, Some((2, Declined))).is_err());
        assert!(check_merge(1, None).is_err());
        assert!(check_merge(1, Some((2, Running))).is_ok());
    }
}
