//! Server functions of the forums. Each starts with one guard, then checks the community
//! rules in `policy`, then works in one transaction. Callable by anyone over HTTP: private
//! communities answer "not found" to outsiders, so their existence isn't revealed either.

use leptos::prelude::*;

use super::types::{
    CommunityPage, CommunitySummary, MembersPage, MentionSuggestions, RevealPage, Revision, SearchPage,
    ThreadPage,
};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{policy, repo, types::*, view_rows},
    crate::auth::{guard, CurrentUser, Permission, Role},
    crate::drafts::{repo as drafts, types::DraftPlace},
    crate::error::FormCheck,
    crate::live::{repo as live, LiveEvent},
    crate::rate_limit::{self, Limit},
    crate::state::{app_state, begin, db},
    chrono::{DateTime, Utc},
};

/// Posts per page of a thread, and threads per page of a community.
pub const POSTS_PER_PAGE: i32 = 30;
pub const THREADS_PER_PAGE: i64 = 30;
// The thread list's statement fetches one row more than a page, as a number of its own.
#[cfg(feature = "ssr")]
const _: () = assert!(THREADS_PER_PAGE + 1 == repo::THREAD_PAGE_ROWS);

#[cfg(feature = "ssr")]
const POSTS_PER_MINUTE: Limit = Limit::new(5, 60);
#[cfg(feature = "ssr")]
const POSTS_PER_TEN_MINUTES: Limit = Limit::new(20, 600);
/// What someone over a posting limit reads (followed by when they can post again).
pub const POSTING_TOO_FAST: &str = "You're posting very quickly; please slow down a little.";

#[cfg(feature = "ssr")]
fn is_staff(user: &CurrentUser) -> bool {
    user.role >= Role::Moderator
}

/// A community the reader may read, or `NotFound` (also for private ones they can't see).
#[cfg(feature = "ssr")]
async fn readable_community(
    conn: &mut sqlx::PgConnection,
    user: &CurrentUser,
    id: i64,
) -> Result<repo::CommunityRow, AppError> {
    let row = repo::find_community(conn, id, user.id).await?.ok_or(AppError::NotFound)?;
    ensure_readable(user, &row)?;
    Ok(row)
}

/// A thread and its community, `NotFound` unless the reader may read that community.
#[cfg(feature = "ssr")]
async fn readable_thread(
    conn: &mut sqlx::PgConnection,
    user: &CurrentUser,
    thread_id: i64,
) -> Result<(repo::ThreadMeta, repo::CommunityRow), AppError> {
    let (thread, community) =
        repo::find_thread_in_community(conn, thread_id, user.id).await?.ok_or(AppError::NotFound)?;
    ensure_readable(user, &community)?;
    Ok((thread, community))
}

/// `NotFound` unless the reader may read this community (so private ones stay unrevealed).
#[cfg(feature = "ssr")]
fn ensure_readable(user: &CurrentUser, community: &repo::CommunityRow) -> Result<(), AppError> {
    if policy::can_read(Some(user), community.visibility, community.is_member) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(feature = "ssr")]
const THREAD_LOCKED: &str = "This thread is locked: it can be read, but not replied to.";

/// Counts a post against its author's posting limits, refusing it when over one. The limits'
/// rows stay locked until commit (one person's posts are counted in turn), so this comes
/// just before the post is stored.
#[cfg(feature = "ssr")]
async fn throttle_posting(conn: &mut sqlx::PgConnection, user_id: i64) -> Result<(), AppError> {
    let factor = app_state()?.web.rate_limit_multiplier;
    let buckets = [
        (format!("post:m:{user_id}"), POSTS_PER_MINUTE.scaled(factor)),
        (format!("post:10m:{user_id}"), POSTS_PER_TEN_MINUTES.scaled(factor)),
    ];
    rate_limit::hit_all(conn, &buckets, POSTING_TOO_FAST).await
}

/// Communities the reader may see. Any signed-in person.
#[server]
pub async fn list_communities() -> Result<Vec<CommunitySummary>, AppError> {
    let user = guard::require_user().await?;
    let mut conn = db().await?;
    let rows = repo::list_communities(&mut conn, user.id, is_staff(&user)).await?;
    Ok(rows.into_iter().map(view_rows::community).collect())
}

