//! One view per kind of page the handbook serves.

mod category;
mod home;
mod learning_path;
mod not_found;
mod pattern;
mod search;

pub use category::CategoryView;
pub use home::HomeView;
pub use learning_path::PathView;
pub use not_found::NotFoundView;
pub use pattern::PatternView;
pub use search::SearchView;

use crate::render::EditLink;
use leptos::prelude::*;

/// "Edit this page": the source file, linked when the site knows the repository.
#[component]
fn EditThisPage(edit: Option<EditLink>) -> impl IntoView {
    edit.map(|edit| {
        let label = format!("content/{}", edit.source_path);
        let content = match edit.href {
            Some(href) => view! { <a href=href rel="noopener">"Edit this page"</a> " (" <code>{label}</code> ")" }.into_any(),
            None => view! { "Edit this page: " <code>{label}</code> }.into_any(),
        };
        view! { <p class="edit-this-page" data-test="edit-this-page">{content}</p> }
    })
}
