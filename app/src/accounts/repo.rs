//! All SQL of the accounts area. Functions take `&mut PgConnection`; callers own transactions.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::types::{Profile, UserSummary};
use crate::auth::Role;

/// Creates an account. The first account on an empty instance becomes its admin; a lock makes
/// two simultaneous first registrations agree on which one that is.
pub async fn insert_user(
    conn: &mut PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<(i64, Role), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock(7301001)").execute(&mut *conn).await?;
    let row = sqlx::query!(
        r#"
        INSERT INTO users (email, display_name, password_hash, role)
        VALUES ($1, $2, $3,
                CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'member'::user_role
                     ELSE 'admin'::user_role END)
        RETURNING id, role AS "role: Role"
        "#,
        email,
        display_name,
        password_hash
    )
    .fetch_one(conn)
    .await?;
    Ok((row.id, row.role))
}

/// Creates an account with a given role (command line and seeding).
pub async fn insert_user_with_role(
    conn: &mut PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO users (email, display_name, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING id",
        email,
        display_name,
        password_hash,
        role as Role
    )
    .fetch_one(conn)
    .await
}

pub struct LoginRow {
    pub id: i64,
    pub password_hash: String,
}

pub async fn find_login(conn: &mut PgConnection, email: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    sqlx::query_as!(LoginRow, "SELECT id, password_hash FROM users WHERE lower(email) = lower($1)", email)
        .fetch_optional(conn)
        .await
}

/// Display names whose @handle (lower case, spaces as underscores) starts with `prefix`,
/// alphabetically; served by `users_handle_idx`.
pub async fn list_names_by_handle_prefix(
    conn: &mut PgConnection,
    prefix: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    // A byte-wise range rather than LIKE: it uses the index with a bound parameter too.
    sqlx::query_scalar!(
        r#"
        SELECT display_name FROM users
        WHERE lower(replace(display_name, ' ', '_')) ~>=~ $1
          AND lower(replace(display_name, ' ', '_')) ~<~ ($1 || chr(1114111))
        ORDER BY lower(replace(display_name, ' ', '_')) USING ~<~, id
        LIMIT $2
        "#,
        prefix,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn find_user_id_by_email(conn: &mut PgConnection, email: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM users WHERE lower(email) = lower($1)", email)
        .fetch_optional(conn)
        .await
}

/// The accounts with these emails (matched as `find_user_id_by_email` does, in one query), as
/// (the email as given, id); emails with no account are left out.
pub async fn find_user_ids_by_emails(
    conn: &mut PgConnection,
    emails: &[String],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT e AS "email!", u.id FROM unnest($1::text[]) AS e JOIN users u ON lower(u.email) = lower(e)"#,
        emails
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.email, r.id)).collect())
}

pub async fn get_password_hash(conn: &mut PgConnection, user_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user_id).fetch_one(conn).await
}

pub async fn update_password_hash(
    conn: &mut PgConnection,
    user_id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
        user_id,
        password_hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get_profile(conn: &mut PgConnection, user_id: i64) -> Result<Profile, sqlx::Error> {
    sqlx::query_as!(
        Profile,
        r#"SELECT display_name, email, bio, bio_html, department, pronouns, time_zone
           FROM users WHERE id = $1"#,
        user_id
    )
    .fetch_one(conn)
    .await
}

pub struct ProfileUpdate<'a> {
    pub display_name: &'a str,
    pub bio: &'a str,
    pub bio_html: &'a str,
    pub department: &'a str,
    pub pronouns: &'a str,
    pub time_zone: &'a str,
}

pub async fn update_profile(
    conn: &mut PgConnection,
    user_id: i64,
    p: &ProfileUpdate<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE users SET display_name = $2, bio = $3, bio_html = $4, department = $5,
                  pronouns = $6, time_zone = $7, updated_at = now()
           WHERE id = $1"#,
        user_id,
        p.display_name,
        p.bio,
        p.bio_html,
        p.department,
        p.pronouns,
        p.time_zone
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// People in id order after `after`, optionally matching a name or email fragment.
pub async fn list_users(
    conn: &mut PgConnection,
    after: i64,
    limit: i64,
    search: Option<&str>,
) -> Result<Vec<UserSummary>, sqlx::Error> {
    let pattern =
        search.map(|s| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    sqlx::query_as!(
        UserSummary,
        r#"SELECT id, display_name, email, role AS "role: Role", department, suspended_until, created_at
           FROM users
           WHERE id > $1 AND ($3::text IS NULL OR display_name ILIKE $3 OR email ILIKE $3)
           ORDER BY id
           LIMIT $2"#,
        after,
        limit,
        pattern
    )
    .fetch_all(conn)
    .await
}

pub async fn find_role(conn: &mut PgConnection, user_id: i64) -> Result<Option<Role>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT role AS "role: Role" FROM users WHERE id = $1"#, user_id)
        .fetch_optional(conn)
        .await
}

pub async fn update_role(conn: &mut PgConnection, user_id: i64, role: Role) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE users SET role = $2, updated_at = now() WHERE id = $1", user_id, role as Role)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_suspension(
    conn: &mut PgConnection,
    user_id: i64,
    until: Option<DateTime<Utc>>,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET suspended_until = $2, suspension_reason = $3, updated_at = now() WHERE id = $1",
        user_id,
        until,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records what a staff member did, for accountability.
/// One audited reveal of an anonymous post's author.
pub struct RevealRow {
    pub revealed_by: String,
    pub author_name: Option<String>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// The reveals of one post's author, newest first (served by `audit_log_reveals_idx`).
pub async fn list_reveals(conn: &mut PgConnection, post_id: i64) -> Result<Vec<RevealRow>, sqlx::Error> {
    sqlx::query_as!(
        RevealRow,
        r#"
        SELECT coalesce(actor.display_name, 'A former admin') AS "revealed_by!",
               author.display_name AS "author_name?",
               coalesce(a.details ->> 'reason', '') AS "reason!",
               a.created_at
        FROM audit_log a
        LEFT JOIN users actor ON actor.id = a.actor_id
        LEFT JOIN users author ON author.id = a.target_user_id
        WHERE a.action = 'anonymous_author_revealed' AND a.details ->> 'post_id' = $1::bigint::text
        ORDER BY a.id DESC
        LIMIT 50
        "#,
        post_id
    )
    .fetch_all(conn)
    .await
}

pub async fn insert_audit_entry(
    conn: &mut PgConnection,
    actor_id: Option<i64>,
    action: &str,
    target_user_id: Option<i64>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, action, target_user_id, details) VALUES ($1, $2, $3, $4)",
        actor_id,
        action,
        target_user_id,
        details
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn count_users(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query_scalar!("SELECT count(*) FROM users").fetch_one(conn).await?.unwrap_or(0))
}

/// Inserts `count` members (`member<N>@scale.example`) in one statement, for benchmarks.
/// They share one password hash: hashing each would take minutes and measure nothing.
pub async fn insert_users_at_scale(
    conn: &mut PgConnection,
    count: i64,
    password_hash: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        r#"
        INSERT INTO users (email, display_name, password_hash, role, department, time_zone)
        SELECT 'member' || n || '@scale.example',
               'Member ' || n,
               $2,
               'member',
               (ARRAY['Finance','Engineering','Care','Operations','People','Legal'])[1 + n % 6],
               'Europe/London'
        FROM (SELECT count(*) AS existing FROM users WHERE email LIKE '%@scale.example') AS s,
             generate_series(s.existing + 1, s.existing + $1) AS n
        ON CONFLICT DO NOTHING
        "#,
        count,
        password_hash
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