/// A page of a community's threads (keyset: `before` is the cursor from the previous page).
/// Any signed-in person who may read the community.
#[server]
pub async fn get_community_page(
    slug: String,
    before: Option<String>,
    preview: Option<bool>,
) -> Result<CommunityPage, AppError> {
    let user = guard::require_user().await?;
    let mut conn = db().await?;
    let repo::CommunityView { community: row, watching, draft } =
        repo::find_community_view(&mut conn, &slug, user.id).await?.ok_or(AppError::NotFound)?;
    if row.join_policy == JoinPolicy::Open && !policy::can_read(Some(&user), row.visibility, row.is_member) {
        // A private community anyone may join: its name and description, and the way in.
        return Ok(CommunityPage {
            watching: false,
            draft: Default::default(),
            preview_html: None,
            can_manage: user.can(Permission::ManageCommunities),
            can_moderate: false,
            members_only: true,
            community: view_rows::community(row),
            pinned: vec![],
            threads: vec![],
            next: None,
        });
    }
    ensure_readable(&user, &row)?;
    let cursor = before.as_deref().and_then(parse_thread_cursor);
    let rows = repo::list_thread_page(&mut conn, row.id, cursor, user.id).await?;
    let (pinned, mut threads): (Vec<_>, Vec<_>) = rows.into_iter().partition(|t| t.pinned);
    let next = if threads.len() as i64 > THREADS_PER_PAGE {
        threads.truncate(THREADS_PER_PAGE as usize);
        threads.last().map(|t| format!("{}_{}", t.last_post_at.timestamp_micros(), t.id))
    } else {
        None
    };
    let draft = draft.unwrap_or_default();
    let preview_html = preview.unwrap_or(false).then(|| crate::markdown::render(&draft.body));
    Ok(CommunityPage {
        watching,
        draft,
        preview_html,
        can_manage: user.can(Permission::ManageCommunities),
        can_moderate: user.can(Permission::Moderate),
        members_only: false,
        community: view_rows::community(row),
        pinned: pinned.into_iter().map(view_rows::thread).collect(),
        threads: threads.into_iter().map(view_rows::thread).collect(),
        next,
    })
}

#[cfg(feature = "ssr")]
fn parse_thread_cursor(s: &str) -> Option<(DateTime<Utc>, i64)> {
    let (micros, id) = s.split_once('_')?;
    Some((DateTime::from_timestamp_micros(micros.parse().ok()?)?, id.parse().ok()?))
}

#[cfg(feature = "ssr")]
fn checkbox(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("on" | "true" | "1"))
}

/// Creates a community. Admins only.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn create_community(
    slug: String,
    name: String,
    description: String,
    colour: String,
    visibility: String,
    join_policy: String,
    allow_anonymous: Option<String>,
) -> Result<(), AppError> {
    let admin = guard::require(Permission::ManageCommunities).await?;
    let (form, input) =
        check_community(&slug, &name, &description, &colour, &visibility, &join_policy, &allow_anonymous)?;
    let mut tx = begin().await?;
    match repo::insert_community(&mut tx, &input.as_new()).await {
        // The creator belongs to it, so a private community has its first member.
        Ok(id) => {
            repo::insert_member(&mut tx, id, admin.id).await?;
        }
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(form.fail("slug", "Another community already uses this address."));
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/forums/c/{}?notice=community-saved", input.slug));
    Ok(())
}

/// Changes a community's settings. Admins only.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn update_community(
    id: i64,
    slug: String,
    name: String,
    description: String,
    colour: String,
    visibility: String,
    join_policy: String,
    allow_anonymous: Option<String>,
) -> Result<(), AppError> {
    guard::require(Permission::ManageCommunities).await?;
    let (form, input) =
        check_community(&slug, &name, &description, &colour, &visibility, &join_policy, &allow_anonymous)?;
    let mut tx = begin().await?;
    match repo::update_community(&mut tx, id, &input.as_new()).await {
        Ok(0) => return Err(AppError::NotFound),
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(form.fail("slug", "Another community already uses this address."));
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/forums/c/{}?notice=community-saved", input.slug));
    Ok(())
}

/// A community form that passed validation.
#[cfg(feature = "ssr")]
struct CommunityInput {
    slug: String,
    name: String,
    description: String,
    colour: String,
    visibility: Visibility,
    join_policy: JoinPolicy,
    allow_anonymous: bool,
}

#[cfg(feature = "ssr")]
impl CommunityInput {
    fn as_new(&self) -> repo::NewCommunity<'_> {
        repo::NewCommunity {
            slug: &self.slug,
            name: &self.name,
            description: &self.description,
            colour: &self.colour,
            visibility: self.visibility,
            join_policy: self.join_policy,
            allow_anonymous: self.allow_anonymous,
        }
    }
}

#[cfg(feature = "ssr")]
fn check_community(
    slug: &str,
    name: &str,
    description: &str,
    colour: &str,
    visibility: &str,
    join_policy: &str,
    allow_anonymous: &Option<String>,
) -> Result<(FormCheck, CommunityInput), AppError> {
    let (slug, name, description, colour) = (
        slug.trim().to_owned(),
        name.trim().to_owned(),
        description.trim().to_owned(),
        colour.trim().to_lowercase(),
    );
    let mut form = FormCheck::new();
    form.keep("slug", &slug)
        .keep("name", &name)
        .keep("description", &description)
        .keep("colour", &colour)
        .check("slug", policy::check_slug(&slug))
        .check("name", policy::check_community_name(&name))
        .check(
            "description",
            crate::accounts::policy::check_optional_text(
                &description,
                policy::COMMUNITY_DESCRIPTION_MAX,
                "description",
            ),
        )
        .check("colour", policy::check_colour(&colour));
    let visibility = match visibility {
        "private" => Visibility::Private,
        "public" => Visibility::Public,
        _ => {
            form.error("visibility", "Choose public or private.");
            Visibility::Public
        }
    };
    let join_policy = match join_policy {
        "invite" if visibility == Visibility::Public => {
            form.error(
                "join_policy",
                "A public community is open to everyone; make it private to invite people.",
            );
            JoinPolicy::Open
        }
        "invite" => JoinPolicy::Invite,
        "open" => JoinPolicy::Open,
        _ => {
            form.error("join_policy", "Choose open or invite-only.");
            JoinPolicy::Open
        }
    };
    form.finish()?;
    let allow_anonymous = checkbox(allow_anonymous);
    Ok((form, CommunityInput { slug, name, description, colour, visibility, join_policy, allow_anonymous }))
}

