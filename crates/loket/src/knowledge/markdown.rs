//! Article text is Markdown; what reaches a browser is HTML cleaned by ammonia, so a `<script>`,
//! an `onerror=` or a `javascript:` link typed into any article is neutralised, however it got in
//! (editor, API, import).

use pulldown_cmark::{Event, Options, Parser, TagEnd, html};

pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::clean(&raw)
}

/// The text of the Markdown without its markup (for the search index and its snippets): words
/// as they read, blocks on lines of their own, raw HTML left out.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let text = to_plain_text("## Kosten\n\n**Let op:** neem een [pasfoto](https://x.nl) mee.\n\n- legitimatie");
        assert_eq!(text, "Kosten\nLet op: neem een pasfoto mee.\nlegitimatie");
    }

    #[test]
    fn script_and_event_handlers_in_article_text_are_neutralised() {
        let html =
            to_safe_html("Hallo <script>alert(1)</script> <img src=x onerror=alert(2)> [klik](javascript:alert(3))");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn ordinary_markdown_survives() {
        let html = to_safe_html("**Let op:** neem uw *oude* paspoort mee.\n\n- pasfoto\n- legitimatie");
        assert!(html.contains("<strong>Let op:</strong>") && html.contains("<li>pasfoto</li>"), "{html}");
    }
}
