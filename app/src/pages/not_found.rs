//! The 404 page: says what happened and offers the way back.

use crate::model::Category;
use leptos::prelude::*;

#[component]
pub fn NotFoundView(categories: Vec<Category>) -> impl IntoView {
    let links = categories
        .into_iter()
        .map(|category| {
            view! { <li><a href=format!("/categories/{}", category.name)>{category.title}</a></li> }
        })
        .collect_view();
    view! {
        <article class="not-found" data-test="not-found">
            <h1>"Page not found"</h1>
            <p class="lead">
                "No page of the handbook lives at this address. It may have been renamed or moved."
            </p>
            <p><a href="/">"Go to the home page"</a>" or browse a category:"</p>
            <ul>{links}</ul>
        </article>
    }
}
