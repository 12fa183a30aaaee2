//! Markdown to blocks: comrak parses, the server highlights code and draws diagrams,
//! ammonia sanitises whatever HTML the author wrote.
//!
//! Code, diagrams and headings are produced by Cairn itself, so they are cut out of the
//! document before sanitising (as placeholder markers) and put back afterwards; widgets
//! split the page into blocks so each island sits exactly where the author put it.

use super::diagram::render_diagram;
use super::error::ContentErrorKind;
use super::highlight::Highlighter;
use super::links::{LinkTargets, Resolution};
use super::slug::AnchorRegistry;
use super::widget::parse_widget;
use app::model::{Block, Heading};
use comrak::nodes::{AstNode, NodeHtmlBlock, NodeValue};
use comrak::{format_html, parse_document, Arena, Options};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

/// A stretch of a page under one heading, as plain text for the search index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `None` for the text before the first heading.
    pub heading: Option<Heading>,
    pub text: String,
}

/// An anchor link to verify once every page's headings are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    pub slug: String,
    pub anchor: String,
    pub line: usize,
}

/// What rendering one Markdown body produced.
#[derive(Debug, Default, Clone)]
pub struct RenderedMarkdown {
    pub blocks: Vec<Block>,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    pub anchor_checks: Vec<AnchorCheck>,
    /// Problems with their 1-based line in the file.
    pub errors: Vec<(usize, ContentErrorKind)>,
    /// Text of a leading `#` heading, taken out of the body when asked to.
    pub leading_title: Option<String>,
    /// Plain text of the first paragraph, a fallback summary.
    pub first_paragraph: Option<String>,
}

/// Where a body comes from and what it may link to.
pub struct RenderInput<'a> {
    pub body: &'a str,
    /// Lines of the file before `body` starts (front matter).
    pub line_offset: usize,
    pub source_path: &'a str,
    pub own_slug: Option<&'a str>,
    pub targets: &'a LinkTargets,
    /// Use a leading `# Title` as the page title instead of showing it in the body.
    pub take_leading_title: bool,
}

/// Holds what is costly to build (grammars, sanitiser rules): one per catalogue load.
pub struct MarkdownRenderer {
    highlighter: Highlighter,
    sanitizer: ammonia::Builder<'static>,
    /// Drawn diagrams by (ASCII text, with arrow definitions): a renderer kept across reloads
    /// draws each diagram once, not on every save (svgbob is the costliest step of a load).
    diagrams: Mutex<HashMap<(String, bool), String>>,
    /// The last load's render of each file, by source path; `None` when not remembering
    /// (a server without `--watch` never loads twice, so it keeps no second copy).
    remembered: Option<Mutex<HashMap<String, Arc<RememberedRender>>>>,
}

/// A body rendered by an earlier load, with what its output depended on.
struct RememberedRender {
    /// Digest of the body and of every other input except the link targets.
    inputs: [u8; 32],
    /// Each link as written, and what it resolved to: what the render knew of other files.
    links: Vec<(String, Resolution)>,
    rendered: RenderedMarkdown,
}

impl Default for MarkdownRenderer {
    fn default() -> Self {
        MarkdownRenderer {
            highlighter: Highlighter::default(),
            sanitizer: sanitizer(),
            diagrams: Mutex::new(HashMap::new()),
            remembered: None,
        }
    }
}

/// Something Cairn generated that replaces a marker after sanitising.
enum Slot {
    Trusted(String),
    Widget(app::model::WidgetSpec),
}

