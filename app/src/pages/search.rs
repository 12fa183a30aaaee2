//! The search page: works with JavaScript off (a plain GET form), keeps the query in the URL.

use crate::model::{Level, SearchPage};
use crate::url::encode_query_value;
use leptos::prelude::*;

/// The URL of a results page with the same query and filters.
fn page_url(model: &SearchPage, page: usize) -> String {
    let mut pairs = vec![("q", model.query.clone())];
    if let Some(category) = &model.category {
        pairs.push(("category", category.clone()));
    }
    if let Some(tag) = &model.tag {
        pairs.push(("tag", tag.clone()));
    }
    if let Some(level) = model.level {
        pairs.push(("level", level.as_str().to_string()));
    }
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    let query: Vec<String> = pairs
        .into_iter()
        .map(|(key, value)| format!("{key}={}", encode_query_value(&value)))
        .collect();
    format!("/search?{}", query.join("&"))
}

#[component]
pub fn SearchView(model: SearchPage) -> impl IntoView {
    let category_options = model
        .categories
        .iter()
        .map(|(name, title)| {
            let selected = model.category.as_deref() == Some(name.as_str());
            view! { <option value=name.clone() selected=selected>{title.clone()}</option> }
        })
        .collect_view();
    let level_options = Level::ALL
        .into_iter()
        .map(|level| {
            let selected = model.level == Some(level);
            view! { <option value=level.as_str() selected=selected>{level.label()}</option> }
        })
        .collect_view();
    let has_query = !model.query.trim().is_empty();
    let summary = if let Some(error) = &model.error {
        view! { <p class="search-error" role="alert">{error.clone()}</p> }.into_any()
    } else if !has_query {
        view! { <p class="muted">"Type a few words: typos are forgiven, quotes match a phrase."</p> }.into_any()
    } else if model.total == 0 {
        view! { <p data-test="result-count">{format!("No pages match “{}”.", model.query)}</p> }
            .into_any()
    } else {
        let noun = if model.total == 1 { "page" } else { "pages" };
        let relaxed = model
            .relaxed
            .then_some(" No page has every word, so these have some of them.");
        view! {
            <p data-test="result-count">
                {format!("{} {noun} match “{}”.", model.total, model.query)}
                {relaxed}
            </p>
        }
        .into_any()
    };
    let hits = model
        .hits
        .iter()
        .map(|hit| {
            let section = hit.section.clone().map(
                |section| view! { <span class="hit-section">{format!(" › {section}")}</span> },
            );
            view! {
                <li class="search-hit" data-test="search-hit">
                    <a href=hit.url.clone()>
                        <span class="hit-title">{hit.title.clone()}</span>
                        {section}
                    </a>
                    <span class="hit-category">{hit.category_title.clone()}</span>
                    <p class="hit-snippet" inner_html=hit.snippet_html.clone()></p>
                </li>
            }
        })
        .collect_view();
    let nothing_found = (has_query && model.total == 0 && model.error.is_none()).then(|| {
        let suggestions = (!model.suggestions.is_empty()).then(|| {
            let links = model
                .suggestions
                .iter()
                .map(|word| {
                    let mut suggestion = model.clone();
                    suggestion.query = word.clone();
                    view! { <li><a href=page_url(&suggestion, 1)>{word.clone()}</a></li> }
                })
                .collect_view();
            view! { <p>"Did you mean:"</p><ul class="suggestions">{links}</ul> }
        });
        let categories = model
            .categories
            .iter()
            .map(|(name, title)| view! { <li><a href=format!("/categories/{name}")>{title.clone()}</a></li> })
            .collect_view();
        view! {
            <div class="nothing-found">
                {suggestions}
                <p>"Or browse a category:"</p>
                <ul>{categories}</ul>
            </div>
        }
    });
    let pager = (model.pages > 1).then(|| {
        let previous = (model.page > 1).then(
            || view! { <a rel="prev" href=page_url(&model, model.page - 1)>"Previous results"</a> },
        );
        let next = (model.page < model.pages).then(
            || view! { <a rel="next" href=page_url(&model, model.page + 1)>"More results"</a> },
        );
        view! {
            <nav class="search-pager" aria-label="Result pages">
                {previous}
                <span>{format!("Page {} of {}", model.page, model.pages)}</span>
                {next}
            </nav>
        }
    });
    view! {
        <article class="search-page">
            <h1>"Search"</h1>
            <form class="search-form" method="get" action="/search" role="search">
                <label for="search-page-q">"Search the handbook"</label>
                <div class="search-row">
                    <input id="search-page-q" type="search" name="q" value=model.query.clone() maxlength="256" autocomplete="off"/>
                    <button type="submit">"Search"</button>
                </div>
                <div class="search-filters">
                    <label>
                        "Category "
                        <select name="category">
                            <option value="">"All"</option>
                            {category_options}
                        </select>
                    </label>
                    <label>
                        "Level "
                        <select name="level">
                            <option value="">"Any"</option>
                            {level_options}
                        </select>
                    </label>
                    {model.tag.clone().map(|tag| view! { <input type="hidden" name="tag" value=tag/> })}
                </div>
            </form>
            <div aria-live="polite">{summary}</div>
            <ol class="search-hits">{hits}</ol>
            {nothing_found}
            {pager}
        </article>
    }
}
