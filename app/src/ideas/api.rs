//! Server functions of the idea board. Each starts with one guard, checks the rules in
//! `policy`, and works in one transaction; votes and lifecycle moves lock the idea's row
//! first, so they happen one at a time per idea.

use leptos::prelude::*;

use super::types::{IdeaBoard, IdeaDetail, LessonsPage, ProposalDraft};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{policy, repo, types::*},
    crate::auth::{guard, Permission},
    crate::drafts::{repo as drafts, types::DraftPlace},
    crate::error::FormCheck,
    crate::live::{repo as live, LiveEvent},
    crate::rate_limit::{self, Limit},
    crate::state::{app_state, begin, db},
    chrono::{DateTime, NaiveDate, Utc},
};

pub const IDEAS_PER_PAGE: i64 = 25;
pub const COMMENTS_PER_PAGE: i64 = 100;

#[cfg(feature = "ssr")]
fn flag(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("on" | "true" | "1"))
}

/// A page of the board, ordered by `sort` (trending by default) and filtered by status, tag,
/// "my ideas", "ideas I voted for" and words (`q`). Any signed-in person.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn list_ideas(
    sort: Option<String>,
    status: Option<String>,
    tag: Option<String>,
    mine: Option<String>,
    voted: Option<String>,
    q: Option<String>,
    after: Option<String>,
) -> Result<IdeaBoard, AppError> {
    let user = guard::require_user().await?;
    let sort = sort.as_deref().and_then(IdeaSort::parse).unwrap_or(IdeaSort::Trending);
    let status = status.as_deref().and_then(IdeaStatus::parse);
    let tag = tag.map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
    let q = q.map(|q| q.trim().chars().take(200).collect::<String>()).filter(|q| !q.is_empty());
    let after = after.as_deref().and_then(|a| {
        let (key, id) = a.rsplit_once('_')?;
        Some((key.parse::<f64>().ok().filter(|k| k.is_finite())?, id.parse::<i64>().ok()?))
    });
    let mut conn = db().await?;
    let mut rows = repo::list_ideas(
        &mut conn,
        &repo::BoardFilter {
            reader_id: user.id,
            sort,
            status,
            tag: tag.as_deref(),
            author_id: flag(&mine).then_some(user.id),
            voter_id: flag(&voted).then_some(user.id),
            query: q.as_deref(),
            after,
            limit: IDEAS_PER_PAGE + 1,
        },
    )
    .await?;
    let next = if rows.len() as i64 > IDEAS_PER_PAGE {
        rows.truncate(IDEAS_PER_PAGE as usize);
        rows.last().map(|r| format!("{}_{}", r.sort_key, r.id))
    } else {
        None
    };
    let budget = repo::board_budget(&mut conn, &rows, user.id).await?;
    Ok(IdeaBoard {
        ideas: rows
            .into_iter()
            .map(|r| IdeaSummary {
                id: r.id,
                title: r.title,
                hypothesis: r.hypothesis,
                author: r.author,
                tags: r.tags,
                status: r.status,
                votes: r.vote_count,
                comments: r.comment_count,
                voted: r.voted,
                created_at: r.created_at,
            })
            .collect(),
        next,
        budget,
        can_moderate: user.can(Permission::Moderate),
        can_configure: user.can(Permission::ManageIdeaBoard),
    })
}

