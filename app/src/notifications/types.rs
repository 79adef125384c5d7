//! What crosses the wire for notifications.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::forums::types::Author;
use crate::ideas::types::IdeaStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "notification_kind", rename_all = "snake_case"))]
pub enum NotificationKind {
    Mention,
    Quote,
    Reply,
    NewThread,
    IdeaComment,
    IdeaMention,
    IdeaStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    /// Where it leads: the post, comment or idea.
    pub href: String,
    /// The thread's or idea's title.
    pub subject: String,
    /// Who wrote the post or comment, or moved the idea; an alias for anonymous posts.
    pub actor: Author,
    /// For an idea's lifecycle change: where it went.
    pub status: Option<IdeaStatus>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl NotificationView {
    pub fn sentence(&self) -> String {
        let who = self.actor.label();
        let subject = &self.subject;
        match self.kind {
            NotificationKind::Mention => format!("{who} mentioned you in “{subject}”"),
            NotificationKind::Quote => format!("{who} quoted you in “{subject}”"),
            NotificationKind::Reply => format!("{who} replied in “{subject}”"),
            NotificationKind::NewThread => format!("{who} started “{subject}”"),
            NotificationKind::IdeaComment => format!("{who} commented on “{subject}”"),
            NotificationKind::IdeaMention => format!("{who} mentioned you on “{subject}”"),
            NotificationKind::IdeaStatus => match self.status {
                Some(IdeaStatus::Evaluated) => format!("Results are in for “{subject}”"),
                Some(IdeaStatus::Merged) => format!("“{subject}” was merged into another idea"),
                Some(status) => format!("“{subject}” is now {}", status.label().to_lowercase()),
                None => format!("“{subject}” moved on"),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub next_before: Option<i64>,
    pub unread: i64,
}
