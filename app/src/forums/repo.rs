//! All SQL of the forums. Every list is keyset-paginated on an index; counters (posts per
//! thread, threads and posts per community, reactions per post) are kept on write.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::search_words::SearchRoute;
use super::types::{JoinPolicy, ReactionKind, Visibility};
use crate::drafts::types::{Draft, DraftPlace};

pub struct CommunityRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
    pub allow_anonymous: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub thread_count: i32,
    pub post_count: i32,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub is_member: bool,
}

/// Communities the reader may see or join, in the admins' order (archived ones included, last):
/// public ones, private ones they belong to, and private ones anyone may join (listed by name
/// and description only; their threads stay for members).
pub async fn list_communities(
    conn: &mut PgConnection,
    reader_id: i64,
    see_all: bool,
) -> Result<Vec<CommunityRow>, sqlx::Error> {
    sqlx::query_as!(
        CommunityRow,
        r#"
        SELECT c.id, c.slug, c.name, c.description, c.colour,
               c.visibility AS "visibility: Visibility", c.join_policy AS "join_policy: JoinPolicy",
               c.allow_anonymous, c.archived_at, c.thread_count, c.post_count, c.last_activity_at,
               (m.user_id IS NOT NULL) AS "is_member!"
        FROM communities c
        LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = $1
        WHERE c.visibility = 'public' OR c.join_policy = 'open' OR m.user_id IS NOT NULL OR $2
        ORDER BY (c.archived_at IS NOT NULL), c.position, c.id
        "#,
        reader_id,
        see_all
    )
    .fetch_all(conn)
    .await
}

pub async fn find_community_by_slug(
    conn: &mut PgConnection,
    slug: &str,
    reader_id: i64,
) -> Result<Option<CommunityRow>, sqlx::Error> {
    sqlx::query_as!(
        CommunityRow,
        r#"
        SELECT c.id, c.slug, c.name, c.description, c.colour,
               c.visibility AS "visibility: Visibility", c.join_policy AS "join_policy: JoinPolicy",
               c.allow_anonymous, c.archived_at, c.thread_count, c.post_count, c.last_activity_at,
               EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = $2)
                   AS "is_member!"
        FROM communities c WHERE c.slug = $1
        "#,
        slug,
        reader_id
    )
    .fetch_optional(conn)
    .await
}

/// Builds a `ThreadMeta` from a query row that selects the thread's columns under their own
/// names (`deleted` as `deleted_at IS NOT NULL`).
macro_rules! thread_meta {
    ($r:ident) => {
        ThreadMeta {
            id: $r.id,
            community_id: $r.community_id,
            title: $r.title,
            author_id: $r.author_id,
            is_anonymous: $r.is_anonymous,
            tags: $r.tags,
            content_warning: $r.content_warning,
            pinned: $r.pinned,
            locked: $r.locked,
            deleted: $r.deleted,
            post_count: $r.post_count,
        }
    };
}

/// A `CommunityRow` from a `query!` record that selected the community's columns (each
/// `query!` has a record type of its own, so a function can't take them); `id` and
/// `post_count` are given where the query had to rename them.
macro_rules! community_row {
    ($r:ident, $id:expr, $post_count:expr) => {
        CommunityRow {
            id: $id,
            slug: $r.slug,
            name: $r.name,
            description: $r.description,
            colour: $r.colour,
            visibility: $r.visibility,
            join_policy: $r.join_policy,
            allow_anonymous: $r.allow_anonymous,
            archived_at: $r.archived_at,
            thread_count: $r.thread_count,
            post_count: $post_count,
            last_activity_at: $r.last_activity_at,
            is_member: $r.is_member,
        }
    };
}

/// What the reader's view of a community starts from, read in one round trip: the community,
/// whether they watch it, and their unsent new thread there. (Round trips, not rendering,
/// dominated a page's cost under the benchmark.)
pub struct CommunityView {
    pub community: CommunityRow,
    pub watching: bool,
    pub draft: Option<Draft>,
}

pub async fn find_community_view(
    conn: &mut PgConnection,
    slug: &str,
    reader_id: i64,
) -> Result<Option<CommunityView>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        SELECT c.id, c.slug, c.name, c.description, c.colour,
               c.visibility AS "visibility: Visibility", c.join_policy AS "join_policy: JoinPolicy",
               c.allow_anonymous, c.archived_at, c.thread_count, c.post_count, c.last_activity_at,
               EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = $2)
                   AS "is_member!",
               EXISTS (SELECT 1 FROM community_watches w WHERE w.user_id = $2 AND w.community_id = c.id)
                   AS "watching!",
               d.title AS "draft_title?", d.body AS "draft_body?"
        FROM communities c
        LEFT JOIN drafts d ON d.user_id = $2 AND d.place = $3 AND d.target_id = c.id
        WHERE c.slug = $1
        "#,
        slug,
        reader_id,
        DraftPlace::Thread as DraftPlace
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| CommunityView {
        community: community_row!(r, r.id, r.post_count),
        watching: r.watching,
        draft: r.draft_body.map(|body| Draft { title: r.draft_title.unwrap_or_default(), body }),
    }))
}

/// What the reader's view of a thread starts from, in one round trip: the thread, its
/// community, whether they watch the thread, how far they had read it, and their unsent reply.
pub struct ThreadView {
    pub thread: ThreadMeta,
    pub community: CommunityRow,
    pub watching: bool,
    /// The last post they had read (`None`: never opened).
    pub last_read_seq: Option<i32>,
    pub draft: Option<Draft>,
}