/// Archives (read-only) or restores a community. Admins only.
#[server]
pub async fn archive_community(id: i64, archived: bool) -> Result<(), AppError> {
    guard::require(Permission::ManageCommunities).await?;
    let mut tx = begin().await?;
    if repo::update_community_archived(&mut tx, id, archived).await? == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/forums", "community-saved");
    Ok(())
}

/// Moves a community up or down the list. Admins only.
#[server]
pub async fn move_community(id: i64, direction: String) -> Result<(), AppError> {
    guard::require(Permission::ManageCommunities).await?;
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::field("direction", "Move up or down.")),
    };
    let mut tx = begin().await?;
    repo::renumber_communities(&mut tx).await?;
    repo::move_community(&mut tx, id, up).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/forums", "community-moved");
    Ok(())
}

/// Joins an open community. Signed-in people who are not suspended.
#[server]
pub async fn join_community(community_id: i64) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let mut tx = begin().await?;
    let row = repo::find_community(&mut tx, community_id, user.id).await?.ok_or(AppError::NotFound)?;
    let visible = policy::can_read(Some(&user), row.visibility, row.is_member);
    if row.join_policy == JoinPolicy::Invite && !row.is_member {
        return Err(if visible {
            AppError::forbidden("This community is invite-only. A moderator can add you.")
        } else {
            AppError::NotFound
        });
    }
    repo::insert_member(&mut tx, community_id, user.id).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice(&format!("/forums/c/{}", row.slug), "joined");
    Ok(())
}

/// Leaves a community. Any signed-in person.
#[server]
pub async fn leave_community(community_id: i64) -> Result<(), AppError> {
    let user = guard::require_user().await?;
    let mut tx = begin().await?;
    repo::delete_member(&mut tx, community_id, user.id).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/forums", "left");
    Ok(())
}

/// How many members the members page lists (by name); private groups are far smaller.
pub const MEMBERS_LISTED: i64 = 500;

/// A community's members. Moderators (who add and remove them).
#[server]
pub async fn get_community_members(slug: String) -> Result<MembersPage, AppError> {
    let user = guard::require(Permission::Moderate).await?;
    let mut conn = db().await?;
    let row = repo::find_community_by_slug(&mut conn, &slug, user.id).await?.ok_or(AppError::NotFound)?;
    let (rows, total) = repo::list_members(&mut conn, row.id, MEMBERS_LISTED).await?;
    Ok(MembersPage {
        community: view_rows::community(row),
        members: rows
            .into_iter()
            .map(|m| Member {
                user_id: m.user_id,
                name: m.display_name,
                email: m.email,
                joined_at: m.joined_at,
            })
            .collect(),
        total,
    })
}

/// Adds someone to a community by email (how invite-only communities grow). Moderators;
/// written to the audit log.
#[server]
pub async fn add_community_member(community_id: i64, email: String) -> Result<(), AppError> {
    let moderator = guard::require(Permission::Moderate).await?;
    let email = email.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("email", &email);
    if email.is_empty() {
        return Err(form.fail("email", "Enter the email address of the person to add."));
    }
    let mut tx = begin().await?;
    let community =
        repo::find_community(&mut tx, community_id, moderator.id).await?.ok_or(AppError::NotFound)?;
    let Some(user_id) = crate::accounts::repo::find_user_id_by_email(&mut tx, &email).await? else {
        return Err(form.fail("email", "No one has an account with that email."));
    };
    if !repo::insert_member(&mut tx, community_id, user_id).await? {
        return Err(form.fail("email", "They are already a member."));
    }
    finish_member_change(tx, moderator.id, "community_member_added", user_id, &community, "member-added")
        .await
}

/// Removes someone from a community (they lose access to a private one at once). Moderators;
/// written to the audit log.
#[server]
pub async fn remove_community_member(community_id: i64, user_id: i64) -> Result<(), AppError> {
    let moderator = guard::require(Permission::Moderate).await?;
    let mut tx = begin().await?;
    let community =
        repo::find_community(&mut tx, community_id, moderator.id).await?.ok_or(AppError::NotFound)?;
    if !repo::delete_member(&mut tx, community_id, user_id).await? {
        return Err(AppError::NotFound);
    }
    finish_member_change(tx, moderator.id, "community_member_removed", user_id, &community, "member-removed")
        .await
}

/// Writes a change to a community's members to the audit log, commits it with the change, and
/// goes back to the members page with `notice`.
#[cfg(feature = "ssr")]
async fn finish_member_change(
    mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
    moderator_id: i64,
    action: &str,
    user_id: i64,
    community: &repo::CommunityRow,
    notice: &str,
) -> Result<(), AppError> {
    let details = serde_json::json!({ "community_id": community.id });
    crate::accounts::repo::insert_audit_entry(&mut tx, Some(moderator_id), action, Some(user_id), details)
        .await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice(&format!("/forums/c/{}/members", community.slug), notice);
    Ok(())
}

