//! Pure rules of the forums: what valid input looks like and who may read, post, edit and
//! moderate. The server functions call these; the database constraints back them up.

use crate::auth::{CurrentUser, Permission, Role};

use super::types::Visibility;

pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 150;
pub const BODY_MAX: usize = 20_000;
pub const WARNING_MAX: usize = 200;
pub const TAGS_MAX: usize = 5;
pub const TAG_MAX_CHARS: usize = 30;
pub const COMMUNITY_NAME_MAX: usize = 80;
pub const COMMUNITY_DESCRIPTION_MAX: usize = 1000;

use crate::accounts::policy::char_len as chars;

pub fn check_title(title: &str) -> Result<(), String> {
    let n = chars(title.trim());
    if n < TITLE_MIN {
        return Err(format!("Please give your thread a title of at least {TITLE_MIN} characters."));
    }
    if n > TITLE_MAX {
        return Err(format!("Please keep the title under {TITLE_MAX} characters."));
    }
    Ok(())
}

pub fn check_body(body: &str) -> Result<(), String> {
    if body.trim().is_empty() {
        return Err("Please write something before posting.".into());
    }
    if chars(body) > BODY_MAX {
        return Err(format!("This is longer than {BODY_MAX} characters. Could you split it into two posts?"));
    }
    Ok(())
}

pub fn check_warning(warning: &str) -> Result<(), String> {
    if chars(warning) > WARNING_MAX {
        return Err(format!("Please keep the content warning under {WARNING_MAX} characters."));
    }
    Ok(())
}

/// Tags from a comma-separated field: trimmed, lower-cased, de-duplicated.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
        if chars(&tag) > TAG_MAX_CHARS {
            return Err(format!("Tags can be at most {TAG_MAX_CHARS} characters."));
        }
        if !tag.chars().all(|c| c.is_alphanumeric() || c == '-' || c == ' ') {
            return Err("Tags can contain letters, numbers, spaces and hyphens.".into());
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > TAGS_MAX {
        return Err(format!("Use at most {TAGS_MAX} tags."));
    }
    Ok(tags)
}

pub fn check_slug(slug: &str) -> Result<(), String> {
    let ok = (2..=49).contains(&slug.len())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err("Use 2–49 lowercase letters, digits and hyphens, e.g. new-supporters.".into())
    }
}

pub fn check_colour(colour: &str) -> Result<(), String> {
    let ok = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
    if ok {
        Ok(())
    } else {
        Err("Use a colour like #2f6b5e.".into())
    }
}

pub fn check_community_name(name: &str) -> Result<(), String> {
    let n = chars(name.trim());
    if !(2..=COMMUNITY_NAME_MAX).contains(&n) {
        return Err(format!("Use 2 to {COMMUNITY_NAME_MAX} characters."));
    }
    Ok(())
}

/// The @mentions in a post: `@Sam` or `@Sam_Okafor` (underscores stand for spaces in a
/// display name), lower-cased, at most 10, ignoring e-mail addresses and code.
pub fn parse_mentions(body: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in
        body.lines().filter(|l| !l.trim_start().starts_with("    ") && !l.trim_start().starts_with('>'))
    {
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '`');
            if *c != '@' || !starts_word {
                continue;
            }
            let handle: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\''))
                .collect();
            let handle = handle.trim_end_matches(['.', '-', '\'']).to_lowercase();
            if !handle.is_empty() && handle.chars().count() <= 60 && !found.contains(&handle) {
                found.push(handle);
            }
        }
    }
    found.truncate(10);
    found
}

/// The @handle that mentions someone ("Sam Okafor" → "Sam_Okafor"), if their whole name can
/// be written as one.
pub fn handle_for(name: &str) -> Option<String> {
    let handle = name.trim().replace(' ', "_");
    let parsed = parse_mentions(&format!("@{handle}"));
    (parsed.first() == Some(&handle.to_lowercase())).then_some(handle)
}

/// The part of a post someone selected to quote, kept to a reasonable length (it travels in
/// the page's address).
pub fn quote_part(part: &str) -> String {
    part.chars().take(QUOTE_PART_MAX).collect()
}

/// Longest selected part that is quoted (longer selections are cut).
pub const QUOTE_PART_MAX: usize = 1000;

/// A post's Markdown (or the part selected) as a quotation for a reply ("> " before each
/// line, then a blank line).
pub fn quote_markdown(body: &str) -> String {
    let quoted: String = body.lines().map(|l| format!("> {l}\n")).collect();
    format!("{quoted}\n")
}

/// Adds a quotation below what is written, after a blank line, unless it is there already
/// (a draft saved while quoting holds it).
pub fn append_quote(text: &mut String, quoted: &str) {
    if text.contains(quoted.trim_end()) {
        return;
    }
    if !text.is_empty() && !text.ends_with("\n\n") {
        text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
    }
    text.push_str(quoted);
}

/// Why an admin reveals an anonymous author: a real sentence, kept in the audit log.
pub fn check_reveal_reason(reason: &str) -> Result<(), String> {
    match chars(reason) {
        0..=9 => Err("Say why in a sentence or two: it is kept in the audit log.".into()),
        501.. => Err("Please keep the reason under 500 characters.".into()),
        _ => Ok(()),
    }
}

/// Staff can see every community (they moderate them); others see public ones and the
/// private ones they belong to.
pub fn can_read(user: Option<&CurrentUser>, visibility: Visibility, is_member: bool) -> bool {
    match visibility {
        Visibility::Public => user.is_some(),
        Visibility::Private => user.is_some_and(|u| is_member || u.role >= Role::Moderator),
    }
}

