//! Loading: files → checked front matter → rendered pages → cross-checked catalogue.
//!
//! Every problem is collected (not just the first), each naming its file and line.

use super::error::{ContentError, ContentErrorKind, ContentErrors};
use super::front_matter::{field_line, split_front_matter, FrontMatter};
use super::links::LinkTargets;
use super::markdown::{AnchorCheck, MarkdownRenderer, RenderInput};
use super::slug::slugify;
use super::source::SourceFile;
use super::{Catalogue, CataloguePage};
use app::model::{Category, LearningPath, Level, Page, PathStep};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a file is, decided by where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileRole {
    Page { slug: String },
    CategoryOverview { category: String },
    Path { slug: String },
}

/// A file after its front matter is read, before its body is rendered.
struct Draft {
    path: String,
    role: FileRole,
    category: String,
    text: String,
    front_matter: FrontMatter,
    front_matter_text: String,
    body_start: usize,
    body_line_offset: usize,
}

/// Loads and checks a set of content files into a catalogue.
pub fn load_catalogue(files: Vec<SourceFile>) -> Result<Catalogue, ContentErrors> {
    load_catalogue_with_assets(files, HashSet::new())
}

/// Loads a set of content files whose links may also point at `assets`: the other files
/// (images, PDFs) of a team's content folder, by path relative to its root.
pub fn load_catalogue_with_assets(
    files: Vec<SourceFile>,
    assets: HashSet<String>,
) -> Result<Catalogue, ContentErrors> {
    load_catalogue_with(files, assets, &MarkdownRenderer::default())
}

