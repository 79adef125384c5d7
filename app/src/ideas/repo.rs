//! All SQL of the idea board. Vote counts, open-vote budgets and trending scores are kept by
//! the `idea_votes` trigger (see the migration), so no page ever counts votes.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use super::types::{IdeaSort, IdeaStatus, Recommendation, VoteBudget};

pub struct NewIdea<'a> {
    pub author_id: i64,
    pub title: &'a str,
    pub problem: &'a str,
    pub problem_html: &'a str,
    pub experiment: &'a str,
    pub experiment_html: &'a str,
    pub hypothesis: &'a str,
    pub measure: &'a str,
    pub measure_html: &'a str,
    pub tags: &'a [String],
}

pub async fn insert_idea(conn: &mut PgConnection, i: &NewIdea<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO ideas (author_id, title, problem, problem_html, experiment, experiment_html,
                           hypothesis, measure, measure_html, tags, search)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                setweight(to_tsvector('english', $2), 'A')
                || setweight(to_tsvector('english', $7), 'B')
                || setweight(to_tsvector('english', $3 || ' ' || $5 || ' ' || $8), 'C'))
        RETURNING id
        "#,
        i.author_id,
        i.title,
        i.problem,
        i.problem_html,
        i.experiment,
        i.experiment_html,
        i.hypothesis,
        i.measure,
        i.measure_html,
        i.tags
    )
    .fetch_one(conn)
    .await
}

pub struct IdeaRow {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    pub author: String,
    pub problem_html: String,
    pub experiment_html: String,
    pub hypothesis: String,
    pub measure_html: String,
    pub tags: Vec<String>,
    pub status: IdeaStatus,
    pub merged_into: Option<i64>,
    pub owner: Option<String>,
    /// Who runs it with the owner, in order.
    pub co_owners: Vec<String>,
    pub started_on: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub results_happened_html: Option<String>,
    pub results_data_html: Option<String>,
    pub results_learned_html: Option<String>,
    pub recommendation: Option<Recommendation>,
    pub evaluated_at: Option<DateTime<Utc>>,
    pub vote_count: i32,
    pub comment_count: i32,
    pub created_at: DateTime<Utc>,
    pub voted: bool,
    pub following: bool,
    /// The reader's vote budget and open votes, and their unsent comment here: read with the
    /// idea so its page costs one round trip fewer each.
    pub budget_total: i32,
    pub budget_used: i32,
    pub comment_draft: Option<String>,
}

/// An idea as its page shows it to the reader (see `IdeaRow`).
pub async fn find_idea(
    conn: &mut PgConnection,
    id: i64,
    reader_id: i64,
) -> Result<Option<IdeaRow>, sqlx::Error> {
    sqlx::query_as!(
        IdeaRow,
        r#"
        SELECT i.id, i.author_id, i.title, u.display_name AS author, i.problem_html, i.experiment_html,
               i.hypothesis, i.measure_html, i.tags, i.status AS "status: IdeaStatus", i.merged_into,
               o.display_name AS "owner?",
               ARRAY(SELECT cu.display_name FROM idea_co_owners c JOIN users cu ON cu.id = c.user_id
                     WHERE c.idea_id = i.id ORDER BY c.position) AS "co_owners!",
               i.started_on, i.planned_end,
               i.results_happened_html, i.results_data_html, i.results_learned_html,
               i.recommendation AS "recommendation: Recommendation", i.evaluated_at,
               i.vote_count, i.comment_count, i.created_at,
               EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = i.id AND v.user_id = $2) AS "voted!",
               EXISTS (SELECT 1 FROM idea_followers f WHERE f.idea_id = i.id AND f.user_id = $2) AS "following!",
               (SELECT s.vote_budget FROM idea_settings s) AS "budget_total!",
               coalesce((SELECT b.open_votes FROM idea_vote_budgets b WHERE b.user_id = $2), 0) AS "budget_used!",
               (SELECT d.body FROM drafts d WHERE d.user_id = $2 AND d.place = $3 AND d.target_id = i.id)
                   AS "comment_draft?"
        FROM ideas i
        JOIN users u ON u.id = i.author_id
        LEFT JOIN users o ON o.id = i.owner_id
        WHERE i.id = $1
        "#,
        id,
        reader_id,
        crate::drafts::types::DraftPlace::IdeaComment as crate::drafts::types::DraftPlace
    )
    .fetch_optional(conn)
    .await
}