/// One idea with its story so far: results, run, lifecycle notes and comments (after comment
/// `after`, or the page that shows comment `comment`), and the reader's comment draft
/// (rendered too with `preview`, the no-JavaScript preview). A merged idea answers with where
/// it went. Any signed-in person.
#[server]
pub async fn get_idea(
    id: i64,
    after: Option<i64>,
    comment: Option<i64>,
    preview: Option<bool>,
) -> Result<IdeaDetail, AppError> {
    let user = guard::require_user().await?;
    let mut conn = db().await?;
    let row = repo::find_idea(&mut conn, id, user.id).await?.ok_or(AppError::NotFound)?;
    let history = repo::list_status_changes(&mut conn, id).await?;
    let after = match (after, comment) {
        (Some(after), _) => after.max(0),
        (None, Some(comment)) => repo::comment_page_after(&mut conn, id, comment, COMMENTS_PER_PAGE).await?,
        (None, None) => 0,
    };
    let mut comments = repo::list_comments(&mut conn, id, after, COMMENTS_PER_PAGE + 1).await?;
    let more_comments = comments.len() as i64 > COMMENTS_PER_PAGE;
    comments.truncate(COMMENTS_PER_PAGE as usize);
    let budget = VoteBudget { total: row.budget_total, used: row.budget_used };
    let draft = row.comment_draft;
    let can_moderate = user.can(Permission::Moderate);
    let results =
        match (row.results_happened_html, row.results_learned_html, row.recommendation, row.evaluated_at) {
            (Some(happened_html), Some(learned_html), Some(recommendation), Some(evaluated_at)) => {
                Some(IdeaResults {
                    happened_html,
                    data_html: row.results_data_html.unwrap_or_default(),
                    learned_html,
                    recommendation,
                    evaluated_at,
                })
            }
            _ => None,
        };
    Ok(IdeaDetail {
        id: row.id,
        title: row.title,
        author: row.author,
        is_author: row.author_id == user.id,
        problem_html: row.problem_html,
        experiment_html: row.experiment_html,
        hypothesis: row.hypothesis,
        measure_html: row.measure_html,
        tags: row.tags,
        status: row.status,
        merged_into: row.merged_into,
        run: match (row.owner, row.started_on) {
            (Some(owner), Some(started_on)) => {
                Some(RunInfo { owner, co_owners: row.co_owners, started_on, planned_end: row.planned_end })
            }
            _ => None,
        },
        results,
        votes: row.vote_count,
        comment_count: row.comment_count,
        voted: row.voted,
        following: row.following,
        budget,
        history: history
            .into_iter()
            .map(|h| StatusChange {
                from: h.from_status,
                to: h.to_status,
                note: h.note,
                by: h.by,
                at: h.created_at,
            })
            .collect(),
        more_comments_after: if more_comments { comments.last().map(|c| c.id) } else { None },
        earlier_comments: after > 0,
        comments: comments
            .into_iter()
            .map(|c| IdeaComment {
                id: c.id,
                author: c.author,
                body_html: c.body_html,
                created_at: c.created_at,
            })
            .collect(),
        next_statuses: if can_moderate { policy::next_statuses(row.status).to_vec() } else { vec![] },
        can_moderate,
        comment_preview_html: draft
            .as_deref()
            .filter(|_| preview.unwrap_or(false))
            .map(crate::markdown::render),
        comment_draft: draft.unwrap_or_default(),
        created_at: row.created_at,
    })
}

#[cfg(feature = "ssr")]
const PROPOSALS_PER_HOUR: Limit = Limit::new(5, 3600);
#[cfg(feature = "ssr")]
const VOTES_PER_MINUTE: Limit = Limit::new(20, 60);

