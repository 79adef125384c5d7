//! The notifications page and the bell in the header.

mod bell;
mod list;

pub use bell::Bell;
pub use list::NotificationsPage;