/// Starts a thread with its opening post. Signed-in, not suspended, allowed to post in the
/// community; throttled.
#[server]
pub async fn create_thread(
    community_id: i64,
    title: String,
    body: String,
    tags: String,
    content_warning: String,
    anonymous: Option<String>,
) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let title = title.trim().to_owned();
    let warning = content_warning.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("title", &title)
        .keep("body", &body)
        .keep("tags", &tags)
        .keep("content_warning", &warning)
        .check("title", policy::check_title(&title))
        .check("body", policy::check_body(&body))
        .check("content_warning", policy::check_warning(&warning));
    let tags = policy::parse_tags(&tags).unwrap_or_else(|e| {
        form.error("tags", e);
        vec![]
    });
    form.finish()?;
    let anonymous = checkbox(&anonymous);
    let html = crate::markdown::render(&body);

    let mut tx = begin().await?;
    let community = readable_community(&mut tx, &user, community_id).await?;
    policy::can_post(&user, community.visibility, community.is_member, community.archived_at.is_some())
        .map_err(|m| form.fail("form", m))?;
    if anonymous && !community.allow_anonymous {
        return Err(form.fail("anonymous", "This community doesn't allow anonymous posts."));
    }
    let warning = (!warning.is_empty()).then_some(warning.as_str());
    let thread_id = repo::insert_thread(
        &mut tx,
        &repo::NewThread {
            community_id,
            author_id: user.id,
            is_anonymous: anonymous,
            title: &title,
            tags: &tags,
            content_warning: warning,
        },
    )
    .await?;
    let post = PostToStore {
        thread_id,
        community_id,
        new_thread: true,
        anonymous,
        body: &body,
        body_html: &html,
        content_warning: warning,
        quoted: None,
        title_for_search: Some(&title),
    };
    let (_, announcements) = store_post(&mut tx, &user, &post).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    announcements.send_after_commit();
    leptos_axum::redirect(&format!("/forums/t/{thread_id}"));
    Ok(())
}

/// A page of a thread (posts with `seq` after `after`), with everything its forms start from:
/// the reader's draft, the post they are quoting (`quote`; only the part they selected in it,
/// `part`, when they did) or editing (`edit`, their own), a preview of their draft
/// (`preview`), and a post's edit history (`history`, moderators).
/// Anyone who may read the community.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn get_thread_page(
    thread_id: i64,
    after: Option<i32>,
    quote: Option<i64>,
    part: Option<String>,
    edit: Option<i64>,
    history: Option<i64>,
    preview: Option<bool>,
) -> Result<ThreadPage, AppError> {
    let user = guard::require_user().await?;
    let mut conn = db().await?;
    let repo::ThreadView { thread, community, watching, last_read_seq, draft } =
        repo::find_thread_view(&mut conn, thread_id, user.id).await?.ok_or(AppError::NotFound)?;
    if thread.deleted {
        return Err(AppError::NotFound);
    }
    ensure_readable(&user, &community)?;
    let after = after.unwrap_or(0).clamp(0, thread.post_count);
    let mut rows =
        repo::list_posts(&mut conn, thread_id, after, i64::from(POSTS_PER_PAGE) + 1, user.id).await?;
    let next_after = if rows.len() as i32 > POSTS_PER_PAGE {
        rows.truncate(POSTS_PER_PAGE as usize);
        rows.last().map(|p| p.seq)
    } else {
        None
    };
    let prev_after = (after > 0).then(|| (after - POSTS_PER_PAGE).max(0));
    // Reading marks the shown posts as seen (a benign write, like every forum's read state).
    let read_up_to = match rows.last() {
        Some(last) => {
            repo::advance_thread_read(&mut conn, user.id, thread_id, last.seq, last_read_seq).await?;
            last_read_seq
        }
        None => None,
    };
    let draft = draft.unwrap_or_default();
    let preview_html = preview.unwrap_or(false).then(|| crate::markdown::render(&draft.body));
    let mut composer = draft.body;
    let mut quoting = None;
    let mut quotation = None;
    if let Some(id) = quote {
        if let Some(q) =
            repo::find_post(&mut conn, id).await?.filter(|q| q.thread_id == thread_id && !q.deleted)
        {
            let part = part.as_deref().map(str::trim).filter(|p| !p.is_empty());
            let quoted = policy::quote_markdown(&part.map_or(q.body, policy::quote_part));
            policy::append_quote(&mut composer, &quoted);
            quoting = Some(id);
            quotation = Some(quoted);
        }
    }
    let editing = match edit {
        Some(id) => repo::find_post(&mut conn, id)
            .await?
            .filter(|p| {
                p.thread_id == thread_id && policy::can_edit_post(&user, p.author_id, p.deleted).is_ok()
            })
            .map(|p| (id, p.body)),
        None => None,
    };
    let history = match history {
        Some(id) if user.can(Permission::Moderate) => {
            let rows = repo::list_revisions(&mut conn, id).await?;
            Some((id, rows.into_iter().map(|(body, created_at)| Revision { body, created_at }).collect()))
        }
        _ => None,
    };
    let can_reply = !thread.locked
        && policy::can_post(
            &user,
            community.visibility,
            community.is_member,
            community.archived_at.is_some(),
        )
        .is_ok();
    Ok(ThreadPage {
        read_up_to,
        thread: ThreadDetail {
            id: thread.id,
            title: thread.title,
            tags: thread.tags,
            content_warning: thread.content_warning,
            pinned: thread.pinned,
            locked: thread.locked,
            post_count: thread.post_count,
            can_reply,
            watching,
            can_moderate: user.can(Permission::Moderate),
            can_reveal: user.can(Permission::RevealAnonymous),
            community: view_rows::community(community),
        },
        posts: rows.into_iter().map(|r| view_rows::post(r, user.id)).collect(),
        next_after,
        prev_after,
        composer,
        quoting,
        quotation,
        preview_html,
        editing,
        history,
    })
}

