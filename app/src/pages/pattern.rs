//! A pattern page: header, table of contents, the rendered text, and navigation around it.

use super::EditThisPage;
use crate::components::Blocks;
use crate::model::{Page, PageLink};
use crate::render::{EditLink, PageSurroundings};
use leptos::prelude::*;

#[component]
pub fn PatternView(
    page: Page,
    surroundings: PageSurroundings,
    edit: Option<EditLink>,
) -> impl IntoView {
    let category_href = format!("/categories/{}", page.category);
    let toc_items = page
        .headings
        .iter()
        .filter(|heading| heading.level <= 3)
        .map(|heading| {
            let class = if heading.level == 3 {
                "toc-sub"
            } else {
                "toc-top"
            };
            view! {
                <li class=class>
                    <a href=format!("#{}", heading.anchor)>{heading.text.clone()}</a>
                </li>
            }
        })
        .collect_view();
    let has_toc = !page.headings.is_empty();
    let tags = page
        .tags
        .iter()
        .map(|tag| view! { <li class="tag">{tag.clone()}</li> })
        .collect_view();
    let level = page.level.map(
        |level| view! { <span class="level" data-level=level.as_str()>{level.label()}</span> },
    );
    let related = (!surroundings.related.is_empty()).then(|| {
        let items = surroundings
            .related
            .into_iter()
            .map(|link| view! { <li><PageAnchor link=link/></li> })
            .collect_view();
        view! {
            <section class="related" aria-labelledby="related-pages">
                <h2 id="related-pages">"Related pages"</h2>
                <ul>{items}</ul>
            </section>
        }
    });
    let paths = surroundings
        .paths
        .into_iter()
        .map(|position| {
            let next = position.next.map(|next| {
                view! { " Next: " <a href=format!("/patterns/{}", next.slug) rel="next">{next.title}</a> }
            });
            view! {
                <p class="path-position" data-test="path-position">
                    <a href=format!("/paths/{}", position.path_slug)>{position.path_title}</a>
                    {format!(" · step {} of {}.", position.step, position.total)}
                    {next}
                </p>
            }
        })
        .collect_view();
    let previous = surroundings.neighbours.previous.map(|link| {
        view! {
            <a class="pager-previous" rel="prev" href=format!("/patterns/{}", link.slug)>
                <span class="pager-label">"Previous"</span>
                <span>{link.title}</span>
            </a>
        }
    });
    let next = surroundings.neighbours.next.map(|link| {
        view! {
            <a class="pager-next" rel="next" href=format!("/patterns/{}", link.slug)>
                <span class="pager-label">"Next"</span>
                <span>{link.title}</span>
            </a>
        }
    });
    view! {
        <div class="pattern-layout">
            <article class="pattern" data-test="pattern">
                <nav class="breadcrumbs" aria-label="Breadcrumb">
                    <ol>
                        <li><a href="/">"Home"</a></li>
                        <li><a href=category_href>{surroundings.category_title}</a></li>
                        <li><span aria-current="page">{page.title.clone()}</span></li>
                    </ol>
                </nav>
                <header class="pattern-header">
                    <h1>{page.title}</h1>
                    <p class="lead">{page.summary}</p>
                    <div class="page-meta">{level}<ul class="tags" aria-label="Tags">{tags}</ul></div>
                    {paths}
                </header>
                <Blocks blocks=page.blocks/>
                {related}
                <nav class="pager" aria-label="Previous and next in this category">{previous}{next}</nav>
                <EditThisPage edit=edit/>
            </article>
            {has_toc.then(|| view! {
                <nav class="toc" aria-labelledby="toc-title">
                    <h2 id="toc-title">"On this page"</h2>
                    <ol>{toc_items}</ol>
                </nav>
            })}
        </div>
    }
}

#[component]
fn PageAnchor(link: PageLink) -> impl IntoView {
    view! {
        <a href=format!("/patterns/{}", link.slug)>{link.title}</a>
        <span class="muted">{format!(" — {}", link.summary)}</span>
    }
}
