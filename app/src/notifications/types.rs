//! What crosses the wire for notifications.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::forums::types::Author;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "notification_kind", rename_all = "snake_case"))]
pub enum NotificationKind {
    Mention,
    Quote,
    Reply,
    NewThread,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub thread_id: i64,
    pub thread_title: String,
    pub post_seq: i32,
    /// Who wrote the post; an alias for anonymous posts.
    pub actor: Author,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl NotificationView {
    pub fn sentence(&self) -> String {
        let who = self.actor.label();
        match self.kind {
            NotificationKind::Mention => format!("{who} mentioned you in “{}”", self.thread_title),
            NotificationKind::Quote => format!("{who} quoted you in “{}”", self.thread_title),
            NotificationKind::Reply => format!("{who} replied in “{}”", self.thread_title),
            NotificationKind::NewThread => format!("{who} started “{}”", self.thread_title),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub next_before: Option<i64>,
    pub unread: i64,
}