/// Replies to a thread, optionally quoting one of its posts. Signed-in, not suspended, allowed
/// to post in the community, thread not locked; throttled.
#[server]
pub async fn create_post(
    thread_id: i64,
    body: String,
    quoted_post_id: Option<i64>,
    content_warning: String,
    anonymous: Option<String>,
) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let warning = content_warning.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("body", &body)
        .keep("content_warning", &warning)
        .check("body", policy::check_body(&body))
        .check("content_warning", policy::check_warning(&warning));
    form.finish()?;
    let anonymous = checkbox(&anonymous);
    let html = crate::markdown::render(&body);

    let mut tx = begin().await?;
    let (thread, community) = readable_thread(&mut tx, &user, thread_id).await?;
    if thread.deleted {
        return Err(AppError::NotFound);
    }
    policy::can_post(&user, community.visibility, community.is_member, community.archived_at.is_some())
        .map_err(|m| form.fail("form", m))?;
    if thread.locked {
        return Err(form.fail("form", THREAD_LOCKED));
    }
    if anonymous && !community.allow_anonymous {
        return Err(form.fail("anonymous", "This community doesn't allow anonymous posts."));
    }
    let mut quoted = None;
    if let Some(quoted_id) = quoted_post_id {
        let q = repo::find_post(&mut tx, quoted_id).await?;
        match q {
            Some(q) if q.thread_id == thread_id && !q.deleted => quoted = Some((quoted_id, q.author_id)),
            Some(q) if q.thread_id == thread_id => {
                return Err(form.fail("form", "The post you're replying to was removed."));
            }
            _ => return Err(form.fail("form", "You can only quote posts from this thread.")),
        }
    }
    let post = PostToStore {
        thread_id,
        community_id: thread.community_id,
        new_thread: false,
        anonymous,
        body: &body,
        body_html: &html,
        content_warning: (!warning.is_empty()).then_some(warning.as_str()),
        quoted,
        title_for_search: None,
    };
    let Some((seq, mut announcements)) = store_post(&mut tx, &user, &post).await? else {
        // Locked or removed since it was read above.
        return Err(form.fail("form", THREAD_LOCKED));
    };
    announcements.push(LiveEvent::Post { thread_id, seq });
    tx.commit().await?;
    announcements.send_after_commit();
    leptos_axum::redirect(&thread_post_href(thread_id, seq));
    Ok(())
}

/// A new post, checked, for [`store_post`].
#[cfg(feature = "ssr")]
struct PostToStore<'a> {
    thread_id: i64,
    community_id: i64,
    /// The post starts its thread (created in this transaction).
    new_thread: bool,
    anonymous: bool,
    body: &'a str,
    body_html: &'a str,
    content_warning: Option<&'a str>,
    /// The post it quotes, and that post's author.
    quoted: Option<(i64, i64)>,
    title_for_search: Option<&'a str>,
}

/// Stores a checked post with everything that comes with it. Returns its number and the
/// events to announce after commit, or None when its thread was locked or removed meanwhile.
///
/// Posts to a thread are numbered in turn, under its row's lock until commit, so every other
/// write comes first while the row is unlocked: following the thread, the mentions, the draft,
/// the notifications (the post's id is taken ahead; their reference to it is checked at commit)
/// and the author's posting limits. Numbering, storing and counting the post is one statement,
/// and the caller commits right after.
#[cfg(feature = "ssr")]
async fn store_post(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    p: &PostToStore<'_>,
) -> Result<Option<(i32, live::Announcements)>, AppError> {
    let author = follow_and_find_mentioned(tx, user, p.thread_id, p.body).await?;
    let draft =
        if p.new_thread { (DraftPlace::Thread, p.community_id) } else { (DraftPlace::Reply, p.thread_id) };
    drafts::delete_draft(tx, user.id, draft.0, draft.1).await?;
    let post_id = repo::next_post_id(tx).await?;
    let quoted_author = p.quoted.map(|(_, author)| author);
    let announcements =
        notify_post(tx, &author, post_id, p.thread_id, p.community_id, quoted_author, p.new_thread).await?;
    throttle_posting(tx, user.id).await?;
    let alias = if p.anonymous {
        // Aliases are numbered in turn too: under the thread's lock, taken a statement early
        // (a new thread is seen by no one else before commit).
        if !p.new_thread {
            repo::lock_thread(tx, p.thread_id).await?.ok_or(AppError::NotFound)?;
        }
        Some(repo::alias_for(tx, p.thread_id, user.id).await?)
    } else {
        None
    };
    let new_post = repo::NewPost {
        id: post_id,
        thread_id: p.thread_id,
        author_id: user.id,
        anon_alias: alias,
        body: p.body,
        body_html: p.body_html,
        content_warning: p.content_warning,
        quoted_post_id: p.quoted.map(|(post, _)| post),
        title_for_search: p.title_for_search,
    };
    let seq = repo::insert_numbered_post(tx, &new_post, p.new_thread).await?;
    Ok(seq.map(|seq| (seq, announcements)))
}

