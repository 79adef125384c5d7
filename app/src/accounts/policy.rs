//! Pure rules for account fields: what a valid name, email or profile looks like, and who may
//! change whose role. No database here, so all of it is unit-tested.

use crate::auth::{CurrentUser, Role};

pub const DISPLAY_NAME_MAX: usize = 60;
pub const EMAIL_MAX: usize = 254;
pub const BIO_MAX: usize = 2000;
pub const DEPARTMENT_MAX: usize = 80;
pub const PRONOUNS_MAX: usize = 40;
pub const SUSPENSION_REASON_MAX: usize = 500;
pub const SUSPENSION_DAYS_MAX: i64 = 365;

/// Length in characters (what people count), not bytes; shared by every area's policy.
pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn has_control_chars(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

pub fn check_display_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Please tell us what to call you.".into());
    }
    if char_len(name) > DISPLAY_NAME_MAX {
        return Err(format!("Please keep your name under {DISPLAY_NAME_MAX} characters."));
    }
    if has_control_chars(name) {
        return Err("Your name can't contain control characters.".into());
    }
    Ok(())
}

/// A plausible email address. Deliverability is not checked: there is no mail server here.
pub fn check_email(email: &str) -> Result<(), String> {
    let email = email.trim();
    if email.is_empty() {
        return Err("Please enter your email address.".into());
    }
    if char_len(email) > EMAIL_MAX {
        return Err("That email address is too long.".into());
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err("That doesn't look like an email address (it needs an @).".into());
    };
    let domain_ok =
        domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..");
    if local.is_empty() || !domain_ok || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("That doesn't look like an email address, e.g. sam@example.org.".into());
    }
    Ok(())
}

pub fn check_optional_text(value: &str, max: usize, what: &str) -> Result<(), String> {
    if char_len(value) > max {
        return Err(format!("Please keep your {what} under {max} characters."));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(format!("Your {what} contains characters we can't store."));
    }
    Ok(())
}

/// Whether `actor` may give `target_id` the role `new_role`. Admins only, and never to
/// themselves, so an instance can't be left without its last admin by accident.
pub fn can_change_role(actor: &CurrentUser, target_id: i64, _new_role: Role) -> Result<(), String> {
    if actor.role != Role::Admin {
        return Err("Only admins can change roles.".into());
    }
    if actor.id == target_id {
        return Err("You can't change your own role. Ask another admin.".into());
    }
    Ok(())
}

/// Whether `actor` may suspend `target`: admins, not themselves, not other admins.
pub fn can_suspend(actor: &CurrentUser, target_id: i64, target_role: Role) -> Result<(), String> {
    if actor.role != Role::Admin {
        return Err("Only admins can pause accounts.".into());
    }
    if actor.id == target_id {
        return Err("You can't pause your own account.".into());
    }
    if target_role == Role::Admin {
        return Err("Admins can't be paused. Change their role first.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role) -> CurrentUser {
        CurrentUser {
            id,
            display_name: "x".into(),
            email: "x@example.org".into(),
            role,
            suspended_until: None,
        }
    }

    #[test]
    fn emails() {
        assert!(check_email("sam@example.org").is_ok());
        assert!(check_email("  sam.o'neil+peer@mail.example.co.uk ").is_ok());
        for bad in ["", "sam", "sam@", "@example.org", "sam@example", "sam @example.org", "sam@example..org"]
        {
            assert!(check_email(bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_email(&format!("{}@example.org", "a".repeat(250))).is_err());
    }

    #[test]
    fn display_names() {
        assert!(check_display_name("Amara Okafor").is_ok());
        assert!(check_display_name("   ").is_err());
        assert!(check_display_name(&"a".repeat(61)).is_err());
        assert!(check_display_name("tab\there").is_err());
        // Markup is fine as a name: it is always shown as text.
        assert!(check_display_name("<b>Kim</b>").is_ok());
    }

    #[test]
    fn optional_texts() {
        assert!(check_optional_text("they/them", PRONOUNS_MAX, "pronouns").is_ok());
        assert!(check_optional_text(&"a".repeat(41), PRONOUNS_MAX, "pronouns").is_err());
        assert!(check_optional_text("line\nbreak", BIO_MAX, "bio").is_ok());
        assert!(check_optional_text("bell\u{7}", BIO_MAX, "bio").is_err());
    }

    #[test]
    fn role_changes() {
        let admin = user(1, Role::Admin);
        assert!(can_change_role(&admin, 2, Role::Moderator).is_ok());
        assert!(can_change_role(&admin, 1, Role::Member).is_err());
        assert!(can_change_role(&user(3, Role::Moderator), 2, Role::Admin).is_err());
        assert!(can_suspend(&admin, 2, Role::Member).is_ok());
        assert!(can_suspend(&admin, 2, Role::Admin).is_err());
        assert!(can_suspend(&admin, 1, Role::Member).is_err());
        assert!(can_suspend(&user(3, Role::Moderator), 2, Role::Member).is_err());
    }
}
