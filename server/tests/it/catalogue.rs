//! The built-in catalogue keeps its promises: every listed topic has a page, pattern pages
//! follow the template, worked designs work out their numbers, paths exist.

use server::catalogue::source::builtin_files;
use server::catalogue::{load_catalogue, Catalogue};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Topics {
    areas: BTreeMap<String, Vec<String>>,
    sections: BTreeMap<String, Vec<String>>,
    paths: PathRule,
}

#[derive(serde::Deserialize)]
struct PathRule {
    minimum: usize,
}

const PATTERN_TEMPLATE: [&str; 9] = [
    "The problem",
    "How it works",
    "Trade-offs",
    "When to use it",
    "Failure modes",
    "Numbers",
    "In practice",
    "Related",
    "Check yourself",
];
const DESIGN_TEMPLATE: [&str; 5] = [
    "Requirements",
    "Estimates",
    "High-level design",
    "Deep dive",
    "Trade-offs",
];

fn catalogue() -> Catalogue {
    load_catalogue(builtin_files()).unwrap_or_else(|errors| panic!("{errors}"))
}

fn topics() -> Topics {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/topics.toml");
    let text = std::fs::read_to_string(&path).expect("content/topics.toml exists");
    toml::from_str(&text).expect("content/topics.toml is valid")
}

#[test]
fn every_promised_topic_has_a_page_in_its_category() {
    let catalogue = catalogue();
    let topics = topics();
    let mut missing = Vec::new();
    for (area, slugs) in &topics.areas {
        for slug in slugs {
            match catalogue.page(slug) {
                Some(entry) if entry.page.category == *area => {}
                Some(entry) => {
                    missing.push(format!("{slug} is in {} not {area}", entry.page.category))
                }
                None => missing.push(format!("{area}/{slug}.md is missing")),
            }
        }
        assert!(
            catalogue
                .category(area)
                .is_some_and(|c| !c.blocks.is_empty()),
            "{area} has an overview"
        );
    }
    for (slug, anchors) in &topics.sections {
        let page = &catalogue.page(slug).expect("page with sections").page;
        for anchor in anchors {
            if !page
                .headings
                .iter()
                .any(|heading| &heading.anchor == anchor)
            {
                missing.push(format!("{slug}#{anchor} is missing"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(
        catalogue.paths().len() >= topics.paths.minimum,
        "at least {} learning paths",
        topics.paths.minimum
    );
}

#[test]
fn pattern_pages_follow_the_template_in_order() {
    let mut problems = Vec::new();
    for entry in catalogue().pages() {
        let page = &entry.page;
        let template: &[&str] = if page.category == "worked-designs" {
            &DESIGN_TEMPLATE
        } else {
            &PATTERN_TEMPLATE
        };
        let sections: Vec<&str> = page
            .headings
            .iter()
            .filter(|heading| heading.level == 2)
            .map(|heading| heading.text.as_str())
            .collect();
        let mut last = None;
        for wanted in template {
            match sections.iter().position(|section| section == wanted) {
                None => problems.push(format!("{}: no `## {wanted}`", page.source_path)),
                Some(index) if last.is_some_and(|last| index < last) => problems.push(format!(
                    "{}: `## {wanted}` is out of order",
                    page.source_path
                )),
                Some(index) => last = Some(index),
            }
        }
        let has_diagram = page.blocks.iter().any(|block| {
            matches!(block, app::model::Block::Html(html) if html.contains("<figure class=\"diagram\""))
        });
        if !has_diagram {
            problems.push(format!("{}: no diagram", page.source_path));
        }
        if page.summary.is_empty() || page.level.is_none() {
            problems.push(format!("{}: needs a summary and a level", page.source_path));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn worked_designs_work_out_their_estimates() {
    let catalogue = catalogue();
    let mut problems = Vec::new();
    for entry in catalogue
        .pages()
        .filter(|entry| entry.page.category == "worked-designs")
    {
        let estimates = entry.sections.iter().find(|section| {
            section
                .heading
                .as_ref()
                .is_some_and(|h| h.text == "Estimates")
        });
        let Some(estimates) = estimates else {
            problems.push(format!("{}: no Estimates section", entry.page.slug));
            continue;
        };
        let text = &estimates.text;
        let rates = ["/s", "per second", "QPS"]
            .iter()
            .any(|unit| text.contains(unit));
        let sizes = ["TB", "GB", "PB", "MB"]
            .iter()
            .any(|unit| text.contains(unit));
        let worked = text.contains('≈') || text.contains('=') || text.contains('×');
        if !(rates && sizes && worked) {
            problems.push(format!(
                "{}: Estimates must work out rates (per second), sizes (GB/TB) and show the arithmetic",
                entry.page.slug
            ));
        }
        if !entry.page.has_widgets() {
            problems.push(format!(
                "{}: embeds no estimate calculator",
                entry.page.slug
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn check_yourself_answers_are_hidden() {
    let mut problems = Vec::new();
    for entry in catalogue().pages() {
        let html: String = entry
            .page
            .blocks
            .iter()
            .filter_map(|block| match block {
                app::model::Block::Html(html) => Some(html.as_str()),
                app::model::Block::Widget(_) => None,
            })
            .collect();
        let questions = html.matches("<summary>").count();
        if !(2..=6).contains(&questions) {
            problems.push(format!(
                "{}: {questions} check-yourself questions",
                entry.page.slug
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
