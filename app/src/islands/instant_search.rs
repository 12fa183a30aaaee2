//! Instant search in the header: results as you type, from `/api/search`.
//!
//! Rendered on the server as a plain GET form to `/search`, so it works before (and
//! without) WASM. Once hydrated it asks for results on every keystroke and aborts the
//! request of the keystroke before, lets the keyboard pick a result, and announces the
//! result count to screen readers.

use leptos::prelude::*;

/// One hit as `/api/search` returns it (only the fields shown here).
#[derive(Clone, Debug, PartialEq)]
pub struct InstantHit {
    pub title: String,
    pub section: Option<String>,
    pub url: String,
    pub snippet: String,
}

/// The island's reactive state, shared by the view and the fetcher.
#[derive(Clone, Copy)]
struct SearchState {
    query: RwSignal<String>,
    hits: RwSignal<Vec<InstantHit>>,
    total: RwSignal<usize>,
    active: RwSignal<Option<usize>>,
    open: RwSignal<bool>,
    status: RwSignal<String>,
    /// The query the shown hits answer (`data-query` on the list), so a reader of the page
    /// (the latency benchmark, a test) can tell fresh results from a previous query's.
    answered: RwSignal<String>,
}

/// Results shown in the drop-down.
#[cfg(feature = "hydrate")]
const SHOWN: usize = 8;

