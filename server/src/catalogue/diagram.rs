//! ASCII diagrams (```` ```diagram ```` blocks) drawn as inline SVG with svgbob.
//!
//! The SVG carries no colours of its own: the stylesheet colours it from the theme, so a
//! diagram reads the same in light and dark.

/// Renders an ASCII diagram to a `<figure>` holding the SVG and a text description.
///
/// The arrow-head markers are defined once per page (`include_defs` on the first diagram
/// only): later diagrams refer to the same ids, and a page never repeats an id.
pub fn render_diagram(ascii: &str, include_defs: bool) -> String {
    let settings = svgbob::Settings {
        include_backdrop: false,
        include_styles: false,
        include_defs,
        ..svgbob::Settings::default()
    };
    // Tabs would shift svgbob's grid; authors are told to use spaces, this keeps stray ones harmless.
    let ascii = ascii.replace('\t', "    ");
    let svg = scalable(&svgbob::to_svg_with_settings(&ascii, &settings));
    let label = describe(&ascii);
    format!(
        "<figure class=\"diagram\" role=\"img\" aria-label=\"{}\">{svg}</figure>",
        html_escape::encode_double_quoted_attribute(&label)
    )
}

/// Adds a `viewBox` so the stylesheet can shrink the drawing on narrow screens instead
/// of cropping it.
fn scalable(svg: &str) -> String {
    let attribute = |name: &str| -> Option<String> {
        let start = svg.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = start + svg[start..].find('"')?;
        Some(svg[start..end].to_string())
    };
    match (attribute("width"), attribute("height")) {
        (Some(width), Some(height)) => svg.replacen(
            "<svg ",
            &format!("<svg viewBox=\"0 0 {width} {height}\" "),
            1,
        ),
        _ => svg.to_string(),
    }
}

/// A text alternative: the words written in the diagram, in reading order.
fn describe(ascii: &str) -> String {
    let words: Vec<&str> = ascii
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '\'' || ch == '%' || ch == '.'))
        .map(|word| word.trim_matches('.').trim_matches('\''))
        .filter(|word| word.chars().any(char::is_alphanumeric) && word.len() > 1)
        .collect();
    if words.is_empty() {
        "Diagram".to_string()
    } else {
        format!("Diagram: {}", words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_boxes_and_arrows_as_svg() {
        let html = render_diagram(
            "+-----+     +----+\n| App |---->| DB |\n+-----+     +----+\n",
            true,
        );
        assert!(html.starts_with("<figure class=\"diagram\""), "{html}");
        assert!(html.contains("<svg"), "{html}");
        assert!(html.contains("aria-label=\"Diagram: App DB\""), "{html}");
        assert!(
            !html.contains("<style"),
            "styles come from the site's CSS: {html}"
        );
        assert!(
            html.contains("viewBox=\"0 0 "),
            "scales on small screens: {html}"
        );
    }

    #[test]
    fn text_in_a_diagram_cannot_inject_markup() {
        let html = render_diagram(
            "+--------------------------+\n| <script>alert(1)</script> |\n| \"<img src=x onerror=alert(1)>\" |\n+--------------------------+\n",
            false,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<defs>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }
}