/// Whether `user` may start threads and reply in a community (archived ones are read-only).
pub fn can_post(
    user: &CurrentUser,
    visibility: Visibility,
    is_member: bool,
    archived: bool,
) -> Result<(), String> {
    if archived {
        return Err("This community is archived: you can read it, but not post.".into());
    }
    if visibility == Visibility::Private && !is_member {
        return Err("Only members of this community can post here.".into());
    }
    if !user.can(Permission::Contribute) {
        return Err("Your account is paused, so you can't post right now.".into());
    }
    Ok(())
}

/// Only the author edits or deletes their own post (moderation has its own tools).
pub fn can_edit_post(user: &CurrentUser, author_id: i64, deleted: bool) -> Result<(), String> {
    if deleted {
        return Err("This post was removed, so it can't be changed.".into());
    }
    if user.id != author_id {
        return Err("You can only change your own posts.".into());
    }
    Ok(())
}

/// Whether a thread's posts may still be edited or reacted to: a locked thread, or any thread of
/// an archived community, is kept as it is (its authors can still remove their own posts).
pub fn open_for_changes(locked: bool, archived: bool) -> Result<(), &'static str> {
    if locked {
        return Err("This thread is locked: it can be read, but its posts can no longer be changed.");
    }
    if archived {
        return Err("This community is archived: you can read it, but its posts can no longer be changed.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_goes_below_what_is_written_once() {
        let quoted = quote_markdown("We met at noon.");
        let mut text = String::new();
        append_quote(&mut text, &quoted);
        assert_eq!(text, "> We met at noon.\n\n");
        let mut text = "Two thoughts.".to_owned();
        append_quote(&mut text, &quoted);
        assert_eq!(text, "Two thoughts.\n\n> We met at noon.\n\n");
        append_quote(&mut text, &quoted);
        assert_eq!(text, "Two thoughts.\n\n> We met at noon.\n\n", "not twice");
        let mut text = "A line\n".to_owned();
        append_quote(&mut text, &quoted);
        assert_eq!(text, "A line\n\n> We met at noon.\n\n");
    }

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: 1,
            display_name: "A".into(),
            email: "a@example.org".into(),
            role,
            suspended_until: None,
        }
    }

    #[test]
    fn titles_and_bodies() {
        assert!(check_title("Hi").is_err());
        assert!(check_title("   Hi   ").is_err());
        assert!(check_title("How do you start a hard conversation?").is_ok());
        assert!(check_title(&"a".repeat(151)).is_err());
        assert!(check_body("  \n ").is_err());
        assert!(check_body("ok").is_ok());
        assert!(check_body(&"a".repeat(BODY_MAX + 1)).is_err());
    }

    #[test]
    fn mentions() {
        assert_eq!(parse_mentions("Thanks @Sam and @Sam_Okafor!"), vec!["sam", "sam_okafor"]);
        assert_eq!(parse_mentions("mail me at sam@example.org"), Vec::<String>::new());
        assert_eq!(parse_mentions("> @quoted person\n@Lena."), vec!["lena"]);
        assert_eq!(parse_mentions("@a @a @A"), vec!["a"]);
        assert_eq!(handle_for("Sam Okafor").as_deref(), Some("Sam_Okafor"));
        assert_eq!(handle_for("Zoë O'Neill").as_deref(), Some("Zoë_O'Neill"));
        assert_eq!(handle_for("Sam (he/him)"), None, "a name that can't be mentioned whole is not offered");
        assert_eq!(quote_markdown("one\ntwo"), "> one\n> two\n\n");
        let many: String = (0..20).map(|i| format!("@p{i} ")).collect();
        assert_eq!(parse_mentions(&many).len(), 10);
    }

    #[test]
    fn tags() {
        assert_eq!(
            parse_tags(" Listening, first-steps,listening ,").unwrap(),
            vec!["listening", "first-steps"]
        );
        assert!(parse_tags("a,b,c,d,e,f").is_err());
        assert!(parse_tags("<script>").is_err());
        assert!(parse_tags(&"x".repeat(31)).is_err());
    }

    #[test]
    fn slugs_and_colours() {
        assert!(check_slug("new-supporters").is_ok());
        assert!(check_slug("New").is_err());
        assert!(check_slug("-x").is_err());
        assert!(check_colour("#2f6b5e").is_ok());
        assert!(check_colour("red").is_err());
        assert!(check_colour("#2F6B5E").is_err());
    }

    #[test]
    fn reading_and_posting() {
        let member = user(Role::Member);
        assert!(!can_read(None, Visibility::Public, false));
        assert!(can_read(Some(&member), Visibility::Public, false));
        assert!(!can_read(Some(&member), Visibility::Private, false));
        assert!(can_read(Some(&member), Visibility::Private, true));
        assert!(can_read(Some(&user(Role::Moderator)), Visibility::Private, false));
        assert!(can_post(&member, Visibility::Public, false, false).is_ok());
        assert!(can_post(&member, Visibility::Private, false, false).is_err());
        assert!(can_post(&member, Visibility::Public, false, true).is_err());
        let paused = CurrentUser {
            suspended_until: Some(chrono::Utc::now() + chrono::Duration::days(1)),
            ..member.clone()
        };
        assert!(can_post(&paused, Visibility::Public, true, false).is_err());
        assert!(can_edit_post(&member, 1, false).is_ok());
        assert!(can_edit_post(&member, 2, false).is_err());
        assert!(can_edit_post(&member, 1, true).is_err());
    }
}