/// Proposes an experiment. Signed-in people who are not suspended; five an hour.
#[server]
pub async fn propose_idea(
    title: String,
    problem: String,
    experiment: String,
    hypothesis: String,
    measure: String,
    tags: String,
) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let title = title.trim().to_owned();
    let hypothesis = hypothesis.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("title", &title)
        .keep("problem", &problem)
        .keep("experiment", &experiment)
        .keep("hypothesis", &hypothesis)
        .keep("measure", &measure)
        .keep("tags", &tags)
        .check("title", policy::check_title(&title))
        .check("problem", policy::check_text(&problem, policy::LONG_MAX, "the problem"))
        .check("experiment", policy::check_text(&experiment, policy::LONG_MAX, "the experiment"))
        .check("hypothesis", policy::check_hypothesis(&hypothesis))
        .check("measure", policy::check_text(&measure, policy::MEASURE_MAX, "how success will be measured"));
    let tags = crate::forums::policy::parse_tags(&tags).unwrap_or_else(|e| {
        form.error("tags", e);
        vec![]
    });
    form.finish()?;
    let mut tx = begin().await?;
    let factor = app_state()?.web.rate_limit_multiplier;
    rate_limit::hit(
        &mut tx,
        &format!("idea:h:{}", user.id),
        PROPOSALS_PER_HOUR.scaled(factor),
        "That's a lot of ideas in one hour; give them room to breathe.",
    )
    .await?;
    let render = crate::markdown::render;
    let (problem_html, experiment_html, measure_html) =
        (render(&problem), render(&experiment), render(&measure));
    let id = repo::insert_idea(
        &mut tx,
        &repo::NewIdea {
            author_id: user.id,
            title: &title,
            problem: &problem,
            problem_html: &problem_html,
            experiment: &experiment,
            experiment_html: &experiment_html,
            hypothesis: &hypothesis,
            measure: &measure,
            measure_html: &measure_html,
            tags: &tags,
        },
    )
    .await?;
    repo::set_follow(&mut tx, id, user.id, true).await?;
    drafts::delete_draft(&mut tx, user.id, DraftPlace::Idea, 0).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/ideas/{id}?notice=idea-proposed"));
    Ok(())
}

/// Votes for an idea (`on`) or takes the vote back. One vote per person per idea, within the
/// voter's budget, on open ideas only. Signed-in people who are not suspended.
#[server]
pub async fn vote_idea(idea_id: i64, on: bool) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let mut tx = begin().await?;
    let status = repo::lock_idea_status(&mut tx, idea_id).await?.ok_or(AppError::NotFound)?;
    if status.is_closed() {
        return Err(AppError::Conflict(format!(
            "This idea is {}, so it no longer takes votes; its votes went back to everyone's budget.",
            status.label().to_lowercase()
        )));
    }
    if on {
        match repo::insert_vote(&mut tx, idea_id, user.id).await {
            Ok(_) => repo::set_follow(&mut tx, idea_id, user.id, true).await?,
            Err(sqlx::Error::Database(e)) if e.constraint() == Some("idea_vote_budget") => {
                // The transaction is void after the refusal: end it (freeing its connection
                // and the idea's lock), then read the budget on its own.
                tx.rollback().await?;
                let mut conn = db().await?;
                let budget = repo::find_budget(&mut conn, user.id).await?;
                return Err(AppError::Conflict(format!(
                    "You've used all {} of your votes. Take one back from another idea, or wait for one to close.",
                    budget.total
                )));
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        repo::delete_vote(&mut tx, idea_id, user.id).await?;
    }
    // Every cast vote adds to trending; the limit keeps vote-toggling from gaming it. Counted
    // last: see `rate_limit::hit_all`.
    let factor = app_state()?.web.rate_limit_multiplier;
    let slow = "That's a lot of voting in a short time; please slow down a little.";
    rate_limit::hit(&mut tx, &format!("vote:m:{}", user.id), VOTES_PER_MINUTE.scaled(factor), slow).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice(
        &format!("/ideas/{idea_id}"),
        if on { "voted" } else { "vote-withdrawn" },
    );
    Ok(())
}

/// Comments on an idea (not on a merged one). Signed-in people who are not suspended;
/// throttled like forum posts. Followers and the @mentioned are notified.
#[server]
pub async fn comment_idea(idea_id: i64, body: String) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let mut form = FormCheck::new();
    form.keep("body", &body).check("body", crate::forums::policy::check_body(&body));
    form.finish()?;
    let mut tx = begin().await?;
    let status = repo::lock_idea_status(&mut tx, idea_id).await?.ok_or(AppError::NotFound)?;
    if status == IdeaStatus::Merged {
        return Err(form.fail("form", "This idea was merged into another; please comment there."));
    }
    let html = crate::markdown::render(&body);
    let comment_id = repo::insert_comment(&mut tx, idea_id, user.id, &body, &html).await?;
    repo::set_follow(&mut tx, idea_id, user.id, true).await?;
    let mentioned =
        crate::forums::repo::find_user_ids_by_handles(&mut tx, &crate::forums::policy::parse_mentions(&body))
            .await?;
    let notified = crate::notifications::repo::insert_for_idea_comment(
        &mut tx, idea_id, comment_id, user.id, &mentioned,
    )
    .await?;
    let mut announcements = live::Announcements::new();
    announcements.push(LiveEvent::Notices { user_ids: notified });
    drafts::delete_draft(&mut tx, user.id, DraftPlace::IdeaComment, idea_id).await?;
    // Counted last: see `rate_limit::hit_all`.
    let factor = app_state()?.web.rate_limit_multiplier;
    let slow = crate::forums::api::POSTING_TOO_FAST;
    rate_limit::hit(&mut tx, &format!("post:m:{}", user.id), Limit::new(5, 60).scaled(factor), slow).await?;
    tx.commit().await?;
    announcements.send_after_commit();
    leptos_axum::redirect(&format!("/ideas/{idea_id}?comment={comment_id}#comment-{comment_id}"));
    Ok(())
}