/// Sets who runs an experiment with its owner (replacing any earlier co-owners), in order.
pub async fn set_co_owners(
    conn: &mut PgConnection,
    idea_id: i64,
    user_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM idea_co_owners WHERE idea_id = $1", idea_id).execute(&mut *conn).await?;
    sqlx::query!(
        "INSERT INTO idea_co_owners (idea_id, user_id, position)
         SELECT $1, u, n FROM unnest($2::bigint[]) WITH ORDINALITY AS x(u, n)",
        idea_id,
        user_ids
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An idea's status, locked for the rest of the transaction (every lifecycle change and
/// every vote starts here, so they happen one at a time per idea).
pub async fn lock_idea_status(conn: &mut PgConnection, id: i64) -> Result<Option<IdeaStatus>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT status AS "status: IdeaStatus" FROM ideas WHERE id = $1 FOR UPDATE"#, id)
        .fetch_optional(conn)
        .await
}

pub async fn find_status(conn: &mut PgConnection, id: i64) -> Result<Option<IdeaStatus>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT status AS "status: IdeaStatus" FROM ideas WHERE id = $1"#, id)
        .fetch_optional(conn)
        .await
}

/// What the board filters on; `None` means "any".
pub struct BoardFilter<'a> {
    pub reader_id: i64,
    pub sort: IdeaSort,
    pub status: Option<IdeaStatus>,
    pub tag: Option<&'a str>,
    pub author_id: Option<i64>,
    pub voter_id: Option<i64>,
    pub query: Option<&'a str>,
    /// Continue after (sort key, id) of the previous page's last idea.
    pub after: Option<(f64, i64)>,
    pub limit: i64,
}

#[derive(sqlx::FromRow)]
pub struct IdeaListRow {
    pub id: i64,
    pub title: String,
    pub hypothesis: String,
    pub author: String,
    pub tags: Vec<String>,
    pub status: IdeaStatus,
    pub vote_count: i32,
    pub comment_count: i32,
    pub created_at: DateTime<Utc>,
    pub voted: bool,
    pub sort_key: f64,
    /// The reader's vote budget and open votes, the same on every row: the board shows them,
    /// and reading them here saves a round trip (see `board_budget`).
    pub budget_total: i32,
    pub budget_used: i32,
}

/// The reader's budget from a board page's rows, or from its own query when the page is empty.
pub async fn board_budget(
    conn: &mut PgConnection,
    rows: &[IdeaListRow],
    reader_id: i64,
) -> Result<VoteBudget, sqlx::Error> {
    match rows.first() {
        Some(r) => Ok(VoteBudget { total: r.budget_total, used: r.budget_used }),
        None => find_budget(conn, reader_id).await,
    }
}

