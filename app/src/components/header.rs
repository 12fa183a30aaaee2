//! The site header: home link, main navigation and the theme toggle.

use crate::islands::InstantSearch;
use leptos::prelude::*;

#[component]
pub fn SiteHeader(site_title: String, logo_href: Option<String>) -> impl IntoView {
    let mark = match logo_href {
        Some(href) => {
            view! { <img class="brand-logo" src=href alt="" width="28" height="28"/> }.into_any()
        }
        None => view! {
            <svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true" width="24" height="24">
                <path d="M4 20h16l-3-5H7z M7 14h10l-2-4H9z M9.5 9h5l-1.5-4h-2z"></path>
            </svg>
        }
        .into_any(),
    };
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                {mark}
                <span>{site_title}</span>
            </a>
            <nav class="site-nav" aria-label="Main">
                <a href="/#categories">"Categories"</a>
                <a href="/#paths">"Learning paths"</a>
            </nav>
            <InstantSearch/>
            <button
                type="button"
                class="theme-toggle"
                data-test="theme-toggle"
                aria-label="Switch between light and dark theme"
                aria-pressed="false"
            >
                <span class="theme-toggle-label">"Theme"</span>
            </button>
        </header>
    }
}