/// Follows (or stops following) an idea's lifecycle and comments. Any signed-in person.
#[server]
pub async fn follow_idea(idea_id: i64, on: bool) -> Result<(), AppError> {
    let user = guard::require_user().await?;
    let mut tx = begin().await?;
    repo::lock_idea_status(&mut tx, idea_id).await?.ok_or(AppError::NotFound)?;
    repo::set_follow(&mut tx, idea_id, user.id, on).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice(
        &format!("/ideas/{idea_id}"),
        if on { "watching" } else { "not-watching" },
    );
    Ok(())
}

#[cfg(feature = "ssr")]
fn parse_date(form: &mut FormCheck, field: &str, value: &Option<String>) -> Option<NaiveDate> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) if (2000..=2200).contains(&chrono::Datelike::year(&d)) => Some(d),
        _ => {
            form.error(field, "Use a date like 2027-03-01.");
            None
        }
    }
}

/// Moves an idea along its lifecycle with a public note: to review, approved, running (with an
/// owner, a start and a planned end), declined, or merged into another idea (its votes move
/// there without counting anyone twice). Evaluating goes through `record_results`.
/// Moderators and admins.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn move_idea(
    idea_id: i64,
    to: String,
    note: String,
    owner_email: Option<String>,
    co_owner_emails: Option<String>,
    started_on: Option<String>,
    planned_end: Option<String>,
    merge_into: Option<String>,
) -> Result<(), AppError> {
    let moderator = guard::require(Permission::Moderate).await?;
    let note = note.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("note", &note).check("note", policy::check_note(&note));
    for (k, v) in [
        ("owner_email", &owner_email),
        ("co_owner_emails", &co_owner_emails),
        ("started_on", &started_on),
        ("planned_end", &planned_end),
        ("merge_into", &merge_into),
    ] {
        if let Some(v) = v {
            form.keep(k, v);
        }
    }
    let to = match IdeaStatus::parse(&to) {
        Some(IdeaStatus::Evaluated) => {
            form.error("to", "Evaluating an experiment needs its results: use the results form.");
            IdeaStatus::Evaluated
        }
        Some(s) => s,
        None => {
            form.error("to", "Choose where the idea goes next.");
            IdeaStatus::Proposed
        }
    };
    let started = parse_date(&mut form, "started_on", &started_on);
    let planned = parse_date(&mut form, "planned_end", &planned_end);
    let merge_into =
        match merge_into.as_deref().map(|m| m.trim().trim_start_matches('#')).filter(|m| !m.is_empty()) {
            Some(m) => match m.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    form.error("merge_into", "Give the number of the idea to merge into.");
                    None
                }
            },
            None => None,
        };
    form.finish()?;

    let mut tx = begin().await?;
    // Both ideas of a merge are locked in id order, so opposite merges can't deadlock.
    if let Some(target) = merge_into.filter(|t| to == IdeaStatus::Merged && *t < idea_id) {
        repo::lock_idea_status(&mut tx, target).await?;
    }
    let from = repo::lock_idea_status(&mut tx, idea_id).await?.ok_or(AppError::NotFound)?;
    policy::can_move(from, to).map_err(|m| form.fail("to", m))?;
    let mut update = repo::StatusUpdate {
        status: to,
        merged_into: None,
        owner_id: None,
        started_on: None,
        planned_end: None,
    };
    match to {
        IdeaStatus::Merged => {
            let Some(target) = merge_into else {
                return Err(form.fail("merge_into", "Give the number of the idea to merge into."));
            };
            let target_status = repo::lock_idea_status(&mut tx, target).await?;
            policy::check_merge(idea_id, target_status.map(|s| (target, s)))
                .map_err(|m| form.fail("merge_into", m))?;
            repo::merge_votes(&mut tx, idea_id, target).await?;
            repo::copy_followers(&mut tx, idea_id, target).await?;
            update.merged_into = Some(target);
        }
        IdeaStatus::Declined => repo::close_votes(&mut tx, idea_id).await?,
        IdeaStatus::Running => {
            let email = owner_email.as_deref().map(str::trim).unwrap_or_default();
            let Some(owner) = crate::accounts::repo::find_user_id_by_email(&mut tx, email).await? else {
                return Err(
                    form.fail("owner_email", "Name who runs it: the email of someone with an account.")
                );
            };
            let Some(started) = started else {
                return Err(form.fail("started_on", "When does it start?"));
            };
            if planned.is_some_and(|end| end < started) {
                return Err(form.fail("planned_end", "The planned end can't be before the start."));
            }
            let emails = policy::parse_co_owner_emails(co_owner_emails.as_deref().unwrap_or_default(), email)
                .map_err(|m| form.fail("co_owner_emails", m))?;
            let found = crate::accounts::repo::find_user_ids_by_emails(&mut tx, &emails).await?;
            let mut co_owners = Vec::with_capacity(emails.len());
            for e in &emails {
                match found.iter().find(|(email, _)| email == e).map(|(_, id)| *id) {
                    Some(id) if id != owner && !co_owners.contains(&id) => co_owners.push(id),
                    Some(_) => {}
                    None => {
                        return Err(form
                            .fail("co_owner_emails", format!("No one has an account with the email {e}.")))
                    }
                }
            }
            repo::set_co_owners(&mut tx, idea_id, &co_owners).await?;
            update.owner_id = Some(owner);
            update.started_on = Some(started);
            update.planned_end = planned;
        }
        _ => {}
    }
    repo::update_status(&mut tx, idea_id, &update).await?;
    let announcements = announce_change(&mut tx, idea_id, moderator.id, from, to, &note).await?;
    tx.commit().await?;
    announcements.send_after_commit();
    leptos_axum::redirect(&format!("/ideas/{idea_id}?notice=idea-moved"));
    Ok(())
}

