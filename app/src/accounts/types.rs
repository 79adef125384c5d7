//! What crosses the wire for accounts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::Role;

/// One's own profile, as shown on the profile form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    pub bio: String,
    pub bio_html: String,
    pub department: String,
    pub pronouns: String,
    pub time_zone: String,
}

/// A row in the admin's list of people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub department: String,
    pub suspended_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A page of people, with the cursor for the next page (keyset on id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub next_after: Option<i64>,
}
