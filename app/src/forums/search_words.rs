//! How common the words of a search are in posts, so a search can take the cheapest way to
//! its matches without asking Postgres to plan it (planning the search costs about as much as
//! running it). Each server instance reads Postgres's own statistics on the posts now and
//! then, and stems a search's words as Postgres's `english` configuration does.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rust_stemmers::{Algorithm, Stemmer};
use sqlx::PgConnection;

use super::repo;

/// How long the statistics are used before they are read again. Postgres updates them only
/// when autovacuum analyzes the posts (every tenth or so of the table added), so minutes of
/// staleness change nothing but the odd search's speed, never its answer.
const KEEP_FOR: Duration = Duration::from_secs(600);

/// The way a search finds its matches (see [`repo::search_posts`]). Every route gives the
/// same answer; they differ in speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchRoute {
    /// A word is in at least [`repo::COMMON_SHARE`] of posts (or nothing is known): the
    /// newest posts first, then the planned statement if they hold too few matches.
    NewestFirst,
    /// Every word is too rare for Postgres to keep count of: every match, through the index.
    ByIndex,
    /// Anything else: the statement planned for the words.
    Planned,
}

/// The lexemes Postgres keeps count of, and those of them in at least `COMMON_SHARE` of posts.
#[derive(Debug, Default)]
pub struct WordShares {
    tracked: HashSet<String>,
    common: HashSet<String>,
}

impl WordShares {
    pub fn new(shares: impl IntoIterator<Item = (String, f32)>) -> Self {
        let mut words = Self::default();
        for (lexeme, share) in shares {
            if share >= repo::COMMON_SHARE {
                words.common.insert(lexeme.clone());
            }
            words.tracked.insert(lexeme);
        }
        words
    }
}

/// The route for `query` (as typed, in Postgres's web search syntax). Unknown statistics
/// give the route that is never slow.
pub fn route(query: &str, shares: Option<&WordShares>) -> SearchRoute {
    let Some(shares) = shares else { return SearchRoute::NewestFirst };
    let lexemes = lexemes(query);
    if lexemes.iter().any(|l| shares.common.contains(l)) {
        return SearchRoute::NewestFirst;
    }
    // "-word" matches nearly every post when the word is rare: not a job for the index alone.
    let negates = query.split_whitespace().any(|w| w.starts_with('-'));
    if !lexemes.is_empty() && !negates && lexemes.iter().all(|l| !shares.tracked.contains(l)) {
        return SearchRoute::ByIndex;
    }
    SearchRoute::Planned
}

/// The words of `query`, lower-cased and stemmed like Postgres's `english` configuration
/// (Snowball's English stemmer). Stop words are kept: Postgres never counts them, so they
/// read as rare, which changes no route that another word of the query decides.
pub fn lexemes(query: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
        .collect()
}

/// This instance's copy of the statistics, read again when older than `KEEP_FOR`.
#[derive(Debug, Default)]
pub struct SearchWords {
    /// When they were read, and what was read (None: no statistics yet, or reading failed).
    last: Mutex<Option<(Instant, Option<Arc<WordShares>>)>>,
}

impl SearchWords {
    /// The route for `query`, reading the statistics first if they are stale.
    pub async fn route(&self, conn: &mut PgConnection, query: &str) -> SearchRoute {
        let shares = self.shares(conn).await;
        route(query, shares.as_deref())
    }

    async fn shares(&self, conn: &mut PgConnection) -> Option<Arc<WordShares>> {
        if let Some((read_at, shares)) = self.last.lock().ok()?.as_ref() {
            if read_at.elapsed() < KEEP_FOR {
                return shares.clone();
            }
        }
        // Searches that find them stale at the same moment may each read them; same result.
        let shares = match repo::find_lexeme_shares(conn).await {
            Ok(shares) => shares.map(|s| Arc::new(WordShares::new(s))),
            Err(e) => {
                tracing::warn!(error = %e, "could not read how common words are in posts");
                None
            }
        };
        if let Ok(mut last) = self.last.lock() {
            *last = Some((Instant::now(), shares.clone()));
        }
        shares
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares() -> WordShares {
        WordShares::new([
            ("listen".to_owned(), 0.13),
            ("resili".to_owned(), 0.01),
            ("week".to_owned(), 0.002),
        ])
    }

    #[test]
    fn words_are_stemmed_like_postgres_english() {
        assert_eq!(lexemes("Listening, RESILIENCE! weeks"), ["listen", "resili", "week"]);
    }

    #[test]
    fn a_common_word_reads_the_newest_posts_first() {
        let s = shares();
        assert_eq!(route("listening", Some(&s)), SearchRoute::NewestFirst);
        assert_eq!(route("reorganisation listening", Some(&s)), SearchRoute::NewestFirst);
        assert_eq!(route("listening -resilience", Some(&s)), SearchRoute::NewestFirst);
        assert_eq!(route("anything", None), SearchRoute::NewestFirst, "nothing known");
    }

    #[test]
    fn only_untracked_words_go_through_the_index() {
        let s = shares();
        assert_eq!(route("reorganisation", Some(&s)), SearchRoute::ByIndex);
        assert_eq!(route("the reorganisation", Some(&s)), SearchRoute::ByIndex, "stop words are neutral");
        assert_eq!(route("\"team reorganisation\"", Some(&s)), SearchRoute::ByIndex);
        assert_eq!(route("resilience", Some(&s)), SearchRoute::Planned, "tracked but not common");
        assert_eq!(route("reorganisation resilience", Some(&s)), SearchRoute::Planned);
        assert_eq!(route("-reorganisation", Some(&s)), SearchRoute::Planned, "matches nearly all");
        assert_eq!(route("?!", Some(&s)), SearchRoute::Planned, "no words");
    }
}
