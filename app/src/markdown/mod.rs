//! The one renderer for everything people write: Markdown → HTML → allowlist sanitiser.
//!
//! Call it when content is written and store both the source and the returned HTML; only that
//! stored HTML may ever be given to `inner_html`. Raw HTML in the source is shown as text,
//! images become plain links (a remote image would tell its host who read the post), and
//! links get `rel="nofollow noopener ugc"`. Only http, https, mailto and relative URLs survive.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Longest source accepted by `render`; callers validate their own, smaller limits first.
pub const MAX_SOURCE_BYTES: usize = 100_000;

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener ugc"))
        .rm_tags(["img"])
        .strip_comments(true);
    b
});

/// Safe HTML for a piece of user Markdown.
pub fn render(source: &str) -> String {
    let source = truncate(source, MAX_SOURCE_BYTES);
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    let events = Parser::new_ext(source, options).map(|event| match event {
        // Raw HTML is shown as the text it is, never interpreted.
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    SANITISER.clean(&html).to_string()
}

/// Plain text of a piece of Markdown, for previews and search snippets.
pub fn plain_text(source: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(truncate(source, MAX_SOURCE_BYTES)) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableCell,
            ) => out.push(' '),
            _ => {}
        }
        if out.chars().count() > max_chars {
            break;
        }
    }
    let trimmed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if trimmed.chars().count() > max_chars {
        let cut: String = trimmed.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        trimmed
    }
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests;