/// Records a running experiment's results (what happened, the data, what we learned, and a
/// recommendation) and marks it evaluated: its votes return to the voters' budgets, and it
/// joins the Lessons learned. Moderators and admins.
#[server]
pub async fn record_results(
    idea_id: i64,
    happened: String,
    data: String,
    learned: String,
    recommendation: String,
    note: String,
) -> Result<(), AppError> {
    let moderator = guard::require(Permission::Moderate).await?;
    let note = note.trim().to_owned();
    let mut form = FormCheck::new();
    form.keep("happened", &happened)
        .keep("data", &data)
        .keep("learned", &learned)
        .keep("note", &note)
        .check("happened", policy::check_text(&happened, policy::RESULTS_MAX, "what happened"))
        .check("learned", policy::check_text(&learned, policy::RESULTS_MAX, "what we learned"))
        .check("note", policy::check_note(&note));
    if data.chars().count() > policy::RESULTS_MAX {
        form.error("data", format!("Please keep the data under {} characters.", policy::RESULTS_MAX));
    }
    let recommendation = Recommendation::parse(&recommendation).unwrap_or_else(|| {
        form.error("recommendation", "Choose adopt, adapt or drop.");
        Recommendation::Adapt
    });
    form.finish()?;
    let mut tx = begin().await?;
    let from = repo::lock_idea_status(&mut tx, idea_id).await?.ok_or(AppError::NotFound)?;
    policy::can_move(from, IdeaStatus::Evaluated).map_err(|m| form.fail("form", m))?;
    let render = crate::markdown::render;
    let (happened_html, data_html, learned_html) = (render(&happened), render(&data), render(&learned));
    repo::update_results(
        &mut tx,
        idea_id,
        &repo::Results {
            happened: &happened,
            happened_html: &happened_html,
            data: &data,
            data_html: &data_html,
            learned: &learned,
            learned_html: &learned_html,
            recommendation,
        },
    )
    .await?;
    repo::close_votes(&mut tx, idea_id).await?;
    let announcements =
        announce_change(&mut tx, idea_id, moderator.id, from, IdeaStatus::Evaluated, &note).await?;
    tx.commit().await?;
    announcements.send_after_commit();
    leptos_axum::redirect(&format!("/ideas/{idea_id}?notice=idea-moved"));
    Ok(())
}

