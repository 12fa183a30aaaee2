//! A category page: its overview text and every page in it, in reading order.

use super::EditThisPage;
use crate::components::Blocks;
use crate::model::Category;
use crate::render::EditLink;
use leptos::prelude::*;

#[component]
pub fn CategoryView(category: Category, edit: Option<EditLink>) -> impl IntoView {
    let pages = category
        .pages
        .into_iter()
        .map(|page| {
            view! {
                <li>
                    <a href=format!("/patterns/{}", page.slug)>{page.title}</a>
                    <p class="muted">{page.summary}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <article class="category">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <ol>
                    <li><a href="/">"Home"</a></li>
                    <li><span aria-current="page">{category.title.clone()}</span></li>
                </ol>
            </nav>
            <h1>{category.title}</h1>
            <p class="lead">{category.summary}</p>
            <Blocks blocks=category.blocks/>
            <h2 id="pages">"Pages in this category"</h2>
            <ol class="page-summaries">{pages}</ol>
            <EditThisPage edit=edit/>
        </article>
    }
}