/// Like [`load_catalogue_with_assets`], rendering with `renderer`: a server keeps one for
/// its whole life, so a reload reuses its compiled highlighting rules and drawn diagrams.
pub fn load_catalogue_with(
    files: Vec<SourceFile>,
    assets: HashSet<String>,
    renderer: &MarkdownRenderer,
) -> Result<Catalogue, ContentErrors> {
    let mut errors: Vec<ContentError> = Vec::new();
    let mut report = |file: &str, line: usize, kind: ContentErrorKind| {
        errors.push(ContentError {
            file: file.to_string(),
            line,
            kind,
        })
    };

    // 1. Read every file's front matter and decide what it is.
    let mut drafts: Vec<Draft> = Vec::new();
    for file in files {
        let Some(role) = role_of(&file.path) else {
            continue;
        };
        let text = match String::from_utf8(file.bytes) {
            Ok(text) => text,
            Err(_) => {
                report(&file.path, 1, ContentErrorKind::NotUtf8);
                continue;
            }
        };
        let split = match split_front_matter(&text) {
            Ok(split) => split,
            Err((line, kind)) => {
                report(&file.path, line, kind);
                continue;
            }
        };
        let front_matter_text = split.front_matter_text.to_string();
        let body_start = text.len() - split.body.len();
        let body_line_offset = split.body_line_offset;
        let front_matter = split.front_matter;
        let folder = file
            .path
            .split('/')
            .next()
            .filter(|_| file.path.contains('/'));
        let category = match (&role, &front_matter.category) {
            (FileRole::CategoryOverview { category }, _) => category.clone(),
            (_, Some(category)) => category.trim().to_string(),
            (_, None) => folder.unwrap_or("general").to_string(),
        };
        if let FileRole::Page { slug } = &role {
            if slugify(slug) != *slug {
                report(
                    &file.path,
                    1,
                    ContentErrorKind::FrontMatterField {
                        field: "file name".into(),
                        problem: format!(
                            "`{slug}` is not a URL slug: rename the file to `{}.md` (lowercase letters, digits and dashes)",
                            slugify(slug)
                        ),
                    },
                );
            }
        }
        if slugify(&category) != category {
            report(
                &file.path,
                field_line(&front_matter_text, "category"),
                ContentErrorKind::FrontMatterField {
                    field: "category".into(),
                    problem: format!(
                        "`{category}` must be lowercase letters, digits and dashes, e.g. `{}`",
                        slugify(&category)
                    ),
                },
            );
        }
        drafts.push(Draft {
            path: file.path,
            role,
            category,
            text,
            front_matter,
            front_matter_text,
            body_start,
            body_line_offset,
        });
    }

    // 2. Everything a link may point at.
    let mut targets = LinkTargets {
        assets,
        ..LinkTargets::default()
    };
    let mut slug_owner: HashMap<String, String> = HashMap::new();
    for draft in &drafts {
        let site_path = match &draft.role {
            FileRole::Page { slug } => {
                if let Some(other) = slug_owner.insert(slug.clone(), draft.path.clone()) {
                    report(
                        &draft.path,
                        1,
                        ContentErrorKind::DuplicateSlug {
                            slug: slug.clone(),
                            other,
                        },
                    );
                }
                targets.pages.insert(slug.clone());
                targets.categories.insert(draft.category.clone());
                format!("/patterns/{slug}")
            }
            FileRole::CategoryOverview { category } => {
                targets.categories.insert(category.clone());
                format!("/categories/{category}")
            }
            FileRole::Path { slug } => {
                targets.paths.insert(slug.clone());
                format!("/paths/{slug}")
            }
        };
        targets.files.insert(draft.path.clone(), site_path);
    }

    // 3. Check the fields and render every body.
    let mut pages: BTreeMap<String, CataloguePage> = BTreeMap::new();
    let mut overviews: HashMap<String, (Draft, Vec<app::model::Block>)> = HashMap::new();
    let mut path_drafts: Vec<(Draft, Vec<app::model::Block>, String)> = Vec::new();
    let mut anchor_checks: Vec<(String, AnchorCheck)> = Vec::new();
    let mut headings_by_slug: HashMap<String, HashSet<String>> = HashMap::new();
    // Rendering is the costly part of a load, and each body renders on its own: on every core.
    let renders: Vec<_> = drafts
        .par_iter()
        .map(|draft| {
            let own_slug = match &draft.role {
                FileRole::Page { slug } => Some(slug.as_str()),
                _ => None,
            };
            renderer.render_remembered(&RenderInput {
                body: &draft.text[draft.body_start..],
                line_offset: draft.body_line_offset,
                source_path: &draft.path,
                own_slug,
                targets: &targets,
                take_leading_title: draft.front_matter.title.is_none(),
            })
        })
        .collect();
    renderer.forget_all_but(&drafts.iter().map(|draft| draft.path.as_str()).collect());
    for (draft, rendered) in drafts.into_iter().zip(renders) {
        for (line, kind) in rendered.errors {
            report(&draft.path, line, kind);
        }
        anchor_checks.extend(
            rendered
                .anchor_checks
                .into_iter()
                .map(|check| (draft.path.clone(), check)),
        );
        let title = draft
            .front_matter
            .title
            .clone()
            .map(|title| title.trim().to_string())
            .filter(|title| !title.is_empty())
            .or(rendered.leading_title.clone());
        let summary = draft
            .front_matter
            .summary
            .clone()
            .map(|summary| summary.trim().to_string())
            .or(rendered.first_paragraph.clone())
            .unwrap_or_default();
        let fm = &draft.front_matter;
        let field_error = |field: &str, problem: String| {
            (
                field_line(&draft.front_matter_text, field),
                ContentErrorKind::FrontMatterField {
                    field: field.to_string(),
                    problem,
                },
            )
        };
        match draft.role.clone() {
            FileRole::Page { slug } => {
                let Some(title) = title else {
                    report(&draft.path, 1, ContentErrorKind::MissingTitle);
                    continue;
                };
                let level = match fm.level.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(text) => match Level::parse(text) {
                        Some(level) => Some(level),
                        None => {
                            let (line, kind) = field_error(
                                "level",
                                format!("is `{text}`; use one of intro, intermediate, advanced"),
                            );
                            report(&draft.path, line, kind);
                            None
                        }
                    },
                };
                for related in &fm.related {
                    if !targets.pages.contains(related) {
                        let (line, kind) = field_error(
                            "related",
                            format!("names `{related}`, which is not a page slug"),
                        );
                        report(&draft.path, line, kind);
                    }
                }
                headings_by_slug.insert(
                    slug.clone(),
                    rendered.headings.iter().map(|h| h.anchor.clone()).collect(),
                );
                let page = Page {
                    slug: slug.clone(),
                    title,
                    summary,
                    category: draft.category.clone(),
                    tags: clean_list(&fm.tags),
                    aliases: clean_list(&fm.aliases),
                    related: fm.related.clone(),
                    level,
                    order: fm.order,
                    source_path: draft.path.clone(),
                    blocks: rendered.blocks,
                    headings: rendered.headings,
                };
                pages.insert(
                    slug.clone(),
                    CataloguePage {
                        page,
                        sections: rendered.sections,
                    },
                );
            }
            FileRole::CategoryOverview { category } => {
                let title = title.unwrap_or_else(|| title_case(&category));
                let mut draft = draft;
                draft.front_matter.title = Some(title);
                draft.front_matter.summary = Some(summary);
                overviews.insert(category, (draft, rendered.blocks));
            }
            FileRole::Path { .. } => {
                let Some(title) = title else {
                    report(&draft.path, 1, ContentErrorKind::MissingTitle);
                    continue;
                };
                path_drafts.push((draft, rendered.blocks, title));
            }
        }
    }

    // 4. Anchors, now that every page's headings are known.
    for (file, check) in anchor_checks {
        let known = headings_by_slug
            .get(&check.slug)
            .is_some_and(|anchors| anchors.contains(&check.anchor));
        if !known && pages.contains_key(&check.slug) {
            report(
                &file,
                check.line,
                ContentErrorKind::BrokenLink {
                    target: format!("/patterns/{}#{}", check.slug, check.anchor),
                    problem: format!(
                        "the page `{}` has no heading with the anchor `{}`",
                        check.slug, check.anchor
                    ),
                },
            );
        }
    }

    // 5. Categories and paths, in reading order.
    let mut category_names: Vec<String> = pages
        .values()
        .map(|page| page.page.category.clone())
        .chain(overviews.keys().cloned())
        .collect();
    category_names.sort();
    category_names.dedup();
    let mut categories: Vec<Category> = category_names
        .into_iter()
        .map(|name| {
            let mut members: Vec<&Page> = pages
                .values()
                .map(|page| &page.page)
                .filter(|page| page.category == name)
                .collect();
            members.sort_by(|a, b| {
                (a.order.unwrap_or(i64::MAX), &a.title)
                    .cmp(&(b.order.unwrap_or(i64::MAX), &b.title))
            });
            let links = members.iter().map(|page| page.link()).collect();
            match overviews.remove(&name) {
                Some((draft, blocks)) => Category {
                    title: draft
                        .front_matter
                        .title
                        .unwrap_or_else(|| title_case(&name)),
                    summary: draft.front_matter.summary.unwrap_or_default(),
                    order: draft.front_matter.order,
                    source_path: Some(draft.path),
                    blocks,
                    pages: links,
                    name,
                },
                None => Category {
                    title: title_case(&name),
                    summary: String::new(),
                    order: None,
                    source_path: None,
                    blocks: Vec::new(),
                    pages: links,
                    name,
                },
            }
        })
        .collect();
    categories.sort_by(|a, b| {
        (a.order.unwrap_or(i64::MAX), &a.name).cmp(&(b.order.unwrap_or(i64::MAX), &b.name))
    });

    let mut paths: Vec<LearningPath> = Vec::new();
    for (draft, blocks, title) in path_drafts {
        let FileRole::Path { slug } = &draft.role else {
            continue;
        };
        let mut steps = Vec::new();
        let steps_line = field_line(&draft.front_matter_text, "steps");
        if draft.front_matter.steps.is_empty() {
            report(
                &draft.path,
                steps_line,
                ContentErrorKind::PathStep {
                    step: 0,
                    problem: "a learning path needs `steps:`, a list of `page:` and `why:`".into(),
                },
            );
        }
        for (index, step) in draft.front_matter.steps.iter().enumerate() {
            match pages.get(step.page.trim()) {
                Some(page) if !step.why.trim().is_empty() => steps.push(PathStep {
                    page: page.page.link(),
                    why: step.why.trim().to_string(),
                }),
                Some(_) => report(
                    &draft.path,
                    steps_line,
                    ContentErrorKind::PathStep {
                        step: index + 1,
                        problem: format!("`{}` needs a one-line `why:`", step.page),
                    },
                ),
                None => report(
                    &draft.path,
                    steps_line,
                    ContentErrorKind::PathStep {
                        step: index + 1,
                        problem: format!("`{}` is not a page slug", step.page),
                    },
                ),
            }
        }
        paths.push(LearningPath {
            slug: slug.clone(),
            title,
            summary: draft.front_matter.summary.clone().unwrap_or_default(),
            order: draft.front_matter.order,
            source_path: draft.path.clone(),
            blocks,
            steps,
        });
    }
    paths.sort_by(|a, b| {
        (a.order.unwrap_or(i64::MAX), &a.slug).cmp(&(b.order.unwrap_or(i64::MAX), &b.slug))
    });

    if errors.is_empty() {
        Ok(Catalogue {
            pages,
            categories,
            paths,
        })
    } else {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(ContentErrors(errors))
    }
}