/// Who wrote a post and whom it @mentions, for [`notify_post`].
#[cfg(feature = "ssr")]
struct PostAuthor {
    id: i64,
    mentioned: Vec<i64>,
}

/// Before a post is stored: its author follows the thread (starting or replying watches it),
/// and the people it @mentions are looked up.
#[cfg(feature = "ssr")]
async fn follow_and_find_mentioned(
    tx: &mut sqlx::PgConnection,
    author: &CurrentUser,
    thread_id: i64,
    body: &str,
) -> Result<PostAuthor, AppError> {
    repo::set_thread_watch(tx, author.id, thread_id, true).await?;
    let mentioned = repo::find_user_ids_by_handles(tx, &policy::parse_mentions(body)).await?;
    Ok(PostAuthor { id: author.id, mentioned })
}

/// Watchers, the @mentioned and the quoted author are notified of a post, in the same
/// transaction, just before the post itself is stored (`post_id` is taken ahead). Their bells
/// are nudged by the announcements returned, to be sent once the transaction has committed.
#[cfg(feature = "ssr")]
async fn notify_post(
    tx: &mut sqlx::PgConnection,
    author: &PostAuthor,
    post_id: i64,
    thread_id: i64,
    community_id: i64,
    quoted_author: Option<i64>,
    new_thread: bool,
) -> Result<live::Announcements, AppError> {
    let notified = crate::notifications::repo::insert_for_post(
        tx,
        &crate::notifications::repo::NewPostNotice {
            post_id,
            thread_id,
            community_id,
            author_id: author.id,
            mentioned: &author.mentioned,
            quoted_author,
            new_thread,
        },
    )
    .await?;
    let mut announcements = live::Announcements::new();
    announcements.push(LiveEvent::Notices { user_ids: notified });
    Ok(announcements)
}

/// Follows (or stops following) a thread: replies to it are notified. Its readers.
#[server]
pub async fn watch_thread(thread_id: i64, on: bool) -> Result<(), AppError> {
    let user = guard::require_user().await?;
    let mut tx = begin().await?;
    readable_thread(&mut tx, &user, thread_id).await?;
    repo::set_thread_watch(&mut tx, user.id, thread_id, on).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice(
        &format!("/forums/t/{thread_id}"),
        if on { "watching" } else { "not-watching" },
    );
    Ok(())
}

/// Follows (or stops following) a community: new threads in it are notified. Its readers.
#[server]
pub async fn watch_community(community_id: i64, on: bool) -> Result<(), AppError> {
    let user = guard::require_user().await?;
    let mut tx = begin().await?;
    let community = readable_community(&mut tx, &user, community_id).await?;
    repo::set_community_watch(&mut tx, user.id, community_id, on).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice(
        &format!("/forums/c/{}", community.slug),
        if on { "watching" } else { "not-watching" },
    );
    Ok(())
}

/// Where post `seq` of a thread is shown: its page and anchor.
pub fn thread_post_href(thread_id: i64, seq: i32) -> String {
    let page_start = ((seq - 1) / POSTS_PER_PAGE) * POSTS_PER_PAGE;
    if page_start == 0 {
        format!("/forums/t/{thread_id}#post-{seq}")
    } else {
        format!("/forums/t/{thread_id}?after={page_start}#post-{seq}")
    }
}

/// Edits one's own post; the previous text is kept in its history. Authors only.
#[server]
pub async fn edit_post(post_id: i64, body: String, content_warning: String) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let warning = content_warning.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("body", &body)
        .keep("content_warning", &warning)
        .check("body", policy::check_body(&body))
        .check("content_warning", policy::check_warning(&warning));
    form.finish()?;
    let mut tx = begin().await?;
    let post = repo::find_post(&mut tx, post_id).await?.ok_or(AppError::NotFound)?;
    let (thread, community) = readable_thread(&mut tx, &user, post.thread_id).await?;
    policy::can_edit_post(&user, post.author_id, post.deleted).map_err(AppError::Forbidden)?;
    policy::open_for_changes(thread.locked, community.archived_at.is_some())
        .map_err(|m| form.fail("form", m))?;
    let html = crate::markdown::render(&body);
    let title = (post.seq == 1).then_some(thread.title.as_str());
    let warning = (!warning.is_empty()).then_some(warning.as_str());
    repo::update_post_body(&mut tx, post_id, user.id, &body, &html, warning, title).await?;
    tx.commit().await?;
    leptos_axum::redirect(&thread_post_href(post.thread_id, post.seq));
    Ok(())
}

/// Removes one's own post (readers see "removed by its author"). Authors only; also in a locked
/// thread or an archived community: people can always take back what they shared.
#[server]
pub async fn delete_post(post_id: i64) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let mut tx = begin().await?;
    let post = repo::find_post(&mut tx, post_id).await?.ok_or(AppError::NotFound)?;
    readable_thread(&mut tx, &user, post.thread_id).await?;
    policy::can_edit_post(&user, post.author_id, post.deleted).map_err(AppError::Forbidden)?;
    repo::update_post_deleted(&mut tx, post_id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&thread_post_href(post.thread_id, post.seq));
    Ok(())
}

