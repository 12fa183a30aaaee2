//! The catalogue: every page, category and learning path, loaded and checked once.

mod diagram;
pub mod error;
pub mod front_matter;
mod highlight;
pub mod links;
mod load;
pub mod markdown;
pub mod slug;
pub mod source;
pub mod widget;

pub use error::{ContentError, ContentErrorKind, ContentErrors};
pub use load::{load_catalogue, load_catalogue_with, load_catalogue_with_assets};
pub use markdown::MarkdownRenderer;
pub use markdown::Section;
pub use source::SourceFile;

use app::model::{
    Block, Category, CategoryTitles, LearningPath, Neighbours, Overview, Page, PageLink,
    PathPosition,
};
use app::render::PageSurroundings;
use std::collections::{BTreeMap, HashMap};

/// A page with the plain text of its sections, for the search index.
#[derive(Debug, Clone)]
pub struct CataloguePage {
    pub page: Page,
    pub sections: Vec<Section>,
}

/// The loaded catalogue. Immutable: a reload builds a new one.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pages: BTreeMap<String, CataloguePage>,
    /// In display order.
    categories: Vec<Category>,
    /// In display order.
    paths: Vec<LearningPath>,
}

impl Catalogue {
    pub fn page(&self, slug: &str) -> Option<&CataloguePage> {
        self.pages.get(slug)
    }

    pub fn pages(&self) -> impl Iterator<Item = &CataloguePage> {
        self.pages.values()
    }

    /// Takes every page's blocks out, by slug, for rendering: a served edition holds a page
    /// once, as its finished document, not also as its parts.
    pub fn take_blocks(&mut self) -> HashMap<String, Vec<Block>> {
        self.pages
            .iter_mut()
            .map(|(slug, entry)| (slug.clone(), std::mem::take(&mut entry.page.blocks)))
            .collect()
    }

    /// Drops each page's section text once the search index holds it.
    pub fn release_sections(&mut self) {
        for entry in self.pages.values_mut() {
            entry.sections = Vec::new();
        }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|category| category.name == name)
    }

    pub fn paths(&self) -> &[LearningPath] {
        &self.paths
    }

    pub fn path(&self, slug: &str) -> Option<&LearningPath> {
        self.paths.iter().find(|path| path.slug == slug)
    }

    pub fn category_titles(&self) -> CategoryTitles {
        self.categories
            .iter()
            .map(|category| (category.name.clone(), category.title.clone()))
            .collect()
    }

    pub fn overview(&self) -> Overview {
        Overview {
            categories: self.categories.clone(),
            paths: self.paths.clone(),
            page_count: self.pages.len(),
        }
    }

    /// Breadcrumb title, neighbours, related pages and learning-path positions of a page.
    pub fn surroundings(&self, page: &Page) -> PageSurroundings {
        let category = self.category(&page.category);
        let category_title = category
            .map(|category| category.title.clone())
            .unwrap_or_else(|| page.category.clone());
        let neighbours = category
            .map(|category| neighbours(&category.pages, &page.slug))
            .unwrap_or_default();
        let related = page
            .related
            .iter()
            .filter_map(|slug| self.pages.get(slug))
            .map(|related| related.page.link())
            .collect();
        let paths = self
            .paths
            .iter()
            .filter_map(|path| {
                let index = path
                    .steps
                    .iter()
                    .position(|step| step.page.slug == page.slug)?;
                Some(PathPosition {
                    path_slug: path.slug.clone(),
                    path_title: path.title.clone(),
                    step: index + 1,
                    total: path.steps.len(),
                    next: path.steps.get(index + 1).map(|step| step.page.clone()),
                })
            })
            .collect();
        PageSurroundings {
            category_title,
            neighbours,
            related,
            paths,
        }
    }
}

fn neighbours(pages: &[PageLink], slug: &str) -> Neighbours {
    let Some(index) = pages.iter().position(|page| page.slug == slug) else {
        return Neighbours::default();
    };
    Neighbours {
        previous: index.checked_sub(1).and_then(|i| pages.get(i)).cloned(),
        next: pages.get(index + 1).cloned(),
    }
}