/// Decides a file's role from its path; `None` for files that are not content.
fn role_of(path: &str) -> Option<FileRole> {
    let stem = path.strip_suffix(".md")?;
    let parts: Vec<&str> = stem.split('/').collect();
    let name = *parts.last()?;
    if name.starts_with('_') && name != "_index" {
        return None;
    }
    match parts.as_slice() {
        ["paths", slug] => Some(FileRole::Path {
            slug: (*slug).to_string(),
        }),
        [category, "index" | "_index"] => Some(FileRole::CategoryOverview {
            category: (*category).to_string(),
        }),
        ["README" | "readme"] => None,
        _ => Some(FileRole::Page {
            slug: name.to_string(),
        }),
    }
}

fn clean_list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

fn title_case(name: &str) -> String {
    let spaced = name.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile::new(path, text)
    }

    fn errors_of(files: Vec<SourceFile>) -> Vec<String> {
        match load_catalogue(files) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
        }
    }

    fn page(title: &str, extra: &str) -> String {
        format!("---\ntitle: {title}\nsummary: About {title}.\n{extra}---\n\n## Body\n\nText.\n")
    }

    #[test]
    fn loads_yaml_and_toml_pages_with_folder_categories() {
        let catalogue = load_catalogue(vec![
            file("caching/cache-aside.md", &page("Cache-aside", "level: intro\norder: 2\ntags: [cache]\naliases: [lazy loading]\nrelated: [cap-theorem]\n")),
            file("caching/write-through.md", &page("Write-through", "order: 1\n")),
            file(
                "foundations/cap-theorem.md",
                "+++\ntitle = \"CAP theorem\"\nsummary = \"Pick two, sort of.\"\nlevel = \"advanced\"\n+++\nBody.\n",
            ),
            file("caching/index.md", "---\ntitle: Caching\nsummary: Keep hot data close.\norder: 1\n---\nOverview.\n"),
        ])
        .expect("valid catalogue");
        let cache_aside = &catalogue.page("cache-aside").expect("loaded").page;
        assert_eq!(cache_aside.category, "caching");
        assert_eq!(cache_aside.level, Some(Level::Intro));
        assert_eq!(cache_aside.aliases, vec!["lazy loading"]);
        let cap = &catalogue.page("cap-theorem").expect("loaded").page;
        assert_eq!(cap.category, "foundations");
        assert_eq!(cap.level, Some(Level::Advanced));
        let names: Vec<&str> = catalogue
            .categories()
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            names,
            vec!["caching", "foundations"],
            "ordered categories first"
        );
        let caching = catalogue.category("caching").expect("category");
        assert_eq!(caching.title, "Caching");
        let order: Vec<&str> = caching.pages.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(
            order,
            vec!["write-through", "cache-aside"],
            "pages follow `order`"
        );
        let surroundings = catalogue.surroundings(cache_aside);
        assert_eq!(
            surroundings.neighbours.previous.map(|p| p.slug),
            Some("write-through".into())
        );
        assert_eq!(surroundings.related[0].slug, "cap-theorem");
        assert_eq!(
            catalogue.category("foundations").expect("implicit").title,
            "Foundations"
        );
    }

    #[test]
    fn missing_title_and_summary_come_from_the_text() {
        let catalogue = load_catalogue(vec![file(
            "team/runbook.md",
            "---\nowner: platform\n---\n# Failover runbook\n\nPromote the replica first.\n\n## Steps\n",
        )])
        .expect("valid");
        let page = &catalogue.page("runbook").expect("loaded").page;
        assert_eq!(page.title, "Failover runbook");
        assert_eq!(page.summary, "Promote the replica first.");
    }

    #[test]
    fn every_error_names_its_file_and_line() {
        let errors = errors_of(vec![
            file(
                "a/bad-level.md",
                "---\ntitle: A\nsummary: s\nlevel: expert\n---\n",
            ),
            file(
                "a/bad-related.md",
                "---\ntitle: B\nsummary: s\nrelated:\n  - nowhere\n---\n",
            ),
            file("a/bad-yaml.md", "---\ntitle: C\ntags: [x\n---\n"),
            file("a/unclosed.md", "---\ntitle: D\n"),
            file("a/no-title.md", "Just text.\n"),
            file(
                "a/bad-link.md",
                "---\ntitle: E\n---\n\nSee [x](/patterns/missing).\n",
            ),
            file(
                "a/bad-anchor.md",
                "---\ntitle: F\n---\n\nSee [x](/patterns/bad-level#nope).\n",
            ),
            file(
                "a/bad-widget.md",
                "---\ntitle: G\n---\n\n```widget\nestimate users=lots\n```\n",
            ),
            file("b/bad-level.md", "---\ntitle: Twin\n---\n"),
            file("a/Bad Name.md", "---\ntitle: H\n---\n"),
            SourceFile::new("a/latin1.md", vec![0xff, 0xfe, 0x41]),
        ]);
        let expected = [
            "a/Bad Name.md:1: front matter field `file name`",
            "a/bad-anchor.md:5: broken link to `/patterns/bad-level#nope`: the page `bad-level` has no heading",
            "a/bad-level.md:4: front matter field `level` is `expert`",
            "a/bad-link.md:5: broken link to `/patterns/missing`",
            "a/bad-related.md:4: front matter field `related` names `nowhere`",
            "a/bad-widget.md:5: widget `estimate`: `users=lots` is not valid",
            "a/bad-yaml.md:4: the front matter is not valid YAML",
            "a/latin1.md:1: the file is not valid UTF-8",
            "a/no-title.md:1: the page has no title",
            "a/unclosed.md:1: the front matter is not closed",
            "b/bad-level.md:1: the page slug `bad-level` is also used by a/bad-level.md",
        ];
        for prefix in expected {
            assert!(
                errors.iter().any(|error| error.starts_with(prefix)),
                "missing `{prefix}` in:\n{}",
                errors.join("\n")
            );
        }
        assert_eq!(errors.len(), expected.len(), "{}", errors.join("\n"));
    }

    #[test]
    fn learning_paths_list_existing_pages_with_reasons() {
        let path = "---\ntitle: First week\nsummary: Start here.\nsteps:\n  - page: one\n    why: Because.\n  - page: two\n    why: Then this.\n---\nIntro.\n";
        let catalogue = load_catalogue(vec![
            file("x/one.md", &page("One", "")),
            file("x/two.md", &page("Two", "")),
            file("paths/first-week.md", path),
        ])
        .expect("valid");
        let loaded = catalogue.path("first-week").expect("path");
        assert_eq!(loaded.steps.len(), 2);
        let one = &catalogue.page("one").expect("page").page;
        let position = &catalogue.surroundings(one).paths[0];
        assert_eq!((position.step, position.total), (1, 2));
        assert_eq!(position.next.as_ref().map(|p| p.slug.as_str()), Some("two"));

        let errors = errors_of(vec![
            file("x/one.md", &page("One", "")),
            file(
                "paths/broken.md",
                "---\ntitle: Broken\nsteps:\n  - page: nowhere\n    why: x\n  - page: one\n---\n",
            ),
        ]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with(
                "paths/broken.md:3: learning path step 1: `nowhere` is not a page slug"
            ),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("step 2: `one` needs a one-line `why:`"),
            "{errors:?}"
        );
    }

    #[test]
    fn the_builtin_catalogue_loads_without_a_single_error() {
        // The server refuses to start on content errors; this keeps main shippable.
        if let Err(errors) = load_catalogue(super::super::source::builtin_files()) {
            panic!("{errors}");
        }
    }
}