/// Gives (`give`) or takes back (`take_back`) one reaction, named by its kind: each of a
/// post's reaction buttons submits one of the two, so a post needs a single form. Idempotent.
/// Readers who may post there.
#[server]
pub async fn react_to_post(
    post_id: i64,
    give: Option<String>,
    take_back: Option<String>,
) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let (kind, on) = match (give, take_back) {
        (Some(kind), None) => (kind, true),
        (None, Some(kind)) => (kind, false),
        _ => return Err(AppError::field("form", "Choose one reaction to give or take back.")),
    };
    let kind = ReactionKind::parse(&kind).ok_or_else(|| AppError::field("form", "Unknown reaction."))?;
    let mut tx = begin().await?;
    let post = repo::find_post(&mut tx, post_id).await?.ok_or(AppError::NotFound)?;
    let (thread, community) = readable_thread(&mut tx, &user, post.thread_id).await?;
    policy::can_post(&user, community.visibility, community.is_member, community.archived_at.is_some())
        .map_err(AppError::Forbidden)?;
    policy::open_for_changes(thread.locked, false).map_err(|m| AppError::Conflict(m.into()))?;
    if post.deleted {
        return Err(AppError::Conflict("This post was removed.".into()));
    }
    repo::set_reaction(&mut tx, post_id, user.id, kind, on).await?;
    tx.commit().await?;
    leptos_axum::redirect(&thread_post_href(post.thread_id, post.seq));
    Ok(())
}

/// Pins/unpins or locks/unlocks a thread. Moderators.
#[server]
pub async fn set_thread_state(
    thread_id: i64,
    pinned: Option<bool>,
    locked: Option<bool>,
) -> Result<(), AppError> {
    let moderator = guard::require(Permission::Moderate).await?;
    let mut tx = begin().await?;
    if repo::update_thread_flags(&mut tx, thread_id, pinned, locked).await? == 0 {
        return Err(AppError::NotFound);
    }
    crate::accounts::repo::insert_audit_entry(
        &mut tx,
        Some(moderator.id),
        "thread_state_changed",
        None,
        serde_json::json!({ "thread_id": thread_id, "pinned": pinned, "locked": locked }),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/forums/t/{thread_id}"));
    Ok(())
}

/// Earlier versions of a post, oldest first. Moderators.
#[server]
pub async fn get_post_history(post_id: i64) -> Result<Vec<Revision>, AppError> {
    guard::require(Permission::Moderate).await?;
    let mut conn = db().await?;
    repo::find_post(&mut conn, post_id).await?.ok_or(AppError::NotFound)?;
    let rows = repo::list_revisions(&mut conn, post_id).await?;
    Ok(rows.into_iter().map(|(body, created_at)| Revision { body, created_at }).collect())
}

/// Renders Markdown the way a post will look. Any signed-in person.
#[server]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    guard::require_user().await?;
    policy::check_body(&body).map_err(|m| AppError::field("body", m))?;
    Ok(crate::markdown::render(&body))
}

/// Full-text search over everything the reader may see. Any signed-in person.
#[server]
pub async fn search_forums(
    q: String,
    community: Option<String>,
    author: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
) -> Result<SearchPage, AppError> {
    let user = guard::require_user().await?;
    let q = q.trim().chars().take(200).collect::<String>();
    if q.is_empty() {
        return Ok(SearchPage { hits: vec![], next: None, older_left_out: false });
    }
    app_state()?
        .searches
        .check(user.id, "That's a lot of searches in a short time; please slow down a little.")?;
    let mut conn = db().await?;
    let community_id = match community.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => {
            Some(repo::find_community_by_slug(&mut conn, slug, user.id).await?.map_or(-1, |c| c.id))
        }
        None => None,
    };
    let author_id = match author.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => Some(repo::find_user_id_by_name(&mut conn, name).await?.unwrap_or(-1)),
        None => None,
    };
    let date = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
    };
    let to = date(&to).map(|d| d + chrono::Duration::days(1));
    let cursor = after.as_deref().and_then(|a| {
        let (rank, id) = a.split_once('_')?;
        Some((rank.parse::<f32>().ok()?, id.parse::<i64>().ok()?))
    });
    const PAGE: i64 = 20;
    let from = date(&from);
    let see_all = is_staff(&user);
    let search_words = app_state()?.search_words;
    // Run to completion in a task of its own: the prepared routes set planner settings for one
    // transaction, which must never be left open on a pooled connection by a request dropped
    // halfway (see `crate::state::begin_on`).
    let search = tokio::spawn(async move {
        let route = search_words.route(&mut conn, &q).await;
        let filter = repo::SearchFilter {
            query: &q,
            reader_id: user.id,
            see_all,
            community_id,
            author_id,
            from,
            to,
            after: cursor,
            limit: PAGE,
            route,
        };
        repo::search_posts(&mut conn, &filter).await
    });
    let mut rows = search.await.map_err(|_| AppError::Internal)??;
    let older_left_out = rows.first().is_some_and(|r| r.ranked_count >= repo::SEARCH_WINDOW);
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| format!("{}_{}", r.rank, r.post_id))
    } else {
        None
    };
    Ok(SearchPage {
        hits: rows.into_iter().map(view_rows::search_hit).collect(),
        older_left_out: older_left_out && next.is_none(),
        next,
    })
}

