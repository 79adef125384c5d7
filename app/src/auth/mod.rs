//! Who may do what. `Role` and `Permission` cross the wire so the UI can hide what a person
//! can't do; the server always enforces the same table through the guards in `guard`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod session;

/// A person's role in the program. Ordered: each role can do everything the one before can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "user_role", rename_all = "lowercase"))]
pub enum Role {
    Member,
    Moderator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Member, Role::Moderator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "Member",
            Role::Moderator => "Moderator",
            Role::Admin => "Admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Things a person may try to do. Add a variant per capability, never per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Read member-only content.
    Read,
    /// Create or change one's own content (posts, votes, profile).
    Contribute,
    /// Act on other people's content (moderation queue, locking, hiding).
    Moderate,
    /// See all accounts, change roles, suspend people.
    ManageUsers,
    /// Create, edit, reorder and archive forum communities.
    ManageCommunities,
    /// Learn who wrote an anonymous post (for safety cases; every use is audited).
    RevealAnonymous,
    /// Settings of the idea board (the vote budget).
    ManageIdeaBoard,
}

impl Permission {
    /// Whether the permission changes shared state; suspended people keep only the others.
    pub fn is_write(self) -> bool {
        !matches!(self, Permission::Read)
    }
}

/// The one table of who may do what.
pub fn allows(role: Role, permission: Permission) -> bool {
    match permission {
        Permission::Read | Permission::Contribute => true,
        Permission::Moderate => role >= Role::Moderator,
        Permission::ManageUsers
        | Permission::ManageCommunities
        | Permission::RevealAnonymous
        | Permission::ManageIdeaBoard => role == Role::Admin,
    }
}

/// The signed-in person as the UI sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// RFC 3339 end of a suspension still in force.
    pub suspended_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl CurrentUser {
    pub fn can(&self, permission: Permission) -> bool {
        allows(self.role, permission) && !(permission.is_write() && self.is_suspended())
    }

    pub fn is_suspended(&self) -> bool {
        self.suspended_until.is_some_and(|until| until > chrono::Utc::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_table() {
        for role in Role::ALL {
            assert!(allows(role, Permission::Read));
            assert!(allows(role, Permission::Contribute));
        }
        assert!(!allows(Role::Member, Permission::Moderate));
        assert!(allows(Role::Moderator, Permission::Moderate));
        assert!(allows(Role::Admin, Permission::Moderate));
        assert!(!allows(Role::Member, Permission::ManageUsers));
        assert!(!allows(Role::Moderator, Permission::ManageUsers));
        assert!(allows(Role::Admin, Permission::ManageUsers));
        assert!(!allows(Role::Moderator, Permission::ManageCommunities));
        assert!(allows(Role::Admin, Permission::ManageCommunities));
        assert!(!allows(Role::Member, Permission::RevealAnonymous));
        assert!(!allows(Role::Moderator, Permission::RevealAnonymous));
        assert!(allows(Role::Admin, Permission::RevealAnonymous));
        assert!(!allows(Role::Moderator, Permission::ManageIdeaBoard));
        assert!(allows(Role::Admin, Permission::ManageIdeaBoard));
    }

    #[test]
    fn suspended_people_keep_only_read() {
        let user = CurrentUser {
            id: 1,
            display_name: "A".into(),
            email: "a@example.org".into(),
            role: Role::Admin,
            suspended_until: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        };
        assert!(user.can(Permission::Read));
        assert!(!user.can(Permission::Contribute));
        assert!(!user.can(Permission::ManageUsers));
        let expired =
            CurrentUser { suspended_until: Some(chrono::Utc::now() - chrono::Duration::hours(1)), ..user };
        assert!(expired.can(Permission::Contribute));
    }

    #[test]
    fn role_parse_round_trips() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
