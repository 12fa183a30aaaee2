//! A learning path: an ordered reading list, each step with the reason it is there.

use super::EditThisPage;
use crate::components::Blocks;
use crate::model::LearningPath;
use crate::render::EditLink;
use leptos::prelude::*;

#[component]
pub fn PathView(path: LearningPath, edit: Option<EditLink>) -> impl IntoView {
    let steps = path
        .steps
        .into_iter()
        .map(|step| {
            view! {
                <li>
                    <a href=format!("/patterns/{}", step.page.slug)>{step.page.title}</a>
                    <p>{step.why}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <article class="learning-path">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <ol>
                    <li><a href="/">"Home"</a></li>
                    <li><a href="/#paths">"Learning paths"</a></li>
                    <li><span aria-current="page">{path.title.clone()}</span></li>
                </ol>
            </nav>
            <h1>{path.title}</h1>
            <p class="lead">{path.summary}</p>
            <Blocks blocks=path.blocks/>
            <h2 id="steps">"Steps"</h2>
            <ol class="path-steps">{steps}</ol>
            <EditThisPage edit=edit/>
        </article>
    }
}