/// Checks that `user` may keep a draft for `place`/`target_id`: a reply in a thread they may
/// post in, or a new thread in such a community. Places they can't see are "not found".
#[cfg(feature = "ssr")]
pub async fn check_draft_target(
    conn: &mut sqlx::PgConnection,
    user: &CurrentUser,
    place: DraftPlace,
    target_id: i64,
) -> Result<(), AppError> {
    let community = match place {
        DraftPlace::Thread => readable_community(conn, user, target_id).await?,
        DraftPlace::IdeaComment | DraftPlace::Idea => return Err(AppError::NotFound),
        DraftPlace::Reply => {
            let (thread, community) = readable_thread(conn, user, target_id).await?;
            if thread.deleted {
                return Err(AppError::NotFound);
            }
            community
        }
    };
    policy::can_post(user, community.visibility, community.is_member, community.archived_at.is_some())
        .map_err(|m| AppError::field("form", m))
}

/// Whether `user` may read thread `thread_id` (for its live updates).
#[cfg(feature = "ssr")]
pub async fn can_read_thread(
    conn: &mut sqlx::PgConnection,
    user: &CurrentUser,
    thread_id: i64,
) -> Result<bool, AppError> {
    match readable_thread(conn, user, thread_id).await {
        Ok((thread, _)) => Ok(!thread.deleted),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// People whose @handle starts with `prefix`, for the composer's autocomplete. Any signed-in
/// person (members already see each other's names on every post).
/// Answers carry the prefix they are for, so the composer can ignore late answers.
#[server]
pub async fn suggest_mentions(prefix: String) -> Result<MentionSuggestions, AppError> {
    let user = guard::require_user().await?;
    let prefix = prefix.trim().trim_start_matches('@').to_lowercase();
    if prefix.is_empty() || prefix.chars().count() > 60 {
        return Ok(MentionSuggestions { prefix, people: vec![] });
    }
    let mut conn = db().await?;
    let factor = app_state()?.web.rate_limit_multiplier;
    let slow = "Lots of lookups;";
    rate_limit::hit(&mut conn, &format!("mention:{}", user.id), Limit::new(120, 60).scaled(factor), slow)
        .await?;
    let names = crate::accounts::repo::list_names_by_handle_prefix(&mut conn, &prefix, 8).await?;
    let people = names
        .into_iter()
        .filter_map(|name| Some(MentionSuggestion { handle: policy::handle_for(&name)?, name }))
        .collect();
    Ok(MentionSuggestions { prefix, people })
}

/// An anonymous post's reveal page: the post's place and every earlier reveal of its author.
/// Admins only; once a name has been revealed, each viewing is audited as well.
#[server]
pub async fn get_reveal_page(post_id: i64) -> Result<RevealPage, AppError> {
    let admin = guard::require(Permission::RevealAnonymous).await?;
    let mut tx = begin().await?;
    let post = repo::find_post(&mut tx, post_id).await?.ok_or(AppError::NotFound)?;
    let alias = post.anon_alias.ok_or(AppError::NotFound)?;
    let thread = repo::find_thread(&mut tx, post.thread_id).await?.ok_or(AppError::NotFound)?;
    let rows = crate::accounts::repo::list_reveals(&mut tx, post_id).await?;
    // Seeing a revealed name is a use of the reveal too, so it is audited like one.
    if !rows.is_empty() {
        crate::accounts::repo::insert_audit_entry(
            &mut tx,
            Some(admin.id),
            "anonymous_author_reveal_viewed",
            Some(post.author_id),
            serde_json::json!({ "post_id": post_id }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(RevealPage {
        post_id,
        thread_id: post.thread_id,
        seq: post.seq,
        thread_title: thread.title,
        alias,
        reveals: rows
            .into_iter()
            .map(|r| Reveal {
                revealed_by: r.revealed_by,
                author: r.author_name,
                reason: r.reason,
                at: r.created_at,
            })
            .collect(),
    })
}

/// Reveals who wrote an anonymous post, for safety cases. Admins only; the reveal, with who
/// asked and why, is written to the audit log in the same transaction, and the name is shown
/// only on the reveal page.
#[server]
pub async fn reveal_anonymous_author(post_id: i64, reason: String) -> Result<(), AppError> {
    let admin = guard::require(Permission::RevealAnonymous).await?;
    let reason = reason.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("reason", &reason).check("reason", policy::check_reveal_reason(&reason));
    form.finish()?;
    let mut tx = begin().await?;
    let post = repo::find_post(&mut tx, post_id).await?.ok_or(AppError::NotFound)?;
    if post.anon_alias.is_none() {
        return Err(AppError::NotFound);
    }
    crate::accounts::repo::insert_audit_entry(
        &mut tx,
        Some(admin.id),
        "anonymous_author_revealed",
        Some(post.author_id),
        serde_json::json!({ "post_id": post_id, "thread_id": post.thread_id, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/forums/posts/{post_id}/reveal?notice=author-revealed"));
    Ok(())
}
