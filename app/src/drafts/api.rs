//! Server functions for drafts. A draft is private to its writer: there is no way to read
//! anyone else's, and one is kept only for a place its writer may post in.

use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{
        repo,
        types::{Draft, DraftPlace},
    },
    crate::auth::{guard, Permission},
    crate::state::begin,
};

/// Longest draft body and title kept (the same as a post's).
pub const BODY_MAX: usize = 20_000;
pub const TITLE_MAX: usize = 150;

/// Keeps the signed-in person's draft for `place` (`reply` in thread `target_id`, or `thread`
/// in community `target_id`); an empty draft is discarded. Anyone who may post there.
///
/// Called as they type (with JavaScript), or by a form's "Save draft" / "Preview" buttons
/// (without): then the page is shown again with a notice, and `preview` asks it to show the
/// draft rendered.
#[server]
pub async fn save_draft(
    place: String,
    target_id: i64,
    body: String,
    title: Option<String>,
    preview: Option<String>,
) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let place = DraftPlace::parse(&place).ok_or_else(|| AppError::field("form", "Unknown kind of draft."))?;
    let draft = Draft { title: title.unwrap_or_default().trim().to_owned(), body };
    if draft.body.chars().count() > BODY_MAX {
        return Err(AppError::field("body", format!("Drafts can be up to {BODY_MAX} characters.")));
    }
    if draft.title.chars().count() > TITLE_MAX {
        return Err(AppError::field("title", format!("Titles can be up to {TITLE_MAX} characters.")));
    }
    let mut tx = begin().await?;
    match place {
        DraftPlace::Reply | DraftPlace::Thread => {
            crate::forums::api::check_draft_target(&mut tx, &user, place, target_id).await?;
        }
        DraftPlace::IdeaComment => crate::ideas::api::check_comment_target(&mut tx, target_id).await?,
        // Proposals have fields of their own: `save_proposal_draft` keeps them.
        DraftPlace::Idea => return Err(AppError::field("form", "Unknown kind of draft.")),
    }
    if draft.body.trim().is_empty() && draft.title.is_empty() {
        repo::delete_draft(&mut tx, user.id, place, target_id).await?;
    } else if !just_posted(&mut tx, user.id, place, target_id, &draft.body).await? {
        repo::upsert_draft(&mut tx, user.id, place, target_id, &draft).await?;
    }
    tx.commit().await?;
    if crate::components::is_plain_form_post() {
        let notice = if preview.is_some() { "draft-preview" } else { "draft-saved" };
        crate::components::redirect_back_with_notice("/forums", notice);
    }
    Ok(())
}

/// Whether this text was just posted here by its writer: then a save is an autosave that was
/// still on its way when they posted (posting removes the draft; this must not bring it back).
#[cfg(feature = "ssr")]
async fn just_posted(
    conn: &mut sqlx::PgConnection,
    user_id: i64,
    place: DraftPlace,
    target_id: i64,
    body: &str,
) -> Result<bool, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Ok(false);
    }
    Ok(match place {
        DraftPlace::Reply => {
            crate::forums::repo::posted_recently(conn, user_id, target_id, false, body).await?
        }
        DraftPlace::Thread => {
            crate::forums::repo::posted_recently(conn, user_id, target_id, true, body).await?
        }
        DraftPlace::IdeaComment => {
            crate::ideas::repo::commented_recently(conn, user_id, target_id, body).await?
        }
        DraftPlace::Idea => false,
    })
}