pub async fn find_thread_view(
    conn: &mut PgConnection,
    thread_id: i64,
    reader_id: i64,
) -> Result<Option<ThreadView>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        SELECT t.id, t.community_id, t.title, t.author_id, t.is_anonymous, t.tags, t.content_warning,
               t.pinned, t.locked, t.deleted_at IS NOT NULL AS "deleted!", t.post_count,
               c.slug, c.name, c.description, c.colour,
               c.visibility AS "visibility: Visibility", c.join_policy AS "join_policy: JoinPolicy",
               c.allow_anonymous, c.archived_at, c.thread_count, c.post_count AS community_post_count,
               c.last_activity_at,
               EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = $2)
                   AS "is_member!",
               EXISTS (SELECT 1 FROM thread_watches w WHERE w.user_id = $2 AND w.thread_id = t.id)
                   AS "watching!",
               r.last_read_seq AS "last_read_seq?",
               d.title AS "draft_title?", d.body AS "draft_body?"
        FROM threads t
        JOIN communities c ON c.id = t.community_id
        LEFT JOIN thread_reads r ON r.user_id = $2 AND r.thread_id = t.id
        LEFT JOIN drafts d ON d.user_id = $2 AND d.place = $3 AND d.target_id = t.id
        WHERE t.id = $1
        "#,
        thread_id,
        reader_id,
        DraftPlace::Reply as DraftPlace
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ThreadView {
        thread: thread_meta!(r),
        community: community_row!(r, r.community_id, r.community_post_count),
        watching: r.watching,
        last_read_seq: r.last_read_seq,
        draft: r.draft_body.map(|body| Draft { title: r.draft_title.unwrap_or_default(), body }),
    }))
}

/// A thread with its community as the reader sees it (membership included), in one round
/// trip: what every write to a thread checks first.
pub async fn find_thread_in_community(
    conn: &mut PgConnection,
    thread_id: i64,
    reader_id: i64,
) -> Result<Option<(ThreadMeta, CommunityRow)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        SELECT t.id, t.community_id, t.title, t.author_id, t.is_anonymous, t.tags, t.content_warning,
               t.pinned, t.locked, t.deleted_at IS NOT NULL AS "deleted!", t.post_count,
               c.slug, c.name, c.description, c.colour,
               c.visibility AS "visibility: Visibility", c.join_policy AS "join_policy: JoinPolicy",
               c.allow_anonymous, c.archived_at, c.thread_count, c.post_count AS community_post_count,
               c.last_activity_at,
               EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = $2)
                   AS "is_member!"
        FROM threads t JOIN communities c ON c.id = t.community_id
        WHERE t.id = $1
        "#,
        thread_id,
        reader_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (thread_meta!(r), community_row!(r, r.community_id, r.community_post_count))))
}

pub async fn find_community(
    conn: &mut PgConnection,
    id: i64,
    reader_id: i64,
) -> Result<Option<CommunityRow>, sqlx::Error> {
    sqlx::query_as!(
        CommunityRow,
        r#"
        SELECT c.id, c.slug, c.name, c.description, c.colour,
               c.visibility AS "visibility: Visibility", c.join_policy AS "join_policy: JoinPolicy",
               c.allow_anonymous, c.archived_at, c.thread_count, c.post_count, c.last_activity_at,
               EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = $2)
                   AS "is_member!"
        FROM communities c WHERE c.id = $1
        "#,
        id,
        reader_id
    )
    .fetch_optional(conn)
    .await
}

pub struct NewCommunity<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub colour: &'a str,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
    pub allow_anonymous: bool,
}

pub async fn insert_community(conn: &mut PgConnection, c: &NewCommunity<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO communities (slug, name, description, colour, visibility, join_policy, allow_anonymous, position)
        VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(position), 0) + 1 FROM communities))
        RETURNING id
        "#,
        c.slug,
        c.name,
        c.description,
        c.colour,
        c.visibility as Visibility,
        c.join_policy as JoinPolicy,
        c.allow_anonymous
    )
    .fetch_one(conn)
    .await
}