// Lazy in the browser: the page's loader (`app/assets/site.js`) fetches it only when the
// reader reaches for the box, so a page read without searching loads none of it.
#[cfg_attr(feature = "hydrate", island(lazy))]
#[cfg_attr(not(feature = "hydrate"), island)]
pub fn InstantSearch() -> impl IntoView {
    let state = SearchState {
        query: RwSignal::new(String::new()),
        hits: RwSignal::new(Vec::new()),
        total: RwSignal::new(0),
        active: RwSignal::new(None),
        open: RwSignal::new(false),
        status: RwSignal::new(String::new()),
        answered: RwSignal::new(String::new()),
    };
    let SearchState {
        query,
        hits,
        total,
        active,
        open,
        status,
        answered,
    } = state;
    let input_ref = NodeRef::<leptos::html::Input>::new();

    #[cfg(feature = "hydrate")]
    let fetcher = browser::Fetcher::new(state);

    #[cfg(feature = "hydrate")]
    {
        // `/` and Ctrl/Cmd-K focus the search box from anywhere on the page.
        let handle = window_event_listener(leptos::ev::keydown, move |event| {
            let in_field = event
                .target()
                .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
                .map(|element| {
                    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                })
                .unwrap_or(false);
            let shortcut = (event.key() == "/" && !in_field)
                || ((event.ctrl_key() || event.meta_key())
                    && event.key().eq_ignore_ascii_case("k"));
            if shortcut {
                if let Some(input) = input_ref.get_untracked() {
                    event.prevent_default();
                    let _ = input.focus();
                    input.select();
                }
            }
        });
        on_cleanup(move || handle.remove());

        // The island wakes on the first focus or keystroke; what was typed before it was
        // live is searched now.
        Effect::new(move |_| {
            let Some(input) = input_ref.get() else { return };
            let text = input.value();
            if !text.trim().is_empty() && query.get_untracked() != text {
                query.set(text.clone());
                fetcher.schedule(text);
            }
        });
    }

    let on_input = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let value = event_target_value(&_event);
            query.set(value.clone());
            fetcher.schedule(value);
        }
    };

    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = hits.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|index| *index = Some(index.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                active.update(|index| {
                    *index = Some(index.map_or(count - 1, |i| (i + count - 1) % count))
                });
            }
            "Enter" => {
                if let Some(index) = active.get_untracked() {
                    if let Some(hit) = hits.with_untracked(|hits| hits.get(index).cloned()) {
                        event.prevent_default();
                        navigate(&hit.url);
                    }
                }
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };

    let option_id = |index: usize| format!("site-search-option-{index}");
    let see_all = move || {
        format!(
            "{}/search?q={}",
            crate::url::base_path(),
            crate::url::encode_query_value(&query.get())
        )
    };

    view! {
        <div class="instant-search" data-test="instant-search">
            <form class="site-search" method="get" action="/search" role="search">
                <label class="visually-hidden" for="site-search-q">"Search the handbook"</label>
                <input
                    id="site-search-q"
                    node_ref=input_ref
                    type="search"
                    name="q"
                    placeholder="Search (press /)"
                    maxlength="256"
                    autocomplete="off"
                    role="combobox"
                    aria-autocomplete="list"
                    aria-controls="site-search-results"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    aria-activedescendant=move || active.get().map(option_id)
                    data-test="site-search"
                    on:input=on_input
                    on:keydown=on_keydown
                />
            </form>
            <p class="visually-hidden" aria-live="polite" data-test="search-status">{move || status.get()}</p>
            <div class="search-popup" id="site-search-results" hidden=move || !open.get()>
                <ul role="listbox" aria-label="Search results" data-query=move || answered.get()>
                    {move || {
                        hits.get()
                            .into_iter()
                            .enumerate()
                            .map(|(index, hit)| {
                                let selected = move || active.get() == Some(index);
                                let section = hit.section.clone().map(|section| view! { <span class="hit-section">{format!(" › {section}")}</span> });
                                let url = hit.url.clone();
                                view! {
                                    // An option holds no link (no nested interactive
                                    // controls): a click or Enter navigates.
                                    <li
                                        role="option"
                                        id=option_id(index)
                                        aria-selected=move || if selected() { "true" } else { "false" }
                                        class:active=selected
                                        data-test="instant-hit"
                                        on:click=move |_| navigate(&url)
                                    >
                                        <span class="hit-title">{hit.title.clone()}</span>
                                        {section}
                                        <span class="hit-snippet" inner_html=hit.snippet.clone()></span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <a class="see-all" href=see_all>
                    {move || format!("See all {} results", total.get())}
                </a>
            </div>
        </div>
    }
}

fn navigate(url: &str) {
    #[cfg(feature = "hydrate")]
    {
        // Hits are site paths; a site under a sub-path puts them under it.
        let _ = window()
            .location()
            .set_href(&format!("{}{url}", crate::url::base_path()));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The browser side: fetching, cancelling and reading the answer.
    //!
    //! No debounce: a request costs the server well under a millisecond, and the next
    //! keystroke aborts it, so waiting for quiet typing only delays the results (with a
    //! 120 ms debounce, keystroke to paint was 134 ms at the median). The JSON is read
    //! with the browser's own parser: serde_json would add its parser to the WASM that
    //! every page loads, for five fields.

    use super::{InstantHit, SearchState, SHOWN};
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::js_sys::{Array, Reflect};

    #[derive(Clone, Copy)]
    pub struct Fetcher {
        state: SearchState,
        /// Bumped on every keystroke: a response for an older generation is dropped.
        generation: StoredValue<u64>,
        controller: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    }

    impl Fetcher {
        pub fn new(state: SearchState) -> Self {
            Fetcher {
                state,
                generation: StoredValue::new(0),
                controller: StoredValue::new_local(None),
            }
        }

        pub fn schedule(self, text: String) {
            self.generation.update_value(|generation| *generation += 1);
            let generation = self.generation.get_value();
            if let Some(controller) = self.controller.get_value() {
                controller.abort();
            }
            if text.trim().is_empty() {
                self.state.hits.set(Vec::new());
                self.state.open.set(false);
                self.state.active.set(None);
                self.state.status.set(String::new());
                self.state.answered.set(String::new());
                return;
            }
            leptos::task::spawn_local(async move { self.fetch(text, generation).await });
        }

        async fn fetch(self, text: String, generation: u64) {
            let Ok(controller) = web_sys::AbortController::new() else {
                return;
            };
            let init = web_sys::RequestInit::new();
            init.set_signal(Some(&controller.signal()));
            self.controller.set_value(Some(controller));
            let url = format!(
                "{}/api/search?limit={SHOWN}&q={}",
                crate::url::base_path(),
                crate::url::encode_query_value(&text)
            );
            let Ok(response) = JsFuture::from(window().fetch_with_str_and_init(&url, &init)).await
            else {
                return; // aborted or offline: a newer keystroke owns the results now
            };
            let Ok(response) = response.dyn_into::<web_sys::Response>() else {
                return;
            };
            if !response.ok() {
                return;
            }
            let Ok(body) = response.json() else { return };
            let Ok(body) = JsFuture::from(body).await else {
                return;
            };
            let Some((count, hits)) = read_results(&body) else {
                return;
            };
            if self.generation.get_value() != generation || self.state.query.get_untracked() != text
            {
                return;
            }
            self.state.status.set(match count {
                0 => format!("No results for {text}"),
                1 => "1 result".to_string(),
                _ => format!("{count} results"),
            });
            self.state.total.set(count);
            self.state.hits.set(hits);
            self.state.answered.set(text);
            self.state.active.set(None);
            self.state.open.set(true);
        }
    }

    /// `total` and the hits of an `/api/search` answer; `None` when it is not one.
    fn read_results(body: &JsValue) -> Option<(usize, Vec<InstantHit>)> {
        let total = field(body, "total")?.as_f64()?;
        let hits = field(body, "hits")?.dyn_into::<Array>().ok()?;
        let hits = hits
            .iter()
            .map(|hit| {
                Some(InstantHit {
                    title: field(&hit, "title")?.as_string()?,
                    section: field(&hit, "section")?.as_string(),
                    url: field(&hit, "url")?.as_string()?,
                    snippet: field(&hit, "snippet")?.as_string()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        // A count is a small whole number; anything else is not an answer of ours.
        (total >= 0.0 && total.fract() == 0.0).then_some((total as usize, hits))
    }

    fn field(object: &JsValue, name: &str) -> Option<JsValue> {
        Reflect::get(object, &JsValue::from_str(name)).ok()
    }
}