/// Writes the change with its note and notifies the idea's followers (in the caller's
/// transaction); their bells are nudged by the announcements returned, sent after commit.
#[cfg(feature = "ssr")]
async fn announce_change(
    tx: &mut sqlx::PgConnection,
    idea_id: i64,
    actor_id: i64,
    from: IdeaStatus,
    to: IdeaStatus,
    note: &str,
) -> Result<live::Announcements, AppError> {
    let change_id = repo::insert_status_change(tx, idea_id, actor_id, from, to, note).await?;
    let notified =
        crate::notifications::repo::insert_for_idea_change(tx, idea_id, change_id, actor_id).await?;
    let mut announcements = live::Announcements::new();
    announcements.push(LiveEvent::Notices { user_ids: notified });
    Ok(announcements)
}

/// Evaluated experiments with what they taught, newest first (keyset). Any signed-in person.
#[server]
pub async fn list_lessons(after: Option<String>) -> Result<LessonsPage, AppError> {
    guard::require_user().await?;
    const PAGE: i64 = 20;
    let after = after.as_deref().and_then(|a| {
        let (micros, id) = a.split_once('_')?;
        let at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?;
        // Only times Postgres can hold (a made-up cursor must not become a database error).
        (1970..=9999).contains(&chrono::Datelike::year(&at)).then_some(())?;
        Some((at, id.parse::<i64>().ok()?))
    });
    let mut conn = db().await?;
    let mut rows = repo::list_lessons(&mut conn, after, PAGE + 1).await?;
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| format!("{}_{}", r.evaluated_at.timestamp_micros(), r.id))
    } else {
        None
    };
    Ok(LessonsPage {
        lessons: rows
            .into_iter()
            .map(|r| Lesson {
                id: r.id,
                title: r.title,
                hypothesis: r.hypothesis,
                learned_html: r.learned_html,
                recommendation: r.recommendation,
                evaluated_at: r.evaluated_at,
            })
            .collect(),
        next,
    })
}

/// Sets how many open votes each person has. Admins.
#[server]
pub async fn set_vote_budget(budget: String) -> Result<(), AppError> {
    guard::require(Permission::ManageIdeaBoard).await?;
    let mut form = FormCheck::new();
    form.keep("budget", &budget);
    let Some(n) = budget.trim().parse::<i32>().ok().filter(|n| (1..=100).contains(n)) else {
        return Err(form.fail("budget", "Choose a number of votes from 1 to 100."));
    };
    let mut tx = begin().await?;
    repo::update_vote_budget(&mut tx, n).await?;
    tx.commit().await?;
    crate::components::redirect_back_with_notice("/ideas", "budget-saved");
    Ok(())
}