impl MarkdownRenderer {
    fn diagram(&self, ascii: &str, include_defs: bool) -> String {
        let key = (ascii.to_string(), include_defs);
        let cache = |diagrams: &mut HashMap<(String, bool), String>| diagrams.get(&key).cloned();
        if let Some(svg) = cache(&mut self.diagrams.lock().unwrap_or_else(PoisonError::into_inner))
        {
            return svg;
        }
        let svg = render_diagram(ascii, include_defs);
        self.diagrams
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, svg.clone());
        svg
    }

    /// A renderer that remembers each file's render, so that the next load (a live
    /// reload) renders again only the files that changed.
    pub fn remembering() -> Self {
        MarkdownRenderer {
            remembered: Some(Mutex::new(HashMap::new())),
            ..MarkdownRenderer::default()
        }
    }

    /// Like [`MarkdownRenderer::render`], but when remembering, returns the last load's
    /// render of the same file if its body and inputs are the same and each of its links
    /// resolves as it did then (so a page added, removed or renamed elsewhere that a link
    /// points at makes it render again).
    pub fn render_remembered(&self, input: &RenderInput<'_>) -> RenderedMarkdown {
        let Some(remembered) = &self.remembered else {
            return self.render(input);
        };
        let inputs = input_digest(input);
        let earlier = remembered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(input.source_path)
            .cloned();
        if let Some(earlier) = earlier {
            let links_hold = earlier.links.iter().all(|(url, resolution)| {
                input
                    .targets
                    .resolve(url, input.source_path, input.own_slug)
                    == *resolution
            });
            if earlier.inputs == inputs && links_hold {
                return earlier.rendered.clone();
            }
        }
        let (rendered, links) = self.render_recording_links(input);
        remembered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                input.source_path.to_string(),
                Arc::new(RememberedRender {
                    inputs,
                    links,
                    rendered: rendered.clone(),
                }),
            );
        rendered
    }

    /// Forgets the renders of files not in `kept` (deleted or renamed since).
    pub fn forget_all_but(&self, kept: &HashSet<&str>) {
        if let Some(remembered) = &self.remembered {
            remembered
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|path, _| kept.contains(path.as_str()));
        }
    }

    pub fn render(&self, input: &RenderInput<'_>) -> RenderedMarkdown {
        self.render_recording_links(input).0
    }

    /// Renders `input`, and lists each link as written with what it resolved to.
    fn render_recording_links(
        &self,
        input: &RenderInput<'_>,
    ) -> (RenderedMarkdown, Vec<(String, Resolution)>) {
        let options = markdown_options(input.body);
        let arena = Arena::new();
        let root = parse_document(&arena, input.body, &options);
        let marker_prefix = marker_prefix(input.body);
        let mut out = RenderedMarkdown::default();
        let line = |node: &AstNode<'_>| node.data().sourcepos.start.line + input.line_offset;
        let mut links = Vec::new();

        // Links first, so headings rendered below already carry rewritten URLs.
        for node in root.descendants() {
            let mut data = node.data_mut();
            let is_image = matches!(data.value, NodeValue::Image(_));
            let node_line = data.sourcepos.start.line + input.line_offset;
            let (NodeValue::Link(link) | NodeValue::Image(link)) = &mut data.value else {
                continue;
            };
            let resolution = input
                .targets
                .resolve(&link.url, input.source_path, input.own_slug);
            links.push((link.url.clone(), resolution.clone()));
            match resolution {
                Resolution::External => {}
                Resolution::Asset { href } => link.url = href,
                Resolution::Internal { .. } if is_image => out.errors.push((
                    node_line,
                    ContentErrorKind::BrokenLink {
                        target: link.url.clone(),
                        problem: "an image must be a file, not a page".into(),
                    },
                )),
                Resolution::Internal { href, anchor_check } => {
                    if let Some((slug, anchor)) = anchor_check {
                        out.anchor_checks.push(AnchorCheck {
                            slug,
                            anchor,
                            line: node_line,
                        });
                    }
                    link.url = href;
                }
                Resolution::Broken(problem) => out.errors.push((
                    node_line,
                    ContentErrorKind::BrokenLink {
                        target: link.url.clone(),
                        problem,
                    },
                )),
            }
        }

        let mut slots: Vec<Slot> = Vec::new();
        let mut anchors = AnchorRegistry::default();
        let mut drew_diagram = false;
        let mut section_of_node: HashMap<usize, usize> = HashMap::new();
        let top_level: Vec<&AstNode<'_>> = root.children().collect();
        out.sections.push(Section {
            heading: None,
            text: String::new(),
        });

        for (position, node) in top_level.iter().enumerate() {
            let value = node.data().value.clone();
            if let NodeValue::Heading(heading) = &value {
                let text = plain_text(node);
                if position == 0 && heading.level == 1 && input.take_leading_title {
                    out.leading_title = Some(text);
                    node.detach();
                    continue;
                }
                if heading.level <= 3 {
                    out.sections.push(Section {
                        heading: None,
                        text: String::new(),
                    });
                }
            }
            if out.first_paragraph.is_none() && matches!(value, NodeValue::Paragraph) {
                out.first_paragraph = Some(plain_text(node));
            }
            section_of_node.insert(*node as *const _ as usize, out.sections.len() - 1);
            let index = out.sections.len() - 1;
            let text = plain_text(node);
            let section = &mut out.sections[index];
            if !section.text.is_empty() && !text.is_empty() {
                section.text.push(' ');
            }
            section.text.push_str(&text);
        }

        // Headings, code, diagrams and widgets, at any depth, become markers.
        let special: Vec<&AstNode<'_>> = root
            .descendants()
            .filter(|node| {
                matches!(
                    node.data().value,
                    NodeValue::Heading(_) | NodeValue::CodeBlock(_)
                )
            })
            .collect();
        for node in special {
            let node_line = line(node);
            let value = node.data().value.clone();
            let slot = match value {
                NodeValue::Heading(heading) => {
                    let text = plain_text(node);
                    let anchor = anchors.anchor_for(&text);
                    let mut inner = String::new();
                    if format_html(node, &options, &mut inner).is_err() {
                        inner = format!(
                            "<h{0}>{1}</h{0}>",
                            heading.level,
                            html_escape::encode_text(&text)
                        );
                    }
                    let clean = self.sanitizer.clean(&inner).to_string();
                    let record = Heading {
                        level: heading.level,
                        text,
                        anchor: anchor.clone(),
                    };
                    if heading.level <= 3
                        && node
                            .parent()
                            .is_some_and(|parent| parent.parent().is_none())
                    {
                        if let Some(index) = section_of_node.get(&(node as *const _ as usize)) {
                            out.sections[*index].heading = Some(record.clone());
                        }
                    }
                    out.headings.push(record);
                    while let Some(child) = node.first_child() {
                        child.detach();
                    }
                    Slot::Trusted(anchored_heading(&clean, heading.level, &anchor))
                }
                NodeValue::CodeBlock(code) => {
                    let info = code.info.trim();
                    let language = info.split_whitespace().next().unwrap_or("");
                    match language {
                        "widget" => {
                            let is_top_level = node
                                .parent()
                                .is_some_and(|parent| parent.parent().is_none());
                            match parse_widget(&code.literal) {
                                Ok(_) if !is_top_level => {
                                    out.errors.push((
                                        node_line,
                                        ContentErrorKind::WidgetParameter {
                                            kind: code.literal.split_whitespace().next().unwrap_or("widget").to_string(),
                                            problem: "a widget block must stand on its own, not inside a list or quote".into(),
                                        },
                                    ));
                                    node.detach();
                                    continue;
                                }
                                Ok(spec) => Slot::Widget(spec),
                                Err(kind) => {
                                    out.errors.push((node_line, kind));
                                    node.detach();
                                    continue;
                                }
                            }
                        }
                        "diagram" | "svgbob" | "bob" => {
                            let first = !drew_diagram;
                            drew_diagram = true;
                            Slot::Trusted(self.diagram(&code.literal, first))
                        }
                        _ => Slot::Trusted(self.highlighter.highlight(&code.literal, language)),
                    }
                }
                _ => continue,
            };
            let marker = format!("{marker_prefix}{}e", slots.len());
            slots.push(slot);
            node.data_mut().value = NodeValue::HtmlBlock(NodeHtmlBlock {
                block_type: 6,
                literal: format!("<p>{marker}</p>\n"),
            });
        }

        let mut html = String::new();
        if format_html(root, &options, &mut html).is_err() {
            html.clear();
        }
        let clean = scrollable_tables(&self.sanitizer.clean(&html).to_string());
        out.blocks = assemble(&clean, &marker_prefix, slots);
        out.sections
            .retain(|section| section.heading.is_some() || !section.text.trim().is_empty());
        // Held until the whole catalogue is rendered and indexed: without the spare
        // capacity left by growing them.
        for block in &mut out.blocks {
            if let Block::Html(html) = block {
                html.shrink_to_fit();
            }
        }
        for section in &mut out.sections {
            section.text.shrink_to_fit();
        }
        (out, links)
    }
}

