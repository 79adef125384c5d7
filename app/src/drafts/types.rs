//! What crosses the wire for drafts.

use serde::{Deserialize, Serialize};

/// Where a draft belongs; the target id is a thread (reply) or a community (new thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "draft_place", rename_all = "snake_case"))]
pub enum DraftPlace {
    Reply,
    Thread,
    /// A comment on an idea (the target is the idea).
    IdeaComment,
    /// A proposal for the idea board (target 0; its fields are kept by name).
    Idea,
}

impl DraftPlace {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftPlace::Reply => "reply",
            DraftPlace::Thread => "thread",
            DraftPlace::IdeaComment => "idea_comment",
            DraftPlace::Idea => "idea",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [DraftPlace::Reply, DraftPlace::Thread, DraftPlace::IdeaComment, DraftPlace::Idea]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A saved draft; `title` is empty for replies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub title: String,
    pub body: String,
}
