//! Server functions of the accounts area. Each starts with exactly one guard, validates, then
//! calls the repo inside one transaction. Callable by anyone over HTTP: trust no argument.

use leptos::prelude::*;

use super::types::{Profile, UserPage};
use crate::auth::CurrentUser;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{policy, repo},
    crate::auth::{guard, password, session, Permission, Role},
    crate::error::FormCheck,
    crate::rate_limit::{self, limits},
    crate::state::{app_state, begin, db},
};

/// Who is signed in (or `None`). Anyone may call it.
#[server]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    guard::current_user().await
}

/// Creates an account and signs it in. Anyone may call it; throttled per address.
#[server]
pub async fn register(display_name: String, email: String, password: String) -> Result<(), AppError> {
    if guard::current_user().await?.is_some() {
        return Err(AppError::Conflict("You're already signed in.".into()));
    }
    let (display_name, email) = (display_name.trim().to_owned(), email.trim().to_owned());
    let mut form = FormCheck::new();
    form.keep("display_name", &display_name)
        .keep("email", &email)
        .check("display_name", policy::check_display_name(&display_name))
        .check("email", policy::check_email(&email))
        .check("password", password::check_new(&password, &[&display_name, &email]));
    form.finish()?;

    let state = app_state()?;
    let mut tx = begin().await?;
    let ip = crate::auth::client::client_ip();
    rate_limit::hit(
        &mut tx,
        &format!("register:ip:{ip}"),
        limits::REGISTER_PER_IP_HOUR.scaled(state.web.rate_limit_multiplier),
        "Too many new accounts from your network.",
    )
    .await?;
    // Commit the throttle hit even if the rest fails, so failures count too.
    tx.commit().await?;

    let hash = password::hash(password).await?;
    let mut tx = begin().await?;
    let (user_id, role) = match repo::insert_user(&mut tx, &email, &display_name, &hash).await {
        Ok(created) => created,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(
                form.fail("email", "An account with this email already exists. Try signing in instead.")
            );
        }
        Err(e) => return Err(e.into()),
    };
    if role == Role::Admin {
        repo::insert_audit_entry(&mut tx, Some(user_id), "first_admin", Some(user_id), serde_json::json!({}))
            .await?;
    }
    start_session(&mut tx, user_id).await?;
    tx.commit().await?;
    leptos_axum::redirect("/?notice=welcome");
    Ok(())
}

/// Signs in. Anyone may call it; throttled per address and per account, and never says
/// whether it was the email or the password that was wrong.
#[server]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    guard::current_user().await?;
    let email = email.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("email", &email);
    if email.is_empty() {
        form.error("email", "Please enter your email address.");
    }
    if password.is_empty() {
        form.error("password", "Please enter your password.");
    }
    form.finish()?;

    let factor = app_state()?.web.rate_limit_multiplier;
    let ip = crate::auth::client::client_ip();
    let account_bucket = format!("login:account:{}", email.to_lowercase());
    let account_limit = limits::LOGIN_FAILURES_PER_ACCOUNT.scaled(factor);
    let row = {
        let mut conn = db().await?;
        let busy = "Too many sign-in attempts from your network.";
        rate_limit::hit(
            &mut conn,
            &format!("login:ip-m:{ip}"),
            limits::LOGIN_PER_IP_MINUTE.scaled(factor),
            busy,
        )
        .await?;
        rate_limit::hit(
            &mut conn,
            &format!("login:ip-h:{ip}"),
            limits::LOGIN_PER_IP_HOUR.scaled(factor),
            busy,
        )
        .await?;
        rate_limit::check(
            &mut conn,
            &account_bucket,
            account_limit,
            "Too many unsuccessful sign-ins for this account.",
        )
        .await?;
        repo::find_login(&mut conn, &email).await?
    };
    let matched = password::verify(password, row.as_ref().map(|r| r.password_hash.clone())).await?;
    let user_id = match row {
        Some(row) if matched => row.id,
        _ => {
            let mut conn = db().await?;
            rate_limit::record(&mut conn, &account_bucket, account_limit).await?;
            return Err(form.fail(
                "form",
                "That email and password don't match an account. Please check both and try again.",
            ));
        }
    };
    let mut tx = begin().await?;
    start_session(&mut tx, user_id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Ends this browser's session on the server. Anyone may call it.
#[server]
pub async fn logout() -> Result<(), AppError> {
    guard::current_user().await?;
    if let Some(hash) = guard::request_token_hash() {
        let mut conn = db().await?;
        crate::auth::repo::delete_session(&mut conn, &hash).await?;
    }
    set_response_cookie(session::clear_cookie(app_state()?.web.secure_cookies));
    leptos_axum::redirect("/?notice=signed-out");
    Ok(())
}

/// The signed-in person's own profile. Any signed-in person.
#[server]
pub async fn get_profile() -> Result<Profile, AppError> {
    let user = guard::require_user().await?;
    let mut conn = db().await?;
    Ok(repo::get_profile(&mut conn, user.id).await?)
}

/// Time zones people can choose on their profile (IANA names).
#[server]
pub async fn list_time_zones() -> Result<Vec<String>, AppError> {
    guard::current_user().await?;
    // Canonical "Region/City" names only; the legacy aliases (US/Eastern, Etc/GMT+5 …) would
    // double the list without adding a place anyone lives.
    const LEGACY: [&str; 7] = ["Etc/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/", "SystemV/"];
    let mut zones: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| n.contains('/') && !LEGACY.iter().any(|p| n.starts_with(p)))
        .map(str::to_owned)
        .collect();
    zones.insert(0, "UTC".to_owned());
    Ok(zones)
}