/// Digest of everything a render depends on besides the link targets.
fn input_digest(input: &RenderInput<'_>) -> [u8; 32] {
    let mut digest = Sha256::new();
    // The fixed-size fields first, in a form that ends unambiguously, then the body.
    digest.update(
        format!(
            "{:?}",
            (
                input.line_offset,
                input.source_path,
                input.own_slug,
                input.take_leading_title
            )
        )
        .as_bytes(),
    );
    digest.update(input.body.as_bytes());
    digest.finalize().into()
}

/// Puts generated HTML back in place of its markers and splits at widgets.
fn assemble(clean: &str, marker_prefix: &str, slots: Vec<Slot>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut rest = clean;
    let mut slots: Vec<Option<Slot>> = slots.into_iter().map(Some).collect();
    let opening = format!("<p>{marker_prefix}");
    while let Some(start) = rest.find(&opening) {
        let after = &rest[start + opening.len()..];
        let Some(end) = after.find("e</p>") else {
            break;
        };
        let Ok(index) = after[..end].parse::<usize>() else {
            break;
        };
        current.push_str(&rest[..start]);
        rest = &after[end + "e</p>".len()..];
        match slots.get_mut(index).and_then(Option::take) {
            Some(Slot::Trusted(html)) => current.push_str(&html),
            Some(Slot::Widget(spec)) => {
                if !current.trim().is_empty() {
                    blocks.push(Block::Html(std::mem::take(&mut current)));
                }
                current.clear();
                blocks.push(Block::Widget(spec));
            }
            None => {}
        }
    }
    current.push_str(rest);
    if !current.trim().is_empty() {
        blocks.push(Block::Html(current));
    }
    blocks
}

