//! What crosses the wire for the forums.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "community_visibility", rename_all = "lowercase"))]
pub enum Visibility {
    Public,
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "community_join_policy", rename_all = "lowercase"))]
pub enum JoinPolicy {
    Open,
    Invite,
}

/// A community as listed, with what the reader may do there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunitySummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
    pub allow_anonymous: bool,
    pub archived: bool,
    pub thread_count: i32,
    pub post_count: i32,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub is_member: bool,
}

/// Who wrote a post, as readers may see it. Anonymous posts never carry the author's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Author {
    Named { id: i64, name: String },
    Anonymous { alias: i32 },
}

impl Author {
    pub fn label(&self) -> String {
        match self {
            Author::Named { name, .. } => name.clone(),
            Author::Anonymous { alias } => format!("Anonymous {alias}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub title: String,
    pub author: Author,
    pub tags: Vec<String>,
    pub content_warning: Option<String>,
    pub pinned: bool,
    pub locked: bool,
    pub replies: i32,
    /// Posts the reader hasn't seen (`None`: never opened the thread).
    pub unread: Option<i32>,
    /// Where the reader's first unseen post is.
    pub first_unread_seq: Option<i32>,
    pub last_post_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// One page of a community's threads; `next` continues after the last one (keyset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityPage {
    pub community: CommunitySummary,
    /// The reader follows new threads here.
    pub watching: bool,
    /// The reader may edit the community (admins).
    pub can_manage: bool,
    /// The reader may add and remove members (moderators and admins).
    pub can_moderate: bool,
    /// A private community the reader may join but isn't in: its threads are not shown.
    pub members_only: bool,
    /// Pinned threads, on the first page only.
    pub pinned: Vec<ThreadSummary>,
    pub threads: Vec<ThreadSummary>,
    pub next: Option<String>,
    /// The reader's unsent new thread here.
    pub draft: crate::drafts::types::Draft,
    /// That draft rendered, when the reader asked for a preview without JavaScript.
    pub preview_html: Option<String>,
}

/// A community's members, as moderators see them to add and remove people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembersPage {
    pub community: CommunitySummary,
    /// The first members by name (see `total`).
    pub members: Vec<Member>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "reaction_kind", rename_all = "snake_case"))]
pub enum ReactionKind {
    Thanks,
    Helpful,
    MeToo,
}

impl ReactionKind {
    pub const ALL: [ReactionKind; 3] = [ReactionKind::Thanks, ReactionKind::Helpful, ReactionKind::MeToo];

    pub fn as_str(self) -> &'static str {
        match self {
            ReactionKind::Thanks => "thanks",
            ReactionKind::Helpful => "helpful",
            ReactionKind::MeToo => "me_too",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReactionKind::Thanks => "Thanks",
            ReactionKind::Helpful => "Helpful",
            ReactionKind::MeToo => "Me too",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub kind: ReactionKind,
    pub count: i32,
    /// The reader has given this reaction.
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostView {
    pub id: i64,
    pub seq: i32,
    pub author: Author,
    /// The reader wrote it (so may edit or delete it); never reveals anyone else.
    pub is_own: bool,
    /// Sanitised when stored; empty when the post was deleted.
    pub body_html: String,
    pub content_warning: Option<String>,
    pub quoted: Option<QuotedPost>,
    pub reactions: Vec<Reaction>,
    pub edited: bool,
    pub deleted: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotedPost {
    pub id: i64,
    pub seq: i32,
    pub author: Author,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadDetail {
    pub id: i64,
    pub title: String,
    pub community: CommunitySummary,
    pub tags: Vec<String>,
    pub content_warning: Option<String>,
    pub pinned: bool,
    pub locked: bool,
    pub post_count: i32,
    pub can_reply: bool,
    pub can_moderate: bool,
    /// The reader may reveal anonymous authors (admins; audited).
    pub can_reveal: bool,
    /// The reader is notified of replies.
    pub watching: bool,
}

/// A page of a thread's posts, in order; `next_after` is the last `seq` shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadPage {
    pub thread: ThreadDetail,
    /// Posts after this `seq` are new to the reader since their last visit.
    pub read_up_to: Option<i32>,
    pub posts: Vec<PostView>,
    pub next_after: Option<i32>,
    pub prev_after: Option<i32>,
    /// What the reply box starts with: the reader's draft, then the quoted post when quoting.
    pub composer: String,
    /// The post being quoted (one of this thread's, not removed).
    pub quoting: Option<i64>,
    /// The quotation added to `composer`; a reply box holding unsaved typed text adds it there.
    pub quotation: Option<String>,
    /// The reader's draft rendered, when they asked for a preview without JavaScript.
    pub preview_html: Option<String>,
    /// The reader's own post being edited, with its Markdown.
    pub editing: Option<(i64, String)>,
    /// Earlier versions of a post, oldest first (moderators).
    pub history: Option<(i64, Vec<Revision>)>,
}

/// The people whose handle starts with `prefix` (lower case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionSuggestions {
    pub prefix: String,
    pub people: Vec<MentionSuggestion>,
}

/// Someone who can be @mentioned, as the composer suggests them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionSuggestion {
    pub handle: String,
    pub name: String,
}

/// One earlier version of a post (moderators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A search result: the snippet is plain text split into (text, highlighted) runs, so
/// nothing the author wrote is ever interpreted as HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub post_id: i64,
    pub thread_id: i64,
    pub seq: i32,
    pub thread_title: String,
    pub community_name: String,
    pub author: Author,
    pub snippet: Vec<(String, bool)>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub next: Option<String>,
    /// Only the newest matches were ranked and older ones may exist (said on the last page).
    pub older_left_out: bool,
}

/// An anonymous post's reveal page (admins): what was revealed before, by whom and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevealPage {
    pub post_id: i64,
    pub thread_id: i64,
    pub seq: i32,
    pub thread_title: String,
    pub alias: i32,
    pub reveals: Vec<Reveal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reveal {
    pub revealed_by: String,
    /// `None` when the author's account has since been deleted.
    pub author: Option<String>,
    pub reason: String,
    pub at: DateTime<Utc>,
}
