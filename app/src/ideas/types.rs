//! What crosses the wire for the idea board.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "idea_status", rename_all = "snake_case"))]
pub enum IdeaStatus {
    Proposed,
    UnderReview,
    Approved,
    Running,
    Evaluated,
    Declined,
    Merged,
}

impl IdeaStatus {
    pub const ALL: [IdeaStatus; 7] = [
        IdeaStatus::Proposed,
        IdeaStatus::UnderReview,
        IdeaStatus::Approved,
        IdeaStatus::Running,
        IdeaStatus::Evaluated,
        IdeaStatus::Declined,
        IdeaStatus::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaStatus::Proposed => "proposed",
            IdeaStatus::UnderReview => "under_review",
            IdeaStatus::Approved => "approved",
            IdeaStatus::Running => "running",
            IdeaStatus::Evaluated => "evaluated",
            IdeaStatus::Declined => "declined",
            IdeaStatus::Merged => "merged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdeaStatus::Proposed => "Proposed",
            IdeaStatus::UnderReview => "Under review",
            IdeaStatus::Approved => "Approved",
            IdeaStatus::Running => "Running",
            IdeaStatus::Evaluated => "Evaluated",
            IdeaStatus::Declined => "Declined",
            IdeaStatus::Merged => "Merged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Closed ideas take no votes; their votes went back to the voters' budgets.
    pub fn is_closed(self) -> bool {
        matches!(self, IdeaStatus::Evaluated | IdeaStatus::Declined | IdeaStatus::Merged)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "idea_recommendation", rename_all = "lowercase"))]
pub enum Recommendation {
    Adopt,
    Adapt,
    Drop,
}

impl Recommendation {
    pub const ALL: [Recommendation; 3] = [Recommendation::Adopt, Recommendation::Adapt, Recommendation::Drop];

    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::Adopt => "adopt",
            Recommendation::Adapt => "adapt",
            Recommendation::Drop => "drop",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Recommendation::Adopt => "Adopt it",
            Recommendation::Adapt => "Adapt it and try again",
            Recommendation::Drop => "Drop it",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// How the board is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdeaSort {
    /// Recent votes and comments, decayed by age (see the `idea_trend_add` migration).
    Trending,
    Top,
    New,
    MostDiscussed,
}

impl IdeaSort {
    pub const ALL: [IdeaSort; 4] =
        [IdeaSort::Trending, IdeaSort::Top, IdeaSort::New, IdeaSort::MostDiscussed];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaSort::Trending => "trending",
            IdeaSort::Top => "top",
            IdeaSort::New => "new",
            IdeaSort::MostDiscussed => "discussed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdeaSort::Trending => "Trending",
            IdeaSort::Top => "Top",
            IdeaSort::New => "New",
            IdeaSort::MostDiscussed => "Most discussed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// An idea as listed on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaSummary {
    pub id: i64,
    pub title: String,
    pub hypothesis: String,
    pub author: String,
    pub tags: Vec<String>,
    pub status: IdeaStatus,
    pub votes: i32,
    pub comments: i32,
    pub voted: bool,
    pub created_at: DateTime<Utc>,
}

/// The reader's votes: `used` open votes of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteBudget {
    pub used: i32,
    pub total: i32,
}

impl VoteBudget {
    pub fn left(self) -> i32 {
        (self.total - self.used).max(0)
    }
}

/// One page of the board; `next` continues after the last idea (keyset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaBoard {
    pub ideas: Vec<IdeaSummary>,
    pub next: Option<String>,
    pub budget: VoteBudget,
    pub can_moderate: bool,
    /// The reader may set the vote budget (admins).
    pub can_configure: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaResults {
    pub happened_html: String,
    pub data_html: String,
    pub learned_html: String,
    pub recommendation: Recommendation,
    pub evaluated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub owner: String,
    /// Who runs it with the owner.
    pub co_owners: Vec<String>,
    pub started_on: NaiveDate,
    pub planned_end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub from: IdeaStatus,
    pub to: IdeaStatus,
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaComment {
    pub id: i64,
    pub author: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

/// Everything the idea page shows, and what the reader may do there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaDetail {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub is_author: bool,
    pub problem_html: String,
    pub experiment_html: String,
    pub hypothesis: String,
    pub measure_html: String,
    pub tags: Vec<String>,
    pub status: IdeaStatus,
    /// Set when merged: the page sends the reader there.
    pub merged_into: Option<i64>,
    pub run: Option<RunInfo>,
    pub results: Option<IdeaResults>,
    pub votes: i32,
    pub voted: bool,
    pub following: bool,
    pub budget: VoteBudget,
    pub history: Vec<StatusChange>,
    pub comment_count: i32,
    pub comments: Vec<IdeaComment>,
    /// More comments follow this one (keyset).
    pub more_comments_after: Option<i64>,
    /// This page of comments doesn't start at the first one.
    pub earlier_comments: bool,
    /// Moves a moderator may make from here.
    pub next_statuses: Vec<IdeaStatus>,
    pub can_moderate: bool,
    /// The reader's unsent comment.
    pub comment_draft: String,
    /// That draft rendered, when the reader asked for a preview without JavaScript.
    pub comment_preview_html: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An evaluated experiment, for the Lessons learned page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: i64,
    pub title: String,
    pub hypothesis: String,
    pub learned_html: String,
    pub recommendation: Recommendation,
    pub evaluated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonsPage {
    pub lessons: Vec<Lesson>,
    pub next: Option<String>,
}

/// The reader's unsent proposal, field by field, and (asked for without JavaScript) its long
/// fields rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDraft {
    pub title: String,
    pub problem: String,
    pub experiment: String,
    pub hypothesis: String,
    pub measure: String,
    pub tags: String,
    pub preview: Option<ProposalPreview>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalPreview {
    pub problem_html: String,
    pub experiment_html: String,
    pub measure_html: String,
}
