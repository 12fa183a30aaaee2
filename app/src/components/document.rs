//! The HTML document around every page: head metadata, theme bootstrap, header and footer.

use super::SiteHeader;
use crate::model::Site;
use crate::render::DocumentMeta;
use leptos::config::LeptosOptions;
use leptos::hydration::HydrationScripts;
use leptos::prelude::*;

/// Runs before first paint so a remembered theme never flashes the other one.
///
/// Kept tiny and dependency-free; the server allows it in the CSP by its hash.
pub const THEME_BOOTSTRAP: &str = "(function(){var d=document.documentElement;d.classList.add('js');try{var t=localStorage.getItem('cairn-theme');if(t==='light'||t==='dark'){d.dataset.theme=t;}}catch(e){}})();";

#[component]
pub fn Document(
    site: Site,
    options: LeptosOptions,
    meta: DocumentMeta,
    children: Children,
) -> impl IntoView {
    let canonical = format!("{}{}", site.base_url, meta.canonical_path);
    view! {
        <html
            lang="en"
            data-live-reload=site.live_reload_url.clone()
            data-base-path=(!site.path_prefix.is_empty()).then(|| site.path_prefix.clone())
        >
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{meta.title}</title>
                <meta name="description" content=meta.description/>
                <link rel="canonical" href=canonical/>
                <link rel="icon" href=site.icon_href.clone() type="image/svg+xml"/>
                <link
                    rel="search"
                    type="application/opensearchdescription+xml"
                    title=site.title.clone()
                    href="/opensearch.xml"
                />
                <meta name="color-scheme" content="light dark"/>
                <script inner_html=THEME_BOOTSTRAP></script>
                <link rel="stylesheet" href=site.stylesheet_href.clone()/>
                <script src=site.theme_script_href.clone() defer=true></script>
            </head>
            <body>
                <a class="skip-link" href="#main">"Skip to content"</a>
                <SiteHeader site_title=site.title.clone() logo_href=site.logo_href.clone()/>
                <main id="main" tabindex="-1">{children()}</main>
                <footer class="site-footer">
                    <p>
                        {site.title.clone()}
                        " · a self-hosted system-design handbook · "
                        <a href="/">"Home"</a>
                    </p>
                </footer>
                // Every page has the instant-search island in its header.
                <HydrationScripts options=options islands=true root=site.path_prefix.clone()/>
            </body>
        </html>
    }
}
