use super::*;

/// No executable or styling markup, no event handlers, no dangerous URL schemes.
fn assert_safe(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in
        ["<script", "<iframe", "<svg", "<math", "<style", "<form", "<object", "<embed", "<img", "<input"]
    {
        assert!(!lower.contains(tag), "{tag} survived in {html}");
    }
    for attr in [" on", "style=", "javascript:", "vbscript:", "data:"] {
        // ` on` as an attribute start: look inside tags only.
        for tag in lower.split('<').skip(1) {
            let inside = tag.split('>').next().unwrap_or("");
            if attr == " on" {
                assert!(
                    !inside.split_whitespace().skip(1).any(|a| a.starts_with("on")),
                    "event handler survived in {html}"
                );
            } else {
                assert!(!inside.contains(attr), "{attr} survived in {html}");
            }
        }
    }
}

#[test]
fn renders_ordinary_markdown() {
    let html = render("**Bold** and _soft_\n\n- one\n- two\n\n[guide](https://example.org/guide)");
    assert!(html.contains("<strong>Bold</strong>"));
    assert!(html.contains("<em>soft</em>"));
    assert!(html.contains("<li>one</li>"));
    assert!(html.contains(r#"<a href="https://example.org/guide" rel="nofollow noopener ugc">guide</a>"#));
}

#[test]
fn script_tags_are_shown_as_text() {
    let html = render("hello <script>alert(1)</script>");
    assert_safe(&html);
    assert!(html.contains("&lt;script&gt;"));
}

#[test]
fn raw_html_blocks_and_event_handlers() {
    for src in [
        "<img src=x onerror=alert(1)>",
        "<div onclick=\"alert(1)\">x</div>",
        "<svg onload=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<style>body{display:none}</style>",
        "<form action=/logout><button>x</button></form>",
    ] {
        assert_safe(&render(src));
    }
}

#[test]
fn dangerous_link_schemes_are_stripped() {
    for src in [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](&#106;avascript:alert(1))",
        "[x](java%0ascript:alert(1))",
        "[x]: javascript:alert(1)\n\n[x]",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    ] {
        let html = render(src);
        assert_safe(&html);
    }
}

#[test]
fn images_become_links_and_autolinks_work() {
    let html = render("![a chart](https://example.org/c.png)");
    assert!(!html.contains("<img"));
    assert!(html.contains(r#"href="https://example.org/c.png""#));
    let html = render("<https://example.org/x>");
    assert!(html.contains(r#"<a href="https://example.org/x" rel="nofollow noopener ugc">"#));
    let html = render("<mailto:help@example.org>");
    assert!(html.contains("mailto:help@example.org"));
}

#[test]
fn plain_text_is_short_and_tagless() {
    let text = plain_text("# Title\n\nSome **bold** words <b>raw</b> here", 200);
    assert_eq!(text, "Title Some bold words <b>raw</b> here");
    assert_eq!(plain_text("abcdefghij", 5), "abcd…");
}

/// The shared XSS corpus (../shared/testdata/xss), when present: every payload, as Markdown,
/// renders to something safe.
#[test]
fn shared_xss_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/xss");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("xss corpus not found at {}; skipping", dir.display());
        return;
    };
    let mut checked = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        match path.extension().and_then(|e| e.to_str()) {
            Some("txt") if !path.ends_with("SOURCES.txt") => {
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    assert_safe(&render(line));
                    checked += 1;
                }
            }
            Some("md") => {
                for block in text.split("\n\n") {
                    assert_safe(&render(block));
                    checked += 1;
                }
            }
            _ => {}
        }
    }
    assert!(checked > 0, "corpus folder present but empty");
}
