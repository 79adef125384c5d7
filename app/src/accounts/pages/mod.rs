//! Pages of the accounts area.

mod admin;
mod auth_forms;
mod settings;

pub use admin::AdminUsersPage;
pub use auth_forms::{LoginPage, RegisterPage};
pub use settings::{PasswordPage, ProfilePage};
