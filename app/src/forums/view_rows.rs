//! Turning database rows into what readers may see. The one place where a post's real author
//! is dropped for anonymous posts, so no page or response can leak it by accident.

use super::repo::{CommunityRow, PostRow, SearchRow, ThreadRow};
use super::types::{
    Author, CommunitySummary, PostView, QuotedPost, Reaction, ReactionKind, SearchHit, ThreadSummary,
};

pub fn community(row: CommunityRow) -> CommunitySummary {
    CommunitySummary {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        colour: row.colour,
        visibility: row.visibility,
        join_policy: row.join_policy,
        allow_anonymous: row.allow_anonymous,
        archived: row.archived_at.is_some(),
        thread_count: row.thread_count,
        post_count: row.post_count,
        last_activity_at: row.last_activity_at,
        is_member: row.is_member,
    }
}

fn author(id: i64, name: String, alias: Option<i32>) -> Author {
    match alias {
        Some(alias) => Author::Anonymous { alias },
        None => Author::Named { id, name },
    }
}

pub fn thread(row: ThreadRow) -> ThreadSummary {
    ThreadSummary {
        id: row.id,
        author: author(row.author_id, row.author_name, row.is_anonymous.then_some(1)),
        title: row.title,
        tags: row.tags,
        content_warning: row.content_warning,
        pinned: row.pinned,
        locked: row.locked,
        replies: (row.post_count - 1).max(0),
        unread: row.last_read_seq.map(|seen| (row.post_count - seen).max(0)),
        first_unread_seq: row.last_read_seq.filter(|seen| *seen < row.post_count).map(|seen| seen + 1),
        last_post_at: row.last_post_at,
        created_at: row.created_at,
    }
}

pub fn post(row: PostRow, reader_id: i64) -> PostView {
    let quoted = match (row.quoted_post_id, row.quoted_seq, row.quoted_author_id) {
        (Some(id), Some(seq), Some(author_id)) => Some(QuotedPost {
            id,
            seq,
            author: author(author_id, row.quoted_author_name.unwrap_or_default(), row.quoted_anon_alias),
        }),
        _ => None,
    };
    let counts = [
        (ReactionKind::Thanks, row.thanks_count),
        (ReactionKind::Helpful, row.helpful_count),
        (ReactionKind::MeToo, row.me_too_count),
    ];
    let reactions = counts
        .into_iter()
        .map(|(kind, count)| Reaction { kind, count, mine: row.my_reactions.contains(&kind) })
        .collect();
    PostView {
        id: row.id,
        seq: row.seq,
        is_own: row.author_id == reader_id,
        author: author(row.author_id, row.author_name, row.anon_alias),
        body_html: if row.deleted { String::new() } else { row.body_html },
        content_warning: if row.deleted { None } else { row.content_warning },
        quoted,
        reactions,
        edited: row.edit_count > 0,
        deleted: row.deleted,
        created_at: row.created_at,
    }
}

/// Splits a `ts_headline` snippet marked with \u{2} … \u{3} into (text, is_match) runs.
pub fn snippet_runs(snippet: &str) -> Vec<(String, bool)> {
    let mut runs = Vec::new();
    for (i, part) in snippet.split('\u{2}').enumerate() {
        if i == 0 {
            if !part.is_empty() {
                runs.push((part.to_owned(), false));
            }
            continue;
        }
        let (hit, rest) = part.split_once('\u{3}').unwrap_or((part, ""));
        if !hit.is_empty() {
            runs.push((hit.to_owned(), true));
        }
        if !rest.is_empty() {
            runs.push((rest.to_owned(), false));
        }
    }
    runs
}

pub fn search_hit(row: SearchRow) -> SearchHit {
    SearchHit {
        post_id: row.post_id,
        thread_id: row.thread_id,
        seq: row.seq,
        thread_title: row.thread_title,
        community_name: row.community_name,
        author: author(row.author_id, row.author_name, row.anon_alias),
        snippet: snippet_runs(&row.snippet),
        created_at: row.created_at,
    }
}

#[cfg(test)]
mod tests {
    use super::snippet_runs;

    #[test]
    fn snippets_split_into_marked_runs() {
        let runs = snippet_runs("before \u{2}match\u{3} after <b>x</b>");
        assert_eq!(
            runs,
            vec![("before ".into(), false), ("match".into(), true), (" after <b>x</b>".into(), false)]
        );
        assert_eq!(snippet_runs(""), vec![]);
    }
}