pub async fn update_community(
    conn: &mut PgConnection,
    id: i64,
    c: &NewCommunity<'_>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        r#"
        UPDATE communities SET slug = $2, name = $3, description = $4, colour = $5, visibility = $6,
               join_policy = $7, allow_anonymous = $8
        WHERE id = $1
        "#,
        id,
        c.slug,
        c.name,
        c.description,
        c.colour,
        c.visibility as Visibility,
        c.join_policy as JoinPolicy,
        c.allow_anonymous
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn update_community_archived(
    conn: &mut PgConnection,
    id: i64,
    archived: bool,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE communities SET archived_at = CASE WHEN $2 THEN coalesce(archived_at, now()) END WHERE id = $1",
        id,
        archived
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Swaps a community's position with its neighbour above (`up`) or below.
pub async fn move_community(conn: &mut PgConnection, id: i64, up: bool) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        WITH me AS (SELECT id, position FROM communities WHERE id = $1),
        other AS (
            SELECT c.id, c.position FROM communities c, me
            WHERE CASE WHEN $2 THEN (c.position, c.id) < (me.position, me.id)
                       ELSE (c.position, c.id) > (me.position, me.id) END
            ORDER BY CASE WHEN $2 THEN c.position END DESC, CASE WHEN $2 THEN c.id END DESC,
                     CASE WHEN NOT $2 THEN c.position END ASC, CASE WHEN NOT $2 THEN c.id END ASC
            LIMIT 1
        )
        UPDATE communities c
        SET position = CASE WHEN c.id = me.id THEN other.position ELSE me.position END
        FROM me, other
        WHERE c.id IN (me.id, other.id) AND me.position <> other.position
        "#,
        id,
        up
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes positions distinct and dense (1, 2, 3 …) so moves always swap two places.
pub async fn renumber_communities(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        UPDATE communities c SET position = o.n
        FROM (SELECT id, row_number() OVER (ORDER BY position, id)::int AS n FROM communities) o
        WHERE c.id = o.id AND c.position <> o.n
        "#
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds a member; `false` when they already were one.
pub async fn insert_member(
    conn: &mut PgConnection,
    community_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO community_members (community_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        community_id,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct MemberRow {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub joined_at: DateTime<Utc>,
}

/// A community's members by name, at most `limit` of them, and how many there are in all.
pub async fn list_members(
    conn: &mut PgConnection,
    community_id: i64,
    limit: i64,
) -> Result<(Vec<MemberRow>, i64), sqlx::Error> {
    let rows = sqlx::query_as!(
        MemberRow,
        r#"
        SELECT u.id AS user_id, u.display_name, u.email, m.joined_at
        FROM community_members m JOIN users u ON u.id = m.user_id
        WHERE m.community_id = $1
        ORDER BY lower(u.display_name), u.id
        LIMIT $2
        "#,
        community_id,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM community_members WHERE community_id = $1"#,
        community_id
    )
    .fetch_one(conn)
    .await?;
    Ok((rows, total))
}

/// Removes a member; `false` when they weren't one.
pub async fn delete_member(
    conn: &mut PgConnection,
    community_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM community_members WHERE community_id = $1 AND user_id = $2",
        community_id,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct ThreadRow {
    /// The reader's last read post here (`None`: never opened).
    pub last_read_seq: Option<i32>,
    pub id: i64,
    pub title: String,
    pub author_id: i64,
    pub author_name: String,
    pub is_anonymous: bool,
    pub tags: Vec<String>,
    pub content_warning: Option<String>,
    pub pinned: bool,
    pub locked: bool,
    pub post_count: i32,
    pub last_post_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// How many unpinned threads `list_thread_page` returns at most: a page of 30, and one more
/// that tells whether there is a next page. (It is the statement's `LIMIT`.)
pub const THREAD_PAGE_ROWS: i64 = 31;

/// A page of a community's threads by latest activity, after the cursor `(last_post_at, id)`;
/// the first page (no cursor) starts with up to 20 pinned threads. One query for both.
///
/// Written so that one plan fits every page: no cursor compares as the end of time, and the
/// page size is a number in the statement. (With `$n IS NULL OR …` and `LIMIT $n`, Postgres
/// found no plan good for every value and planned it again on every view, which cost more than
/// running it.)
pub async fn list_thread_page(
    conn: &mut PgConnection,
    community_id: i64,
    before: Option<(DateTime<Utc>, i64)>,
    reader_id: i64,
) -> Result<Vec<ThreadRow>, sqlx::Error> {
    let (at, id) = before.map_or((None, None), |(a, i)| (Some(a), Some(i)));
    sqlx::query_as!(
        ThreadRow,
        r#"
        SELECT r.last_read_seq AS "last_read_seq?", t.id AS "id!", t.title AS "title!",
               t.author_id AS "author_id!", u.display_name AS "author_name!", t.is_anonymous AS "is_anonymous!",
               t.tags AS "tags!", t.content_warning, t.pinned AS "pinned!", t.locked AS "locked!",
               t.post_count AS "post_count!", t.last_post_at AS "last_post_at!", t.created_at AS "created_at!"
        FROM (
            (SELECT * FROM threads
             WHERE community_id = $1 AND pinned AND deleted_at IS NULL AND $2::timestamptz IS NULL
             ORDER BY last_post_at DESC
             LIMIT 20)
            UNION ALL
            (SELECT * FROM threads
             WHERE community_id = $1 AND NOT pinned AND deleted_at IS NULL
               AND (last_post_at, id) < (coalesce($2, 'infinity'::timestamptz), coalesce($3, 9223372036854775807))
             ORDER BY last_post_at DESC, id DESC
             LIMIT 31)
        ) t
        JOIN users u ON u.id = t.author_id
        LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.user_id = $4
        ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC
        "#,
        community_id,
        at,
        id,
        reader_id
    )
    .fetch_all(conn)
    .await
}

pub struct ThreadMeta {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub author_id: i64,
    pub is_anonymous: bool,
    pub tags: Vec<String>,
    pub content_warning: Option<String>,
    pub pinned: bool,
    pub locked: bool,
    pub deleted: bool,
    pub post_count: i32,
}

/// A thread's facts.
pub async fn find_thread(conn: &mut PgConnection, id: i64) -> Result<Option<ThreadMeta>, sqlx::Error> {
    sqlx::query_as!(
        ThreadMeta,
        r#"SELECT id, community_id, title, author_id, is_anonymous, tags, content_warning, pinned, locked,
                  deleted_at IS NOT NULL AS "deleted!", post_count
           FROM threads WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub struct NewThread<'a> {
    pub community_id: i64,
    pub author_id: i64,
    pub is_anonymous: bool,
    pub title: &'a str,
    pub tags: &'a [String],
    pub content_warning: Option<&'a str>,
}

pub async fn insert_thread(conn: &mut PgConnection, t: &NewThread<'_>) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"INSERT INTO threads (community_id, author_id, is_anonymous, title, tags, content_warning)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
        t.community_id,
        t.author_id,
        t.is_anonymous,
        t.title,
        t.tags,
        t.content_warning
    )
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The person's alias in this thread, assigning the next free number on first use.
/// Callers hold the thread's row lock (`lock_thread`), or created the thread in this
/// transaction, so numbers are handed out one at a time.
pub async fn alias_for(conn: &mut PgConnection, thread_id: i64, user_id: i64) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO thread_aliases (thread_id, user_id, alias)
        VALUES ($1, $2, (SELECT coalesce(max(alias), 0) + 1 FROM thread_aliases WHERE thread_id = $1))
        ON CONFLICT (thread_id, user_id) DO UPDATE SET alias = thread_aliases.alias
        RETURNING alias
        "#,
        thread_id,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Locks a thread's row until commit, as numbering a post in it does: for writes that must
/// happen in turn before that (an anonymous author's alias). None if it is gone.
pub async fn lock_thread(conn: &mut PgConnection, thread_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM threads WHERE id = $1 FOR NO KEY UPDATE", thread_id)
        .fetch_optional(conn)
        .await
}

/// A new post's id, taken before the post is stored: its notifications are written first
/// (their foreign key to the post is checked at commit), so that storing the post, which
/// locks its thread's row until commit, is the transaction's last write.
pub async fn next_post_id(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT nextval(pg_get_serial_sequence('posts', 'id')) AS "id!""#)
        .fetch_one(conn)
        .await
}

pub struct NewPost<'a> {
    /// From `next_post_id`.
    pub id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub anon_alias: Option<i32>,
    pub body: &'a str,
    pub body_html: &'a str,
    pub content_warning: Option<&'a str>,
    pub quoted_post_id: Option<i64>,
    /// The thread title, indexed with the opening post so searches find it.
    pub title_for_search: Option<&'a str>,
}

/// Numbers a post in its thread and stores it, counting it in the thread's and the
/// community's counters (and, for an opening post, the thread in the community's), in one
/// statement. Returns its number, or None when the thread is locked or removed.
///
/// Posts are numbered in turn: the thread's row (then the community's) stays locked until
/// commit, and every other post to that thread (or community) waits for it. So callers do
/// every other write first and commit right after; one statement, not three, keeps the wait
/// to one round trip and the commit.
pub async fn insert_numbered_post(
    conn: &mut PgConnection,
    p: &NewPost<'_>,
    new_thread: bool,
) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        WITH claimed AS (
            UPDATE threads SET post_count = post_count + 1, last_post_at = now()
            WHERE id = $2 AND deleted_at IS NULL AND NOT locked
            RETURNING id, community_id, post_count
        ),
        counted AS (
            UPDATE communities SET thread_count = thread_count + $10, post_count = post_count + 1,
                                   last_activity_at = now()
            WHERE id = (SELECT community_id FROM claimed)
        )
        INSERT INTO posts (id, thread_id, community_id, seq, author_id, anon_alias, body, body_html,
                           content_warning, quoted_post_id, search)
        OVERRIDING SYSTEM VALUE
        SELECT $1, claimed.id, claimed.community_id, claimed.post_count, $3, $4, $5, $6, $7, $8,
               setweight(to_tsvector('english', coalesce($9, '')), 'A')
                   || setweight(to_tsvector('english', $5), 'B')
        FROM claimed
        RETURNING seq
        "#,
        p.id,
        p.thread_id,
        p.author_id,
        p.anon_alias,
        p.body,
        p.body_html,
        p.content_warning,
        p.quoted_post_id,
        p.title_for_search,
        i32::from(new_thread)
    )
    .fetch_optional(conn)
    .await
}

pub struct PostRow {
    pub id: i64,
    pub seq: i32,
    pub author_id: i64,
    pub author_name: String,
    pub anon_alias: Option<i32>,
    pub body_html: String,
    pub content_warning: Option<String>,
    pub quoted_post_id: Option<i64>,
    pub quoted_seq: Option<i32>,
    pub quoted_author_id: Option<i64>,
    pub quoted_author_name: Option<String>,
    pub quoted_anon_alias: Option<i32>,
    pub edit_count: i32,
    pub deleted: bool,
    pub thanks_count: i32,
    pub helpful_count: i32,
    pub me_too_count: i32,
    pub my_reactions: Vec<ReactionKind>,
    pub created_at: DateTime<Utc>,
}

/// Posts of a thread with `seq` after `after`, in order, with the reader's own reactions.
pub async fn list_posts(
    conn: &mut PgConnection,
    thread_id: i64,
    after: i32,
    limit: i64,
    reader_id: i64,
) -> Result<Vec<PostRow>, sqlx::Error> {
    sqlx::query_as!(
        PostRow,
        r#"
        SELECT p.id, p.seq, p.author_id, u.display_name AS author_name, p.anon_alias,
               p.body_html, p.content_warning, p.quoted_post_id,
               q.seq AS "quoted_seq?", q.author_id AS "quoted_author_id?",
               qu.display_name AS "quoted_author_name?", q.anon_alias AS quoted_anon_alias,
               p.edit_count, p.deleted_at IS NOT NULL AS "deleted!",
               p.thanks_count, p.helpful_count, p.me_too_count,
               ARRAY(SELECT r.kind FROM post_reactions r WHERE r.post_id = p.id AND r.user_id = $4)
                   AS "my_reactions!: Vec<ReactionKind>",
               p.created_at
        FROM posts p
        JOIN users u ON u.id = p.author_id
        LEFT JOIN posts q ON q.id = p.quoted_post_id
        LEFT JOIN users qu ON qu.id = q.author_id
        WHERE p.thread_id = $1 AND p.seq > $2
        ORDER BY p.seq
        LIMIT $3
        "#,
        thread_id,
        after,
        limit,
        reader_id
    )
    .fetch_all(conn)
    .await
}

pub struct PostMeta {
    pub id: i64,
    pub thread_id: i64,
    pub seq: i32,
    pub author_id: i64,
    pub anon_alias: Option<i32>,
    pub body: String,
    pub deleted: bool,
}

pub async fn find_post(conn: &mut PgConnection, id: i64) -> Result<Option<PostMeta>, sqlx::Error> {
    sqlx::query_as!(
        PostMeta,
        r#"SELECT id, thread_id, seq, author_id, anon_alias, body, deleted_at IS NOT NULL AS "deleted!"
           FROM posts WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Replaces a post's text, keeping the old text as a revision.
pub async fn update_post_body(
    conn: &mut PgConnection,
    post_id: i64,
    editor_id: i64,
    body: &str,
    body_html: &str,
    content_warning: Option<&str>,
    title_for_search: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO post_revisions (post_id, body, edited_by) SELECT id, body, $2 FROM posts WHERE id = $1",
        post_id,
        editor_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        UPDATE posts SET body = $2, body_html = $3, content_warning = $4, edit_count = edit_count + 1,
               edited_at = now(),
               search = setweight(to_tsvector('english', coalesce($5, '')), 'A')
                        || setweight(to_tsvector('english', $2), 'B')
        WHERE id = $1
        "#,
        post_id,
        body,
        body_html,
        content_warning,
        title_for_search
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_post_deleted(conn: &mut PgConnection, post_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE posts SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL", post_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn list_revisions(
    conn: &mut PgConnection,
    post_id: i64,
) -> Result<Vec<(String, DateTime<Utc>)>, sqlx::Error> {
    let rows =
        sqlx::query!("SELECT body, created_at FROM post_revisions WHERE post_id = $1 ORDER BY id", post_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|r| (r.body, r.created_at)).collect())
}

/// Sets (or clears) one reaction. Idempotent: repeating it changes nothing, and the post's
/// counter moves only when a row was really added or removed.
pub async fn set_reaction(
    conn: &mut PgConnection,
    post_id: i64,
    user_id: i64,
    kind: ReactionKind,
    on: bool,
) -> Result<(), sqlx::Error> {
    let changed: i64 = if on {
        sqlx::query!(
            "INSERT INTO post_reactions (post_id, user_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            post_id,
            user_id,
            kind as ReactionKind
        )
        .execute(&mut *conn)
        .await?
        .rows_affected() as i64
    } else {
        -(sqlx::query!(
            "DELETE FROM post_reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3",
            post_id,
            user_id,
            kind as ReactionKind
        )
        .execute(&mut *conn)
        .await?
        .rows_affected() as i64)
    };
    if changed != 0 {
        let d = changed as i32;
        sqlx::query!(
            r#"
            UPDATE posts SET
                thanks_count = thanks_count + CASE WHEN $2 = 'thanks'::reaction_kind THEN $3 ELSE 0 END,
                helpful_count = helpful_count + CASE WHEN $2 = 'helpful'::reaction_kind THEN $3 ELSE 0 END,
                me_too_count = me_too_count + CASE WHEN $2 = 'me_too'::reaction_kind THEN $3 ELSE 0 END
            WHERE id = $1
            "#,
            post_id,
            kind as ReactionKind,
            d
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

pub async fn update_thread_flags(
    conn: &mut PgConnection,
    thread_id: i64,
    pinned: Option<bool>,
    locked: Option<bool>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE threads SET pinned = coalesce($2, pinned), locked = coalesce($3, locked) WHERE id = $1",
        thread_id,
        pinned,
        locked
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

#[derive(sqlx::FromRow)]
pub struct SearchRow {
    pub post_id: i64,
    pub thread_id: i64,
    pub seq: i32,
    pub thread_title: String,
    pub community_name: String,
    pub author_id: i64,
    pub author_name: String,
    pub anon_alias: Option<i32>,
    pub rank: f32,
    pub snippet: String,
    pub created_at: DateTime<Utc>,
    /// How many matches were ranked in all (at most `SEARCH_WINDOW`).
    pub ranked_count: i64,
}

/// How many of the newest matches a search ranks (the `LIMIT` in `search_posts`). Measured at
/// a million posts, ranking the newest 1,000 matches of a common word took 5 ms a search; 200
/// take 1.2 ms. People refine a search by adding words or dates, which reach older posts.
pub const SEARCH_WINDOW: i64 = 200;

pub struct SearchFilter<'a> {
    pub query: &'a str,
    pub reader_id: i64,
    pub see_all: bool,
    pub community_id: Option<i64>,
    pub author_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Continue after this (rank, post id).
    pub after: Option<(f32, i64)>,
    /// Results on a page. One more is returned when there are more (its snippet left empty:
    /// making a snippet is the costliest part of a row).
    pub limit: i64,
    /// The way to the matches, from how common the words are ([`super::search_words`]).
    pub route: SearchRoute,
}

/// The columns of a candidate post.
macro_rules! candidate_columns {
    () => {
        "SELECT p.id, p.thread_id, p.community_id, p.seq, p.author_id, p.anon_alias, p.body, p.created_at,
                p.search
         FROM posts p "
    };
}

/// What every route asks of a post besides matching: the reader may see its community (not
/// a private one they aren't in: the few such communities are listed once, in an init plan,
/// so no post's community is looked up), and the filters (community, author, dates).
/// Searching by author never matches that author's anonymous posts.
macro_rules! post_filters {
    () => {
        r#"
      AND p.deleted_at IS NULL
      AND p.community_id <> ALL (ARRAY(
              SELECT c.id FROM communities c
              WHERE c.visibility <> 'public' AND NOT $3
                AND NOT EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = $2)))
      AND ($4::bigint IS NULL OR p.community_id = $4)
      AND ($5::bigint IS NULL OR (p.author_id = $5 AND p.anon_alias IS NULL))
      AND ($6::timestamptz IS NULL OR p.created_at >= $6)
      AND ($7::timestamptz IS NULL OR p.created_at < $7)
    "#
    };
}

/// A search statement, around the condition a post must meet to match (`$matching`) and
/// the query it is ranked and highlighted by (`$query`). Its candidates are the newest 200
/// matches the reader may see, read from `posts` alone. The CTEs are each used once, so
/// Postgres inlines them. Only the rows shown get a snippet (making one is the costliest part
/// of a row), their thread's title and their community's name.
///
/// A removed thread's posts are left out of the page shown, not of the ranking, which reads
/// posts alone: no feature removes whole threads yet (moderation will, and should then mark
/// their posts removed too).
macro_rules! search_sql {
    ($matching:literal, $query:literal) => {
        concat!(
            "WITH candidates AS (",
            candidate_columns!(),
            "WHERE ",
            $matching,
            post_filters!(),
            "ORDER BY p.id DESC LIMIT 200",
            r#"),
            ranked AS (
                SELECT c.*, ts_rank(c.search, "#, $query, r#") AS rank, count(*) OVER () AS ranked_count
                FROM candidates c
            ),
            page AS (
                SELECT ranked.*, row_number() OVER (ORDER BY ranked.rank DESC, ranked.id DESC) AS place
                FROM ranked
                WHERE $8::real IS NULL OR (ranked.rank, ranked.id) < ($8, $9)
                ORDER BY ranked.rank DESC, ranked.id DESC
                LIMIT $10 + 1
            )
            SELECT h.id AS post_id, h.thread_id, h.seq, t.title AS thread_title, c.name AS community_name,
                   h.author_id, u.display_name AS author_name, h.anon_alias, h.rank,
                   CASE WHEN h.place <= $10 THEN
                       ts_headline('english', h.body, "#, $query, r#",
                                   'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12')
                   ELSE '' END AS snippet,
                   h.created_at, h.ranked_count
            FROM page h
            JOIN threads t ON t.id = h.thread_id
            JOIN communities c ON c.id = h.community_id
            JOIN users u ON u.id = h.author_id
            WHERE t.deleted_at IS NULL
            ORDER BY h.rank DESC, h.id DESC
            "#
        )
    };
}

/// The first pass of [`SearchRoute::NewestFirst`]: matches among the newest `RECENT_POSTS`
/// posts only. Prepared, with one generic plan whatever the words, and written so that plan
/// can only be the cheap one: posts read newest first by primary key (`ts_match_vq` is `@@` in
/// a form no index can serve; the query is computed once, in an init plan), stopping at the
/// 200th match.
pub const SEARCH_RECENT_SQL: &str = search_sql!(
    "p.id > (SELECT max(id) - 2000 FROM posts)
     AND ts_match_vq(p.search, (SELECT websearch_to_tsquery('english', $1)))",
    "(SELECT websearch_to_tsquery('english', $1))"
);

/// The transaction the first pass runs in, and the settings it is planned with. Postgres
/// would otherwise plan it anew for each search (the filters a search leaves out make each
/// custom plan look cheaper than the generic one), and might run its generic plan with
/// parallel workers (slower to start than the statement is to run) or, on a small forum, read
/// every post rather than the newest by index. The settings end with the transaction.
pub const SEARCH_RECENT_SETTINGS: &str = "BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan; \
     SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off; \
     SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off";

/// [`SearchRoute::ByIndex`]: every match of words too rare for Postgres to keep count of,
/// through the GIN index, newest first. Prepared, with one generic plan.
pub const SEARCH_RARE_SQL: &str = search_sql!(
    "p.search @@ (SELECT websearch_to_tsquery('english', $1))",
    "(SELECT websearch_to_tsquery('english', $1))"
);

/// The transaction [`SEARCH_RARE_SQL`] runs in. Without sequential and plain index scans,
/// posts can only be read through the GIN index; never by walking all of them newest first,
/// which the generic plan could otherwise take for a rare word (seconds at a million posts).
/// The few lookups by key this turns into bitmap scans cost a few microseconds more. A plan
/// that had to use a disabled kind of scan anyway (the list of private communities) costs
/// more than any real one, enough for Postgres to compile it (JIT, 300 ms): JIT stays off.
pub const SEARCH_RARE_SETTINGS: &str = "BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan; \
     SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off; \
     SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off";

/// How many of the newest posts the first pass of a search reads (the `2000` in
/// `SEARCH_RECENT_SQL`): about 0.6 ms at most. Words in more than a tenth of posts usually
/// have `SEARCH_WINDOW` matches among them.
pub const RECENT_POSTS: i64 = 2_000;

/// The share of posts a word must be in for the first pass to be worth reading for it: with
/// fewer, `RECENT_POSTS` posts are expected to hold fewer than `SEARCH_WINDOW` matches.
pub const COMMON_SHARE: f32 = SEARCH_WINDOW as f32 / RECENT_POSTS as f32;

/// The lexemes (stemmed words, as in `posts.search`) Postgres keeps count of, with the share
/// of posts each is in: its statistics for planning (`ANALYZE`, run by autovacuum as posts
/// are added), which track the most common lexemes only. None when there are none yet.
pub async fn find_lexeme_shares(conn: &mut PgConnection) -> Result<Option<Vec<(String, f32)>>, sqlx::Error> {
    // The shares end with three summary numbers, past the lexemes: those pair with no lexeme.
    let row = sqlx::query!(
        r#"
        SELECT coalesce(array_agg(e.lexeme) FILTER (WHERE e.lexeme IS NOT NULL), '{}') AS "lexemes!",
               coalesce(array_agg(e.share) FILTER (WHERE e.lexeme IS NOT NULL), '{}') AS "shares!"
        FROM pg_stats s
        CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, share)
        WHERE s.schemaname = current_schema() AND s.tablename = 'posts' AND s.attname = 'search'
        GROUP BY s.tablename
        "#
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.lexemes.into_iter().zip(r.shares).collect()))
}

/// [`SearchRoute::Planned`], and the second pass of [`SearchRoute::NewestFirst`]: over all
/// posts, planned for the words of each search (with them as constants, Postgres estimates
/// how common they are).
const SEARCH_ALL_SQL: &str =
    search_sql!("p.search @@ websearch_to_tsquery('english', $1)", "websearch_to_tsquery('english', $1)");

/// Full-text search over what the reader may see, best first. Deleted posts and threads,
/// and private communities the reader isn't in, never match. Searching by author never
/// matches that author's anonymous posts. Snippets mark matches with \u{2} … \u{3}.
///
/// Ranking every match of a common word costs O(matches) (hundreds of ms at a million
/// posts), so only the newest `SEARCH_WINDOW` matches are ranked; each row says how many
/// were (`ranked_count`), so the page can say when older ones were left out.
///
/// Which plan finds them fastest depends on the words: for common words, walking the posts
/// newest first and stopping early; for rare ones, the GIN index (each is hundreds of ms for
/// the other kind of word). Postgres would choose, but planning the statement costs as much
/// as running it (0.7–0.9 of 1.6 ms at a million posts). So the route is chosen beforehand
/// from how common the words are, and two of the three are prepared with one plan each:
/// - [`SearchRoute::NewestFirst`]: the newest `RECENT_POSTS` posts; when they hold
///   `SEARCH_WINDOW` matches, those are the newest matches of all and the answer is
///   complete. Otherwise the planned statement follows.
/// - [`SearchRoute::ByIndex`]: every match through the GIN index.
/// - [`SearchRoute::Planned`]: the statement planned for the words of this search.
pub async fn search_posts(
    conn: &mut PgConnection,
    f: &SearchFilter<'_>,
) -> Result<Vec<SearchRow>, sqlx::Error> {
    // Checked by the tests rather than at compile time: the statements are put together by a
    // macro, and sqlx's checked macros always keep their statement prepared.
    let prepared = match f.route {
        SearchRoute::NewestFirst => Some((SEARCH_RECENT_SETTINGS, SEARCH_RECENT_SQL)),
        SearchRoute::ByIndex => Some((SEARCH_RARE_SETTINGS, SEARCH_RARE_SQL)),
        SearchRoute::Planned => None,
    };
    if let Some((settings, sql)) = prepared {
        use sqlx::Connection;
        let mut tx = conn.begin_with(settings).await?;
        let rows = bind_search(sqlx::query_as(sql), f).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let complete =
            f.route == SearchRoute::ByIndex || rows.first().is_some_and(|r| r.ranked_count >= SEARCH_WINDOW);
        if complete {
            return Ok(rows);
        }
    }
    bind_search(sqlx::query_as(SEARCH_ALL_SQL), f).persistent(false).fetch_all(conn).await
}

fn bind_search<'q>(
    query: sqlx::query::QueryAs<'q, sqlx::Postgres, SearchRow, sqlx::postgres::PgArguments>,
    f: &SearchFilter<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, SearchRow, sqlx::postgres::PgArguments> {
    let (after_rank, after_id) = f.after.map_or((None, None), |(r, i)| (Some(r), Some(i)));
    query
        .bind(f.query)
        .bind(f.reader_id)
        .bind(f.see_all)
        .bind(f.community_id)
        .bind(f.author_id)
        .bind(f.from)
        .bind(f.to)
        .bind(after_rank)
        .bind(after_id)
        .bind(f.limit)
}

pub async fn find_user_id_by_name(conn: &mut PgConnection, name: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM users WHERE lower(display_name) = lower($1) ORDER BY id LIMIT 1",
        name
    )
    .fetch_optional(conn)
    .await
}

/// Bulk forum content for benchmarks, in a handful of set-based statements: `communities`
/// public communities, `threads` threads spread across them by the scale members, and about
/// `posts` posts. Thread 1 of the first community is made very long (a tenth of all posts, at
/// most 20,000) so pages deep inside a long thread can be measured.
pub async fn insert_scale_content(
    conn: &mut PgConnection,
    communities: i64,
    threads: i64,
    posts: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        INSERT INTO communities (slug, name, description, position)
        SELECT 'scale-' || n, 'Scale community ' || n, 'Generated for benchmarks.', 1000 + n
        FROM generate_series(1, $1::bigint) AS n
        ON CONFLICT (slug) DO NOTHING
        "#,
        communities
    )
    .execute(&mut *conn)
    .await?;
    // Authors are the scale members (member<N>@scale.example), by id order.
    sqlx::query!(
        r#"
        WITH authors AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE email LIKE '%@scale.example'),
        cs AS (SELECT array_agg(id ORDER BY id) AS ids FROM communities WHERE slug LIKE 'scale-%')
        INSERT INTO threads (community_id, author_id, title, tags, created_at, last_post_at)
        SELECT cs.ids[1 + (n % cardinality(cs.ids))],
               authors.ids[1 + ((n * 7919) % cardinality(authors.ids))],
               (ARRAY['How do you start a hard conversation', 'What helped after a difficult meeting',
                      'Reflection on this week''s listening session', 'Ideas for supporting night-shift colleagues',
                      'Lessons from the buddy system pilot', 'When a peer support chat goes quiet',
                      'Preparing for the conflict resolution workshop', 'Celebrating a small success'])[1 + n % 8]
                   || ' (' || n || ')',
               ARRAY[(ARRAY['listening', 'reflection', 'workshops', 'first-steps'])[1 + n % 4]],
               now() - make_interval(mins => n::int),
               now() - make_interval(mins => n::int)
        FROM generate_series(1, $1::bigint) AS n, authors, cs
        "#,
        threads
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        WITH authors AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE email LIKE '%@scale.example'),
        ts AS (
            SELECT t.id, t.community_id, t.title, row_number() OVER (ORDER BY t.id) AS n
            FROM threads t JOIN communities c ON c.id = t.community_id
            WHERE c.slug LIKE 'scale-%' AND t.post_count = 0
        ),
        sized AS (
            SELECT id, community_id, title, n,
                   CASE WHEN n = 1 THEN least(20000, greatest($1::bigint / 10, 1))
                        ELSE 1 + (n % greatest(2 * ($1::bigint - least(20000, $1::bigint / 10)) / greatest((SELECT count(*) FROM ts) - 1, 1), 1))
                   END AS k
            FROM ts
        ),
        bodies AS (
            SELECT s.id AS thread_id, s.community_id, s.title, g.seq,
                   (ARRAY['I noticed that naming what I saw, without judging, opened the door.',
                          'Thank you for sharing this; it helps to know I am not the only one.',
                          'Our reflection circle tried this last month and learned a lot.',
                          'The external trainer suggested asking open questions first.',
                          'It took a few tries before the listening felt natural.',
                          'What would you do differently next time?',
                          'Small experiments worked better for us than big changes.',
                          'Checking in a week later made the biggest difference.'])[1 + ((s.n + g.seq) % 8)]
                       || ' Post ' || g.seq || ' in thread ' || s.n || '.' AS body
            FROM sized s, generate_series(1, s.k) AS g(seq)
        )
        INSERT INTO posts (thread_id, community_id, seq, author_id, body, body_html, search, created_at)
        SELECT b.thread_id, b.community_id, b.seq,
               authors.ids[1 + ((b.thread_id * 31 + b.seq * 17) % cardinality(authors.ids))],
               b.body, '<p>' || b.body || '</p>',
               CASE WHEN b.seq = 1 THEN setweight(to_tsvector('english', b.title), 'A') ELSE ''::tsvector END
                   || setweight(to_tsvector('english', b.body), 'B'),
               now() - make_interval(secs => (b.thread_id * 60 - b.seq)::double precision)
        FROM bodies b, authors
        "#,
        posts
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        UPDATE threads t SET post_count = p.n, last_post_at = p.last
        FROM (SELECT thread_id, count(*)::int AS n, max(created_at) AS last FROM posts GROUP BY thread_id) p
        WHERE p.thread_id = t.id AND t.post_count <> p.n
        "#
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        UPDATE communities c SET thread_count = s.threads, post_count = s.posts, last_activity_at = s.last
        FROM (SELECT community_id, count(*)::int AS threads, sum(post_count)::int AS posts, max(last_post_at) AS last
              FROM threads GROUP BY community_id) s
        WHERE s.community_id = c.id
        "#
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// People whose display name matches an @mention handle (spaces written as underscores).
pub async fn find_user_ids_by_handles(
    conn: &mut PgConnection,
    handles: &[String],
) -> Result<Vec<i64>, sqlx::Error> {
    if handles.is_empty() {
        return Ok(vec![]);
    }
    sqlx::query_scalar!(
        "SELECT id FROM users WHERE lower(replace(display_name, ' ', '_')) = ANY($1) ORDER BY id LIMIT 50",
        handles
    )
    .fetch_all(conn)
    .await
}

pub async fn set_thread_watch(
    conn: &mut PgConnection,
    user_id: i64,
    thread_id: i64,
    on: bool,
) -> Result<(), sqlx::Error> {
    if on {
        sqlx::query!(
            "INSERT INTO thread_watches (user_id, thread_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            user_id,
            thread_id
        )
        .execute(conn)
        .await?;
    } else {
        sqlx::query!("DELETE FROM thread_watches WHERE user_id = $1 AND thread_id = $2", user_id, thread_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn set_community_watch(
    conn: &mut PgConnection,
    user_id: i64,
    community_id: i64,
    on: bool,
) -> Result<(), sqlx::Error> {
    if on {
        sqlx::query!(
            "INSERT INTO community_watches (user_id, community_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            user_id,
            community_id
        )
        .execute(conn)
        .await?;
    } else {
        sqlx::query!(
            "DELETE FROM community_watches WHERE user_id = $1 AND community_id = $2",
            user_id,
            community_id
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Records that the reader has seen posts up to `seq`, given how far they had read before
/// (`ThreadView::last_read_seq`): writes only when that moves forward, and never moves it back
/// (a concurrent visit may have gone further).
pub async fn advance_thread_read(
    conn: &mut PgConnection,
    user_id: i64,
    thread_id: i64,
    seq: i32,
    before: Option<i32>,
) -> Result<(), sqlx::Error> {
    if before.is_none_or(|b| b < seq) {
        sqlx::query!(
            r#"
            INSERT INTO thread_reads (user_id, thread_id, last_read_seq) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, thread_id) DO UPDATE
                SET last_read_seq = GREATEST(thread_reads.last_read_seq, EXCLUDED.last_read_seq), updated_at = now()
            "#,
            user_id,
            thread_id,
            seq
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Whether `author_id` posted, in the last two minutes, a reply to thread `thread_id` (or, with
/// `new_thread`, a thread in community `thread_id`) whose text starts with `body`. An autosave
/// still on its way when its text was posted must not bring that text back as a draft.
/// Looks only at the thread's newest posts (the index on `(thread_id, seq)`), or at the
/// author's own threads, so it stays cheap on long threads.
pub async fn posted_recently(
    conn: &mut PgConnection,
    author_id: i64,
    target_id: i64,
    new_thread: bool,
    body: &str,
) -> Result<bool, sqlx::Error> {
    let found = if new_thread {
        sqlx::query_scalar!(
            r#"
            SELECT EXISTS (
                SELECT 1 FROM threads t JOIN posts p ON p.thread_id = t.id AND p.seq = 1
                WHERE t.author_id = $1 AND t.community_id = $2 AND t.created_at > now() - interval '2 minutes'
                  AND starts_with(p.body, $3)
            ) AS "found!"
            "#,
            author_id,
            target_id,
            body
        )
        .fetch_one(conn)
        .await?
    } else {
        sqlx::query_scalar!(
            r#"
            SELECT EXISTS (
                SELECT 1 FROM (SELECT author_id, body, created_at FROM posts
                               WHERE thread_id = $2 ORDER BY seq DESC LIMIT 20) p
                WHERE p.author_id = $1 AND p.created_at > now() - interval '2 minutes'
                  AND starts_with(p.body, $3)
            ) AS "found!"
            "#,
            author_id,
            target_id,
            body
        )
        .fetch_one(conn)
        .await?
    };
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_search_pass_reads_as_many_posts_as_it_says() {
        assert!(SEARCH_RECENT_SQL.contains(&format!("max(id) - {RECENT_POSTS} FROM posts")));
    }
}
