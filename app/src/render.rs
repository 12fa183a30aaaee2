//! Turns the catalogue's view models into complete HTML documents.
//!
//! The server calls these once per page when the catalogue loads, so a page request
//! costs a lookup, not a render.

use crate::model::{
    Category, LearningPath, Neighbours, Overview, Page, PageLink, PathPosition, SearchPage, Site,
};
use crate::pages::{CategoryView, HomeView, NotFoundView, PathView, PatternView, SearchView};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use std::sync::Arc;

/// What a page's `<head>` needs besides the site settings.
#[derive(Clone, Debug)]
pub struct DocumentMeta {
    pub title: String,
    pub description: String,
    /// Path of the canonical URL, starting with `/`.
    pub canonical_path: String,
}

/// Everything a pattern page shows around its own text.
#[derive(Clone, Debug, Default)]
pub struct PageSurroundings {
    pub category_title: String,
    pub neighbours: Neighbours,
    pub related: Vec<PageLink>,
    pub paths: Vec<PathPosition>,
}

/// Renders a whole document around `body` inside a fresh reactive owner.
fn render_document<V>(site: &Site, meta: DocumentMeta, body: V) -> String
where
    V: IntoView + 'static,
{
    let owner = Owner::new_root(Some(Arc::new(hydration_context::SsrSharedContext::new())));
    let prefix = site.path_prefix.clone();
    let site = site.clone();
    let html = owner.with(move || {
        crate::components::Document(crate::components::DocumentProps {
            site,
            meta,
            children: Box::new(move || body.into_any()),
        })
        .to_html()
    });
    format!(
        "<!DOCTYPE html>{}",
        crate::url::under_prefix(&html, &prefix)
    )
}

pub fn render_home(site: &Site, overview: &Overview) -> String {
    let meta = DocumentMeta {
        title: site.title.clone(),
        description: format!(
            "{}: a self-hosted handbook of system-design patterns, worked designs and learning paths.",
            site.title
        ),
        canonical_path: "/".into(),
    };
    let overview = overview.clone();
    let site_title = site.title.clone();
    render_document(
        site,
        meta,
        view! { <HomeView overview=overview site_title=site_title/> },
    )
}

pub fn render_category(site: &Site, category: &Category) -> String {
    let meta = DocumentMeta {
        title: format!("{} · {}", category.title, site.title),
        description: category.summary.clone(),
        canonical_path: format!("/categories/{}", category.name),
    };
    let category = category.clone();
    let edit = site.edit_link(category.source_path.as_deref());
    render_document(
        site,
        meta,
        view! { <CategoryView category=category edit=edit/> },
    )
}

pub fn render_pattern(site: &Site, page: &Page, surroundings: &PageSurroundings) -> String {
    let meta = DocumentMeta {
        title: format!("{} · {}", page.title, site.title),
        description: page.summary.clone(),
        canonical_path: format!("/patterns/{}", page.slug),
    };
    let page = page.clone();
    let surroundings = surroundings.clone();
    let edit = site.edit_link(Some(&page.source_path));
    render_document(
        site,
        meta,
        view! { <PatternView page=page surroundings=surroundings edit=edit/> },
    )
}

pub fn render_path(site: &Site, path: &LearningPath) -> String {
    let meta = DocumentMeta {
        title: format!("{} · Learning paths · {}", path.title, site.title),
        description: path.summary.clone(),
        canonical_path: format!("/paths/{}", path.slug),
    };
    let path = path.clone();
    let edit = site.edit_link(Some(&path.source_path));
    render_document(site, meta, view! { <PathView path=path edit=edit/> })
}

/// The search page, rendered per request (it depends on the query).
pub fn render_search(site: &Site, model: &SearchPage) -> String {
    let title = if model.query.trim().is_empty() {
        format!("Search · {}", site.title)
    } else {
        format!("{} · Search · {}", model.query.trim(), site.title)
    };
    let meta = DocumentMeta {
        title,
        description: "Search every pattern, concept and worked design in the handbook.".into(),
        canonical_path: "/search".into(),
    };
    let model = model.clone();
    render_document(site, meta, view! { <SearchView model=model/> })
}

pub fn render_not_found(site: &Site, overview: &Overview) -> String {
    let meta = DocumentMeta {
        title: format!("Page not found · {}", site.title),
        description: "This address does not match any page of the handbook.".into(),
        canonical_path: "/404".into(),
    };
    let categories = overview.categories.clone();
    render_document(site, meta, view! { <NotFoundView categories=categories/> })
}

/// An "edit this page" target: the source path, and a link when the site has a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditLink {
    pub source_path: String,
    pub href: Option<String>,
}

impl Site {
    pub fn edit_link(&self, source_path: Option<&str>) -> Option<EditLink> {
        let source_path = source_path?.to_string();
        let href = self
            .edit_url_template
            .as_ref()
            .map(|template| template.replace("{path}", &source_path));
        Some(EditLink { source_path, href })
    }
}