/// Wraps each table in a focusable scroll region, so a wide table scrolls on a phone
/// instead of widening the page, and keyboard users can scroll it too.
///
/// Safe as plain text replacement: the sanitiser allows no attributes on `<table>`.
fn scrollable_tables(clean: &str) -> String {
    clean
        .replace(
            "<table>",
            "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\"><table>",
        )
        .replace("</table>", "</table></div>")
}

/// Adds the anchor id and a self-link to a sanitised `<hN>…</hN>`.
fn anchored_heading(clean: &str, level: u8, anchor: &str) -> String {
    let open = format!("<h{level}>");
    let close = format!("</h{level}>");
    let inner = clean
        .trim()
        .strip_prefix(&open)
        .and_then(|rest| rest.strip_suffix(&close))
        .unwrap_or(clean.trim());
    format!(
        "<h{level} id=\"{anchor}\">{inner} <a class=\"heading-anchor\" href=\"#{anchor}\" aria-label=\"Link to this section\">#</a></h{level}>\n",
        anchor = html_escape::encode_double_quoted_attribute(anchor)
    )
}

/// A marker prefix that does not occur in the author's text, so text can never forge one.
fn marker_prefix(body: &str) -> String {
    (0u64..)
        .map(|nonce| format!("cairnslot{nonce}x"))
        .find(|prefix| !body.contains(prefix.as_str()))
        .unwrap_or_else(|| "cairnslotx".to_string())
}