/// A page of the board. The order's key column comes from a fixed list (never from input),
/// so each order is a keyset scan of its own partial index.
///
/// Only the filters in use are written into the statement, and the page size is written as a
/// number: each combination is then its own prepared statement with one plan that fits it.
/// (Written as `($n IS NULL OR …)` with a `LIMIT $n`, Postgres found no plan good for every
/// value and planned the statement again on every view, which cost more than running it.)
/// A statement that searches text is planned for its words each time, like forum search.
pub async fn list_ideas(
    conn: &mut PgConnection,
    f: &BoardFilter<'_>,
) -> Result<Vec<IdeaListRow>, sqlx::Error> {
    // (key column, how the cursor's key is cast so the comparison can use the index)
    let (key, cursor_cast) = match f.sort {
        IdeaSort::Trending => ("i.trending", ""),
        IdeaSort::Top => ("i.vote_count", "::integer"),
        IdeaSort::MostDiscussed => ("i.comment_count", "::integer"),
        IdeaSort::New => ("i.id", "::bigint"),
    };
    let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(
        "SELECT i.id, i.title, i.hypothesis, u.display_name AS author, i.tags, i.status, i.vote_count, \
         i.comment_count, i.created_at, ",
    );
    q.push(key)
        .push("::float8 AS sort_key, EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = i.id AND v.user_id = ")
        .push_bind(f.reader_id)
        .push(
            ") AS voted, (SELECT s.vote_budget FROM idea_settings s) AS budget_total, \
             coalesce((SELECT b.open_votes FROM idea_vote_budgets b WHERE b.user_id = ",
        )
        .push_bind(f.reader_id)
        .push("), 0) AS budget_used FROM ideas i JOIN users u ON u.id = i.author_id WHERE i.status <> 'merged'");
    if let Some(status) = f.status {
        q.push(" AND i.status = ").push_bind(status);
    }
    if let Some(tag) = f.tag {
        q.push(" AND i.tags @> ARRAY[").push_bind(tag).push("::text]");
    }
    if let Some(author) = f.author_id {
        q.push(" AND i.author_id = ").push_bind(author);
    }
    if let Some(voter) = f.voter_id {
        q.push(" AND EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = i.id AND v.user_id = ")
            .push_bind(voter)
            .push(")");
    }
    if let Some(text) = f.query {
        q.push(" AND i.search @@ websearch_to_tsquery('english', ").push_bind(text).push(")");
    }
    if let Some((after_key, after_id)) = f.after {
        q.push(format_args!(" AND ({key}, i.id) < ("))
            .push_bind(after_key)
            .push(cursor_cast)
            .push(", ")
            .push_bind(after_id)
            .push(")");
    }
    q.push(format_args!(" ORDER BY {key} DESC, i.id DESC LIMIT {}", f.limit));
    q.build_query_as::<IdeaListRow>().persistent(f.query.is_none()).fetch_all(conn).await
}

pub async fn find_budget(conn: &mut PgConnection, user_id: i64) -> Result<VoteBudget, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        SELECT s.vote_budget, coalesce(b.open_votes, 0) AS "used!"
        FROM idea_settings s LEFT JOIN idea_vote_budgets b ON b.user_id = $1
        "#,
        user_id
    )
    .fetch_one(conn)
    .await?;
    Ok(VoteBudget { used: row.used, total: row.vote_budget })
}

pub async fn update_vote_budget(conn: &mut PgConnection, budget: i32) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE idea_settings SET vote_budget = $1", budget).execute(conn).await?;
    Ok(())
}