/// Whether comments (and so comment drafts) may be written on idea `idea_id`: it exists and
/// was not merged away.
#[cfg(feature = "ssr")]
pub async fn check_comment_target(conn: &mut sqlx::PgConnection, idea_id: i64) -> Result<(), AppError> {
    match repo::find_status(conn, idea_id).await? {
        None => Err(AppError::NotFound),
        Some(IdeaStatus::Merged) => Err(AppError::field("form", "This idea was merged into another.")),
        Some(_) => Ok(()),
    }
}

/// The proposal fields a draft keeps, in form order.
#[cfg(feature = "ssr")]
const PROPOSAL_FIELDS: [(&str, usize); 6] = [
    ("title", policy::TITLE_MAX),
    ("problem", policy::LONG_MAX),
    ("experiment", policy::LONG_MAX),
    ("hypothesis", policy::HYPOTHESIS_MAX),
    ("measure", policy::MEASURE_MAX),
    ("tags", 200),
];

/// Keeps the signed-in person's unsent proposal (an empty one is discarded). Saved as they type
/// (with JavaScript) or by the form's "Save draft" / "Preview" buttons (without: the page is
/// shown again, with `preview` rendering the long fields). People who may propose.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_proposal_draft(
    title: String,
    problem: String,
    experiment: String,
    hypothesis: String,
    measure: String,
    tags: String,
    preview: Option<String>,
) -> Result<(), AppError> {
    let user = guard::require(Permission::Contribute).await?;
    let (title_start, problem_start) = (title.trim().to_owned(), problem.trim().to_owned());
    let values = [title, problem, experiment, hypothesis, measure, tags];
    let mut fields = serde_json::Map::new();
    for ((name, max), value) in PROPOSAL_FIELDS.into_iter().zip(values) {
        if value.chars().count() > max {
            return Err(AppError::field(name, format!("Drafts keep up to {max} characters here.")));
        }
        if !value.trim().is_empty() {
            fields.insert(name.to_owned(), serde_json::Value::String(value));
        }
    }
    let mut tx = begin().await?;
    if fields.is_empty() {
        drafts::delete_draft(&mut tx, user.id, DraftPlace::Idea, 0).await?;
    } else if repo::proposed_recently(&mut tx, user.id, &title_start, &problem_start).await? {
        // An autosave that was on its way when the idea was proposed: proposing removed the
        // draft, and this must not bring it back.
    } else {
        drafts::upsert_draft_fields(
            &mut tx,
            user.id,
            DraftPlace::Idea,
            0,
            &serde_json::Value::Object(fields),
        )
        .await?;
    }
    tx.commit().await?;
    if crate::components::is_plain_form_post() {
        let notice = if preview.is_some() { "draft-preview" } else { "draft-saved" };
        crate::components::redirect_back_with_notice("/ideas/new", notice);
    }
    Ok(())
}

/// The signed-in person's unsent proposal, with the long fields rendered when `preview` asks.
#[server]
pub async fn get_proposal_draft(preview: Option<bool>) -> Result<ProposalDraft, AppError> {
    let user = guard::require_user().await?;
    let mut conn = db().await?;
    let fields =
        drafts::find_draft_fields(&mut conn, user.id, DraftPlace::Idea, 0).await?.unwrap_or_default();
    let get = |name: &str| fields.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let mut draft = ProposalDraft {
        title: get("title"),
        problem: get("problem"),
        experiment: get("experiment"),
        hypothesis: get("hypothesis"),
        measure: get("measure"),
        tags: get("tags"),
        preview: None,
    };
    if preview.unwrap_or(false) {
        let render = crate::markdown::render;
        draft.preview = Some(ProposalPreview {
            problem_html: render(&draft.problem),
            experiment_html: render(&draft.experiment),
            measure_html: render(&draft.measure),
        });
    }
    Ok(draft)
}