/// comrak's options for `body`.
fn markdown_options(body: &str) -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    // Every footnote reference and definition starts with "[^". Without one in the text the
    // extension would change nothing, yet it still walks the whole tree twice after the
    // parse: on a long page of brackets that is a third of the time.
    options.extension.footnotes = body.contains("[^");
    // Raw HTML is let through comrak on purpose: ammonia decides what survives.
    options.render.r#unsafe = true;
    options
}

/// The text a reader sees in `node`, for search and table of contents.
pub fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    for descendant in node.descendants() {
        match &descendant.data().value {
            NodeValue::Text(value) => text.push_str(value),
            NodeValue::Code(code) => text.push_str(&code.literal),
            NodeValue::CodeBlock(code) => {
                let language = code.info.split_whitespace().next().unwrap_or("");
                if !matches!(language, "widget" | "diagram" | "svgbob" | "bob") {
                    push_spaced(&mut text, &code.literal);
                }
            }
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            NodeValue::Paragraph
            | NodeValue::Heading(_)
            | NodeValue::Item(_)
            | NodeValue::TableCell => push_spaced(&mut text, ""),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ")
}

fn push_spaced(text: &mut String, value: &str) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
    text.push_str(value);
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["details", "summary", "section", "input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("a", ["id"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("sup", ["id"])
        .add_allowed_classes("sup", ["footnote-ref"])
        .add_allowed_classes("a", ["footnote-backref"])
        .add_allowed_classes("section", ["footnotes"])
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Only footnote ids, so author HTML cannot clobber the page's own ids.
            (_, "id") => is_footnote_id(value).then(|| Cow::Owned(value.to_string())),
            ("input", "type") => (value == "checkbox").then(|| Cow::Owned(value.to_string())),
            _ => Some(Cow::Owned(value.to_string())),
        });
    builder
}