/// Updates one's own profile. Signed-in people who are not suspended.
#[server]
pub async fn update_profile(
    display_name: String,
    bio: String,
    department: String,
    pronouns: String,
    time_zone: String,
) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let display_name = display_name.trim().to_owned();
    let (department, pronouns, time_zone) =
        (department.trim().to_owned(), pronouns.trim().to_owned(), time_zone.trim().to_owned());
    let mut form = FormCheck::new();
    form.keep("display_name", &display_name)
        .keep("bio", &bio)
        .keep("department", &department)
        .keep("pronouns", &pronouns)
        .keep("time_zone", &time_zone)
        .check("display_name", policy::check_display_name(&display_name))
        .check("bio", policy::check_optional_text(&bio, policy::BIO_MAX, "bio"))
        .check("department", policy::check_optional_text(&department, policy::DEPARTMENT_MAX, "department"))
        .check("pronouns", policy::check_optional_text(&pronouns, policy::PRONOUNS_MAX, "pronouns"));
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        form.error("time_zone", "Please choose a time zone from the list.");
    }
    form.finish()?;
    let bio_html = crate::markdown::render(&bio);
    let mut tx = begin().await?;
    repo::update_profile(
        &mut tx,
        user.id,
        &repo::ProfileUpdate {
            display_name: &display_name,
            bio: &bio,
            bio_html: &bio_html,
            department: &department,
            pronouns: &pronouns,
            time_zone: &time_zone,
        },
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account/profile?notice=profile-saved");
    Ok(())
}

/// Changes one's own password after checking the current one, and signs out every other
/// session. Any signed-in person, suspended or not (keeping an account safe is never refused).
#[server]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    let user = guard::require_user().await?;
    let mut form = FormCheck::new();
    if current_password.is_empty() {
        form.error("current_password", "Please enter your current password.");
    }
    form.check("new_password", password::check_new(&new_password, &[&user.display_name, &user.email]));
    form.finish()?;

    let factor = app_state()?.web.rate_limit_multiplier;
    let bucket = format!("login:account:{}", user.email.to_lowercase());
    let limit = limits::LOGIN_FAILURES_PER_ACCOUNT.scaled(factor);
    let stored = {
        let mut conn = db().await?;
        rate_limit::check(&mut conn, &bucket, limit, "Too many wrong passwords.").await?;
        repo::get_password_hash(&mut conn, user.id).await?
    };
    if !password::verify(current_password, Some(stored)).await? {
        let mut conn = db().await?;
        rate_limit::record(&mut conn, &bucket, limit).await?;
        return Err(form.fail("current_password", "That isn't your current password."));
    }
    if new_password_equals_old(&new_password, &user).await? {
        return Err(form.fail("new_password", "Please choose a password different from your current one."));
    }
    let hash = password::hash(new_password).await?;
    let this_session = guard::request_token_hash();
    let mut tx = begin().await?;
    repo::update_password_hash(&mut tx, user.id, &hash).await?;
    crate::auth::repo::delete_user_sessions(&mut tx, user.id, this_session.as_deref()).await?;
    tx.commit().await?;
    leptos_axum::redirect("/account/password?notice=password-changed");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn new_password_equals_old(new_password: &str, user: &CurrentUser) -> Result<bool, AppError> {
    let stored = {
        let mut conn = db().await?;
        repo::get_password_hash(&mut conn, user.id).await?
    };
    password::verify(new_password.to_owned(), Some(stored)).await
}

/// People, a page at a time (keyset on id). Admins only.
#[server]
pub async fn list_users(after: Option<i64>, q: Option<String>) -> Result<UserPage, AppError> {
    guard::require(Permission::ManageUsers).await?;
    const PAGE: i64 = 50;
    let q = q.map(|q| q.trim().chars().take(100).collect::<String>()).filter(|q| !q.is_empty());
    let mut conn = db().await?;
    let mut users = repo::list_users(&mut conn, after.unwrap_or(0), PAGE + 1, q.as_deref()).await?;
    let next_after = if users.len() as i64 > PAGE {
        users.truncate(PAGE as usize);
        users.last().map(|u| u.id)
    } else {
        None
    };
    Ok(UserPage { users, next_after })
}

