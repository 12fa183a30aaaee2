//! The HTML document around every page: head metadata, theme bootstrap, header and footer.

use super::SiteHeader;
use crate::model::Site;
use crate::render::DocumentMeta;
use leptos::prelude::*;

/// Runs before first paint so a remembered theme never flashes the other one.
///
/// Kept tiny and dependency-free; the server allows it in the CSP by its hash.
pub const THEME_BOOTSTRAP: &str = "(function(){var d=document.documentElement;d.classList.add('js');try{var t=localStorage.getItem('cairn-theme');if(t==='light'||t==='dark'){d.dataset.theme=t;}}catch(e){}})();";

#[component]
pub fn Document(site: Site, meta: DocumentMeta, children: Children) -> impl IntoView {
    let canonical = format!("{}{}", site.base_url, meta.canonical_path);
    // Nothing here loads the islands: `site.js` fetches them when one is wanted, so these
    // carry the sub-path themselves (`url::under_prefix` only rewrites links).
    let islands_script = format!("{}{}", site.path_prefix, site.islands_script_href);
    let islands_wasm = format!("{}{}", site.path_prefix, site.islands_wasm_href);
    view! {
        <html
            lang="en"
            data-live-reload=site.live_reload_url.clone()
            data-base-path=(!site.path_prefix.is_empty()).then(|| site.path_prefix.clone())
            data-islands-script=islands_script
            data-islands-wasm=islands_wasm
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
            </body>
        </html>
    }
}