/// Casts a vote; `false` when the person had already voted. Over budget, the trigger refuses
/// with the `idea_vote_budget` constraint.
pub async fn insert_vote(conn: &mut PgConnection, idea_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO idea_votes (idea_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        idea_id,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_vote(conn: &mut PgConnection, idea_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM idea_votes WHERE idea_id = $1 AND user_id = $2", idea_id, user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes an idea's votes: they stay counted on it, and go back to their voters' budgets.
pub async fn close_votes(conn: &mut PgConnection, idea_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE idea_votes SET open = false WHERE idea_id = $1 AND open", idea_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves `from`'s votes to `into`. Someone who voted for both keeps one vote (on `into`), and
/// their vote on `from` returns to their budget.
pub async fn merge_votes(conn: &mut PgConnection, from: i64, into: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        UPDATE idea_votes v SET idea_id = $2
        WHERE v.idea_id = $1
          AND NOT EXISTS (SELECT 1 FROM idea_votes w WHERE w.idea_id = $2 AND w.user_id = v.user_id)
        "#,
        from,
        into
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM idea_votes WHERE idea_id = $1", from).execute(conn).await?;
    Ok(())
}

pub struct StatusUpdate {
    pub status: IdeaStatus,
    pub merged_into: Option<i64>,
    pub owner_id: Option<i64>,
    pub started_on: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
}

pub async fn update_status(conn: &mut PgConnection, id: i64, u: &StatusUpdate) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        UPDATE ideas SET status = $2, merged_into = $3,
               owner_id = coalesce($4, owner_id), started_on = coalesce($5, started_on),
               planned_end = coalesce($6, planned_end), last_activity_at = now()
        WHERE id = $1
        "#,
        id,
        u.status as IdeaStatus,
        u.merged_into,
        u.owner_id,
        u.started_on,
        u.planned_end
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct Results<'a> {
    pub happened: &'a str,
    pub happened_html: &'a str,
    pub data: &'a str,
    pub data_html: &'a str,
    pub learned: &'a str,
    pub learned_html: &'a str,
    pub recommendation: Recommendation,
}

/// Marks a running idea evaluated, with its results.
pub async fn update_results(conn: &mut PgConnection, id: i64, r: &Results<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        UPDATE ideas SET status = 'evaluated', results_happened = $2, results_happened_html = $3,
               results_data = $4, results_data_html = $5, results_learned = $6, results_learned_html = $7,
               recommendation = $8, evaluated_at = now(), last_activity_at = now()
        WHERE id = $1
        "#,
        id,
        r.happened,
        r.happened_html,
        r.data,
        r.data_html,
        r.learned,
        r.learned_html,
        r.recommendation as Recommendation
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_status_change(
    conn: &mut PgConnection,
    idea_id: i64,
    actor_id: i64,
    from: IdeaStatus,
    to: IdeaStatus,
    note: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO idea_status_changes (idea_id, actor_id, from_status, to_status, note)
        VALUES ($1, $2, $3, $4, $5) RETURNING id
        "#,
        idea_id,
        actor_id,
        from as IdeaStatus,
        to as IdeaStatus,
        note
    )
    .fetch_one(conn)
    .await
}

pub struct StatusChangeRow {
    pub from_status: IdeaStatus,
    pub to_status: IdeaStatus,
    pub note: String,
    pub by: String,
    pub created_at: DateTime<Utc>,
}

pub async fn list_status_changes(
    conn: &mut PgConnection,
    idea_id: i64,
) -> Result<Vec<StatusChangeRow>, sqlx::Error> {
    sqlx::query_as!(
        StatusChangeRow,
        r#"
        SELECT c.from_status AS "from_status: IdeaStatus", c.to_status AS "to_status: IdeaStatus", c.note,
               coalesce(u.display_name, 'A former moderator') AS "by!", c.created_at
        FROM idea_status_changes c LEFT JOIN users u ON u.id = c.actor_id
        WHERE c.idea_id = $1 ORDER BY c.id
        "#,
        idea_id
    )
    .fetch_all(conn)
    .await
}

pub async fn insert_comment(
    conn: &mut PgConnection,
    idea_id: i64,
    author_id: i64,
    body: &str,
    body_html: &str,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "INSERT INTO idea_comments (idea_id, author_id, body, body_html) VALUES ($1, $2, $3, $4) RETURNING id",
        idea_id,
        author_id,
        body,
        body_html
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        UPDATE ideas SET comment_count = comment_count + 1, trending = idea_trend_add(trending, now()),
               last_activity_at = now()
        WHERE id = $1
        "#,
        idea_id
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub struct CommentRow {
    pub id: i64,
    pub author: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

/// Comments in order, after comment id `after` (keyset).
pub async fn list_comments(
    conn: &mut PgConnection,
    idea_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    sqlx::query_as!(
        CommentRow,
        r#"
        SELECT c.id, u.display_name AS author, c.body_html, c.created_at
        FROM idea_comments c JOIN users u ON u.id = c.author_id
        WHERE c.idea_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3
        "#,
        idea_id,
        after,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Where the page of comments showing `comment_id` starts (the `after` of `list_comments`): the
/// first page when fewer than `per_page` comments come before it, else right after the comment
/// before it. Lets a notification or a fresh comment's redirect land where the comment is.
pub async fn comment_page_after(
    conn: &mut PgConnection,
    idea_id: i64,
    comment_id: i64,
    per_page: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        SELECT CASE
            WHEN (SELECT count(*) FROM (SELECT 1 FROM idea_comments
                                        WHERE idea_id = $1 AND id < $2 LIMIT $3) x) < $3 THEN 0
            ELSE (SELECT max(id) FROM idea_comments WHERE idea_id = $1 AND id < $2)
        END AS "after!"
        "#,
        idea_id,
        comment_id,
        per_page
    )
    .fetch_one(conn)
    .await
}

pub async fn set_follow(
    conn: &mut PgConnection,
    idea_id: i64,
    user_id: i64,
    on: bool,
) -> Result<(), sqlx::Error> {
    if on {
        sqlx::query!(
            "INSERT INTO idea_followers (idea_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            idea_id,
            user_id
        )
        .execute(conn)
        .await?;
    } else {
        sqlx::query!("DELETE FROM idea_followers WHERE idea_id = $1 AND user_id = $2", idea_id, user_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Followers of a merged idea follow the idea it went into.
pub async fn copy_followers(conn: &mut PgConnection, from: i64, into: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        INSERT INTO idea_followers (idea_id, user_id)
        SELECT $2, user_id FROM idea_followers WHERE idea_id = $1
        ON CONFLICT DO NOTHING
        "#,
        from,
        into
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct LessonRow {
    pub id: i64,
    pub title: String,
    pub hypothesis: String,
    pub learned_html: String,
    pub recommendation: Recommendation,
    pub evaluated_at: DateTime<Utc>,
}

/// Evaluated experiments, most recently evaluated first (keyset on (evaluated_at, id)).
pub async fn list_lessons(
    conn: &mut PgConnection,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Vec<LessonRow>, sqlx::Error> {
    let (at, id) = after.map_or((None, None), |(a, i)| (Some(a), Some(i)));
    sqlx::query_as!(
        LessonRow,
        r#"
        SELECT id, title, hypothesis, results_learned_html AS "learned_html!",
               recommendation AS "recommendation!: Recommendation", evaluated_at AS "evaluated_at!"
        FROM ideas
        WHERE status = 'evaluated' AND ($1::timestamptz IS NULL OR (evaluated_at, id) < ($1, $2::bigint))
        ORDER BY evaluated_at DESC, id DESC
        LIMIT $3
        "#,
        at,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Scale data for benchmarks: `ideas` ideas by members, most of them closed (declined or
/// evaluated, as on a board that has run for years), and about `votes` votes skewed towards a
/// few popular ideas. Set-based; the vote trigger is off during the load (one transaction) and
/// every counter is computed once afterwards. The vote budget is raised to the largest number
/// of open votes anyone ends up with (at most 100). Assumes the fresh database's ids are
/// contiguous, as the seeder makes them; rows that would miss are skipped.
pub async fn insert_scale_ideas(conn: &mut PgConnection, ideas: i64, votes: i64) -> Result<(), sqlx::Error> {
    let before = sqlx::query_scalar!(r#"SELECT coalesce(max(id), 0) AS "id!" FROM ideas"#)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query!(
        r#"
        WITH u AS (SELECT min(id) AS u0, count(*) AS nu FROM users)
        INSERT INTO ideas (author_id, title, problem, problem_html, experiment, experiment_html, hypothesis,
                           measure, measure_html, tags, status, owner_id, started_on,
                           results_happened, results_happened_html, results_learned, results_learned_html,
                           recommendation, evaluated_at, created_at, search)
        SELECT a.id, 'Experiment ' || g || ': peer check-ins after team changes',
               'New teams lose the informal support they had.', '<p>New teams lose the informal support they had.</p>',
               'Pair people for a 15-minute check-in each week for six weeks.',
               '<p>Pair people for a 15-minute check-in each week for six weeks.</p>',
               'We believe weekly check-ins will help people speak up sooner.',
               'Survey before and after; reports raised early.', '<p>Survey before and after; reports raised early.</p>',
               ARRAY[(ARRAY['onboarding','check-ins','workshops','listening','teams'])[1 + g % 5]],
               s.status, CASE WHEN s.status = 'evaluated' THEN a.id END,
               CASE WHEN s.status = 'evaluated' THEN (now() - (g || ' minutes')::interval)::date END,
               CASE WHEN s.status = 'evaluated' THEN 'Eight pairs met weekly.' END,
               CASE WHEN s.status = 'evaluated' THEN '<p>Eight pairs met weekly.</p>' END,
               CASE WHEN s.status = 'evaluated' THEN 'Short, regular check-ins mattered most.' END,
               CASE WHEN s.status = 'evaluated' THEN '<p>Short, regular check-ins mattered most.</p>' END,
               CASE WHEN s.status = 'evaluated' THEN 'adapt'::idea_recommendation END,
               CASE WHEN s.status = 'evaluated' THEN now() - (g || ' minutes')::interval END,
               now() - (g || ' minutes')::interval,
               to_tsvector('english', 'Experiment ' || g || ' peer check-ins after team changes')
        FROM generate_series(1, $1::bigint) g
        CROSS JOIN u
        CROSS JOIN LATERAL (SELECT (ARRAY['declined','declined','declined','declined','declined','declined',
                                          'evaluated','evaluated','proposed','under_review'])[1 + g % 10]::idea_status
                            AS status) s
        JOIN users a ON a.id = u.u0 + (g * 7919) % u.nu
        "#,
        ideas
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("ALTER TABLE idea_votes DISABLE TRIGGER idea_votes_counts").execute(&mut *conn).await?;
    sqlx::query!(
        r#"
        WITH i AS (SELECT count(*) AS ni FROM ideas WHERE id > $2),
             u AS (SELECT min(id) AS u0, count(*) AS nu FROM users)
        INSERT INTO idea_votes (idea_id, user_id, open)
        SELECT DISTINCT x.id, y.id, x.status NOT IN ('evaluated', 'declined', 'merged')
        FROM (
            -- Drawn once per row (OFFSET 0 keeps random() out of the join conditions).
            SELECT $2 + 1 + floor(i.ni * power(random(), 3))::bigint AS idea,
                   u.u0 + floor(u.nu * random())::bigint AS voter
            FROM generate_series(1, $1::bigint) g CROSS JOIN i CROSS JOIN u
            OFFSET 0
        ) r
        JOIN ideas x ON x.id = r.idea
        JOIN users y ON y.id = r.voter
        ON CONFLICT DO NOTHING
        "#,
        votes,
        before
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("ALTER TABLE idea_votes ENABLE TRIGGER idea_votes_counts").execute(&mut *conn).await?;
    // Counters once, and a trending score as if each idea's votes came an hour after it.
    sqlx::query!(
        r#"
        UPDATE ideas i SET vote_count = v.n,
               trending = idea_trend_add(i.trending, i.created_at + interval '1 hour') + ln(v.n)
        FROM (SELECT idea_id, count(*)::int AS n FROM idea_votes WHERE idea_id > $1 GROUP BY idea_id) v
        WHERE v.idea_id = i.id
        "#,
        before
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        INSERT INTO idea_vote_budgets (user_id, open_votes)
        SELECT user_id, count(*) FILTER (WHERE open) FROM idea_votes GROUP BY user_id
        ON CONFLICT (user_id) DO UPDATE SET open_votes = EXCLUDED.open_votes
        "#
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        UPDATE idea_settings SET vote_budget =
            LEAST(100, GREATEST(vote_budget, (SELECT coalesce(max(open_votes), 0) FROM idea_vote_budgets)))
        "#
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `author_id` commented on idea `idea_id`, in the last two minutes, with text that
/// starts with `body` (see `forums::repo::posted_recently`: a late autosave must not bring a
/// posted comment back as a draft). Looks only at the idea's newest comments.
pub async fn commented_recently(
    conn: &mut PgConnection,
    author_id: i64,
    idea_id: i64,
    body: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        SELECT EXISTS (
            SELECT 1 FROM (SELECT author_id, body, created_at FROM idea_comments
                           WHERE idea_id = $2 ORDER BY id DESC LIMIT 20) c
            WHERE c.author_id = $1 AND c.created_at > now() - interval '2 minutes'
              AND starts_with(c.body, $3)
        ) AS "found!"
        "#,
        author_id,
        idea_id,
        body
    )
    .fetch_one(conn)
    .await
}

/// Whether `author_id` proposed, in the last two minutes, an idea whose title and problem start
/// with these (an empty one matches anything). A proposal-draft autosave still on its way when
/// the idea was proposed must not bring it back as a draft.
pub async fn proposed_recently(
    conn: &mut PgConnection,
    author_id: i64,
    title: &str,
    problem: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        SELECT EXISTS (
            SELECT 1 FROM (SELECT title, problem, created_at FROM ideas
                           WHERE author_id = $1 ORDER BY id DESC LIMIT 5) i
            WHERE i.created_at > now() - interval '2 minutes'
              AND starts_with(i.title, $2) AND starts_with(i.problem, $3)
        ) AS "found!"
        "#,
        author_id,
        title,
        problem
    )
    .fetch_one(conn)
    .await
}