/// Gives a person a new role. Admins only, never their own; written to the audit log.
#[server]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    let admin = guard::require(Permission::ManageUsers).await?;
    let Some(role) = Role::parse(&role) else {
        return Err(AppError::field("role", "Please choose member, moderator or admin."));
    };
    policy::can_change_role(&admin, user_id, role).map_err(AppError::Forbidden)?;
    let mut tx = begin().await?;
    let old = repo::find_role(&mut tx, user_id).await?.ok_or(AppError::NotFound)?;
    if old != role {
        repo::update_role(&mut tx, user_id, role).await?;
        repo::insert_audit_entry(
            &mut tx,
            Some(admin.id),
            "role_changed",
            Some(user_id),
            serde_json::json!({ "from": old.as_str(), "to": role.as_str() }),
        )
        .await?;
    }
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/admin/users", "role-changed");
    Ok(())
}

/// Pauses an account for some days: the person can still sign in and read, not write. Ends
/// all their sessions at once. Admins only; written to the audit log.
#[server]
pub async fn suspend_user(user_id: i64, days: i64, reason: String) -> Result<(), AppError> {
    let admin = guard::require(Permission::ManageUsers).await?;
    let reason = reason.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("reason", &reason);
    if !(1..=policy::SUSPENSION_DAYS_MAX).contains(&days) {
        form.error("days", format!("Choose between 1 and {} days.", policy::SUSPENSION_DAYS_MAX));
    }
    if reason.is_empty() {
        form.error("reason", "Please give a short reason; the person will see it.");
    }
    form.check("reason", policy::check_optional_text(&reason, policy::SUSPENSION_REASON_MAX, "reason"));
    form.finish()?;
    let mut tx = begin().await?;
    let role = repo::find_role(&mut tx, user_id).await?.ok_or(AppError::NotFound)?;
    policy::can_suspend(&admin, user_id, role).map_err(AppError::Forbidden)?;
    let until = chrono::Utc::now() + chrono::Duration::days(days);
    repo::update_suspension(&mut tx, user_id, Some(until), Some(&reason)).await?;
    let ended = crate::auth::repo::delete_user_sessions(&mut tx, user_id, None).await?;
    repo::insert_audit_entry(
        &mut tx,
        Some(admin.id),
        "user_suspended",
        Some(user_id),
        serde_json::json!({ "days": days, "reason": reason, "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/admin/users", "user-suspended");
    Ok(())
}

/// Lifts a suspension. Admins only; written to the audit log.
#[server]
pub async fn unsuspend_user(user_id: i64) -> Result<(), AppError> {
    let admin = guard::require(Permission::ManageUsers).await?;
    let mut tx = begin().await?;
    repo::find_role(&mut tx, user_id).await?.ok_or(AppError::NotFound)?;
    repo::update_suspension(&mut tx, user_id, None, None).await?;
    repo::insert_audit_entry(
        &mut tx,
        Some(admin.id),
        "user_unsuspended",
        Some(user_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/admin/users", "user-unsuspended");
    Ok(())
}

/// Signs a person out everywhere. Admins only; written to the audit log.
#[server]
pub async fn end_user_sessions(user_id: i64) -> Result<(), AppError> {
    let admin = guard::require(Permission::ManageUsers).await?;
    let mut tx = begin().await?;
    repo::find_role(&mut tx, user_id).await?.ok_or(AppError::NotFound)?;
    let ended = crate::auth::repo::delete_user_sessions(&mut tx, user_id, None).await?;
    repo::insert_audit_entry(
        &mut tx,
        Some(admin.id),
        "sessions_ended",
        Some(user_id),
        serde_json::json!({ "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/admin/users", "sessions-ended");
    Ok(())
}

/// Opens a session for `user_id`: a fresh token (never reusing the browser's old one, which
/// is deleted), stored hashed, sent as an HttpOnly cookie.
#[cfg(feature = "ssr")]
async fn start_session(conn: &mut sqlx::PgConnection, user_id: i64) -> Result<(), AppError> {
    if let Some(old) = guard::request_token_hash() {
        crate::auth::repo::delete_session(conn, &old).await?;
    }
    let (token, hash) = session::new_token();
    let expires = chrono::Utc::now() + chrono::Duration::days(session::SESSION_DAYS);
    crate::auth::repo::insert_session(conn, &hash, user_id, expires).await?;
    let cookie = session::set_cookie(&token, app_state()?.web.secure_cookies).ok_or(AppError::Internal)?;
    set_response_cookie(cookie);
    Ok(())
}

#[cfg(feature = "ssr")]
fn set_response_cookie(value: http::HeaderValue) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// Only same-site paths may be a post-login destination (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.contains("://") => {
            n.to_owned()
        }
        _ => "/?notice=signed-in".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next(Some("/account/profile")), "/account/profile");
        assert_eq!(safe_next(Some("//evil.example")), "/?notice=signed-in");
        assert_eq!(safe_next(Some("https://evil.example")), "/?notice=signed-in");
        assert_eq!(safe_next(Some("/\\evil.example")), "/?notice=signed-in");
        assert_eq!(safe_next(None), "/?notice=signed-in");
    }
}
