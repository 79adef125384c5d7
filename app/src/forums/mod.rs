//! Forums: the program's learning communities. Communities hold threads; threads hold posts
//! with reactions, quotes, content warnings, edit history and (where a community allows it)
//! anonymous authorship. Search covers everything the reader may see.

pub mod api;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod search_words;
pub mod types;
#[cfg(feature = "ssr")]
mod view_rows;