fn is_footnote_id(value: &str) -> bool {
    ["fn-", "fnref-"].iter().any(|prefix| {
        value.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_'))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::WidgetKind;

    fn targets() -> LinkTargets {
        let mut targets = LinkTargets::default();
        targets.pages.insert("cache-aside".into());
        targets.files.insert(
            "caching/cache-aside.md".into(),
            "/patterns/cache-aside".into(),
        );
        targets.categories.insert("caching".into());
        targets
    }

    fn render(body: &str) -> RenderedMarkdown {
        let targets = targets();
        MarkdownRenderer::default().render(&RenderInput {
            body,
            line_offset: 0,
            source_path: "caching/page.md",
            own_slug: Some("page"),
            targets: &targets,
            take_leading_title: false,
        })
    }

    fn html_of(rendered: &RenderedMarkdown) -> String {
        rendered
            .blocks
            .iter()
            .map(|block| match block {
                Block::Html(html) => html.clone(),
                Block::Widget(spec) => format!("[widget {}]\n", spec.kind.name()),
            })
            .collect()
    }

    #[test]
    fn a_remembered_render_is_reused_only_while_its_body_and_links_are_the_same() {
        let renderer = MarkdownRenderer::remembering();
        let render = |body: &str, targets: &LinkTargets| {
            renderer.render_remembered(&RenderInput {
                body,
                line_offset: 3,
                source_path: "caching/page.md",
                own_slug: Some("page"),
                targets,
                take_leading_title: false,
            })
        };
        let mut targets = targets();
        let body = "See [the pattern](cache-aside.md).\n";
        let first = render(body, &targets);
        assert!(first.errors.is_empty(), "{:?}", first.errors);
        assert!(html_of(&first).contains("href=\"/patterns/cache-aside\""));
        assert_eq!(html_of(&render(body, &targets)), html_of(&first));

        let edited = render("See [the other](cache-aside.md) one.\n", &targets);
        assert!(
            html_of(&edited).contains("the other"),
            "{}",
            html_of(&edited)
        );

        // The same body, but the page it links to is gone: rendered again, and reported.
        targets.files.remove("caching/cache-aside.md");
        let orphaned = render("See [the other](cache-aside.md) one.\n", &targets);
        assert_eq!(orphaned.errors.len(), 1, "{:?}", orphaned.errors);
        assert_eq!(orphaned.errors[0].0, 4, "the line counts the front matter");
    }

    #[test]
    fn hostile_html_never_survives() {
        let body = r#"Hello <script>alert(1)</script> world.

<img src="x.png" onerror="alert(1)"> and <a href="JaVaScRiPt:alert(1)">click</a>

[markdown link](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)

<iframe src="https://evil.example"></iframe>
<svg onload="alert(1)"><script>alert(2)</script></svg>
<style>body { display: none }</style>
<div style="background:url(javascript:alert(1))" onclick="alert(1)">styled</div>
<p id="main">clobber</p>
<details><summary>Question?</summary>

Answer with **bold**.

</details>
"#;
        let rendered = render(body);
        assert!(rendered.errors.is_empty(), "{:?}", rendered.errors);
        let html = html_of(&rendered);
        for forbidden in [
            "<script",
            "onerror",
            "onclick",
            "onload",
            "javascript:",
            "JaVaScRiPt",
            "<iframe",
            "<style",
            "style=",
            "data:text",
            "id=\"main\"",
        ] {
            assert!(
                !html.contains(forbidden),
                "`{forbidden}` survived in:\n{html}"
            );
        }
        assert!(
            html.contains("<details><summary>Question?</summary>"),
            "{html}"
        );
        insta::assert_snapshot!(html);
    }

    #[test]
    fn renders_github_flavoured_markdown() {
        let body = "| Tier | Latency |\n|:-----|------:|\n| RAM | 100 ns |\n\n~~gone~~ and https://redis.io/docs auto-linked.\n\n- [x] done\n- [ ] to do\n\nA claim.[^1]\n\n[^1]: The source.\n";
        let html = html_of(&render(body));
        assert!(html.contains("<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\"><table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(html.contains("<a href=\"https://redis.io/docs\""), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(
            html.contains("id=\"fn-1\""),
            "footnote targets keep their ids: {html}"
        );
        insta::assert_snapshot!(html);
    }

    #[test]
    fn footnotes_are_only_parsed_where_the_text_could_hold_one() {
        // Without "[^" the extension changes nothing: the same HTML with it on or off.
        for body in [
            "[[[[ ![ ]( [a] [b](c) [d]: /e\n\n[d] and ^[x] [ ^ ]\n",
            "A claim.[1]\n\n[1]: https://example.com\n",
        ] {
            let options = markdown_options(body);
            assert!(!options.extension.footnotes);
            let mut with_footnotes = options.clone();
            with_footnotes.extension.footnotes = true;
            assert_eq!(
                comrak::markdown_to_html(body, &options),
                comrak::markdown_to_html(body, &with_footnotes)
            );
        }
        assert!(
            markdown_options("A claim.[^1]\n\n[^1]: The source.\n")
                .extension
                .footnotes
        );
    }

    #[test]
    fn headings_get_stable_anchors_sections_and_a_toc() {
        let body = "Intro text.\n\n## The problem\n\nCaches go *cold*.\n\n### A `detail`\n\nMore.\n\n## The problem\n\nAgain.\n";
        let rendered = render(body);
        let anchors: Vec<&str> = rendered
            .headings
            .iter()
            .map(|h| h.anchor.as_str())
            .collect();
        assert_eq!(anchors, vec!["the-problem", "a-detail", "the-problem-2"]);
        assert_eq!(rendered.headings[1].text, "A detail");
        let html = html_of(&rendered);
        assert!(html.contains("<h2 id=\"the-problem\">The problem <a class=\"heading-anchor\" href=\"#the-problem\""), "{html}");
        assert!(
            html.contains("<h3 id=\"a-detail\">A <code>detail</code>"),
            "{html}"
        );
        let sections: Vec<(Option<&str>, &str)> = rendered
            .sections
            .iter()
            .map(|s| {
                (
                    s.heading.as_ref().map(|h| h.anchor.as_str()),
                    s.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            sections,
            vec![
                (None, "Intro text."),
                (Some("the-problem"), "The problem Caches go cold."),
                (Some("a-detail"), "A detail More."),
                (Some("the-problem-2"), "The problem Again."),
            ]
        );
        assert_eq!(rendered.first_paragraph.as_deref(), Some("Intro text."));
    }

    #[test]
    fn widgets_split_the_page_where_the_author_put_them() {
        let body = "Before.\n\n```widget\ncircuit-breaker failures=5\n```\n\nAfter.\n";
        let rendered = render(body);
        assert_eq!(rendered.blocks.len(), 3, "{:?}", rendered.blocks);
        assert!(matches!(&rendered.blocks[0], Block::Html(html) if html.contains("Before.")));
        match &rendered.blocks[1] {
            Block::Widget(spec) => {
                assert_eq!(spec.kind, WidgetKind::CircuitBreaker);
                assert_eq!(spec.params, vec![("failures".to_string(), "5".to_string())]);
            }
            other => panic!("expected a widget, got {other:?}"),
        }
        assert!(matches!(&rendered.blocks[2], Block::Html(html) if html.contains("After.")));
    }

    #[test]
    fn bad_widgets_and_links_are_errors_on_their_file_line() {
        let body = "Text.\n\n```widget\nlava-lamp\n```\n\n- item\n\n  ```widget\n  estimate preset=twitter\n  ```\n\nSee [gone](/patterns/gone) and [ok](../caching/cache-aside.md#numbers).\n";
        let targets = targets();
        let rendered = MarkdownRenderer::default().render(&RenderInput {
            body,
            line_offset: 10,
            source_path: "caching/page.md",
            own_slug: Some("page"),
            targets: &targets,
            take_leading_title: false,
        });
        let lines: Vec<usize> = rendered.errors.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![23, 13, 19], "{:?}", rendered.errors);
        assert!(matches!(
            rendered.errors[0].1,
            ContentErrorKind::BrokenLink { .. }
        ));
        assert!(matches!(
            rendered.errors[1].1,
            ContentErrorKind::UnknownWidget { .. }
        ));
        assert!(rendered.errors[2]
            .1
            .to_string()
            .contains("stand on its own"));
        assert_eq!(
            rendered.anchor_checks,
            vec![AnchorCheck {
                slug: "cache-aside".into(),
                anchor: "numbers".into(),
                line: 23
            }]
        );
        assert!(html_of(&rendered).contains("href=\"/patterns/cache-aside#numbers\""));
    }

    #[test]
    fn code_and_diagrams_are_rendered_on_the_server() {
        let body = "```python\ndef get(key):\n    return cache.get(key)\n```\n\n```diagram\n+-----+   +----+\n| App |-->| DB |\n+-----+   +----+\n```\n";
        let html = html_of(&render(body));
        assert!(
            html.contains("<pre class=\"code\" tabindex=\"0\" data-lang=\"python\">"),
            "{html}"
        );
        assert!(html.contains("hl-keyword"), "{html}");
        assert!(html.contains("<figure class=\"diagram\""), "{html}");
        assert!(html.contains("<svg"), "{html}");
    }

    #[test]
    fn author_text_cannot_forge_a_placeholder_marker() {
        let body = "<p>cairnslot0x0e</p>\n\ncairnslot0x0e\n\n```rust\nlet x = 1;\n```\n";
        let html = html_of(&render(body));
        assert_eq!(html.matches("cairnslot0x0e").count(), 2, "{html}");
        assert_eq!(html.matches("<pre class=\"code\"").count(), 1, "{html}");
    }

    #[test]
    fn a_leading_title_can_become_the_page_title() {
        let targets = targets();
        let rendered = MarkdownRenderer::default().render(&RenderInput {
            body: "# Runbook: failover\n\nFirst paragraph.\n",
            line_offset: 0,
            source_path: "team/runbook.md",
            own_slug: Some("runbook"),
            targets: &targets,
            take_leading_title: true,
        });
        assert_eq!(rendered.leading_title.as_deref(), Some("Runbook: failover"));
        assert!(!html_of(&rendered).contains("<h1"));
    }
}
