//! The home page: what Cairn is, every category with its pages, and the learning paths.

use crate::model::Overview;
use leptos::prelude::*;

#[component]
pub fn HomeView(overview: Overview, site_title: String) -> impl IntoView {
    let category_count = overview.categories.len();
    let categories = overview
        .categories
        .into_iter()
        .map(|category| {
            let href = format!("/categories/{}", category.name);
            let count = category.pages.len();
            let pages = category
                .pages
                .into_iter()
                .map(|page| {
                    view! {
                        <li>
                            <a href=format!("/patterns/{}", page.slug)>{page.title}</a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="category-card" aria-labelledby=format!("cat-{}", category.name)>
                    <h3 id=format!("cat-{}", category.name)>
                        <a href=href>{category.title}</a>
                    </h3>
                    <p class="muted">{category.summary}</p>
                    <p class="count">{format!("{count} pages")}</p>
                    <ul class="page-list">{pages}</ul>
                </section>
            }
        })
        .collect_view();
    let has_paths = !overview.paths.is_empty();
    let paths = overview
        .paths
        .into_iter()
        .map(|path| {
            let steps = path.steps.len();
            view! {
                <li class="path-card">
                    <a href=format!("/paths/{}", path.slug)>{path.title}</a>
                    <p class="muted">{path.summary}</p>
                    <p class="count">{format!("{steps} steps")}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="home">
            <section class="hero">
                <h1>{site_title}</h1>
                <p class="lead">
                    "A handbook of system-design patterns for your team: caching, sharding, queues, "
                    "circuit breakers, rate limiters and worked designs, each explained with its "
                    "trade-offs, failure modes and the numbers that matter."
                </p>
                <p class="muted">{format!("{} pages in {} categories.", overview.page_count, category_count)}</p>
            </section>
            <section id="paths" class="paths" aria-labelledby="paths-title">
                <h2 id="paths-title">"Learning paths"</h2>
                {if has_paths {
                    view! { <ul class="path-list">{paths}</ul> }.into_any()
                } else {
                    view! {
                        <p class="muted">
                            "No learning paths yet: start with any category below."
                        </p>
                    }
                        .into_any()
                }}
            </section>
            <section id="categories" aria-labelledby="categories-title">
                <h2 id="categories-title">"Categories"</h2>
                <div class="category-grid">{categories}</div>
            </section>
        </div>
    }
}
