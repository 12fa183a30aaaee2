//! The back-of-the-envelope calculator: a form of assumptions and a table of results, each
//! with the formula behind it.
//!
//! All arithmetic and wording come from [`crate::sim::estimate`]; this island only moves
//! values between the form, a signal and the URL. The server renders the author's numbers
//! and every result, so the page is complete without WASM. Once hydrated, an Effect finds
//! which calculator of the page this is (the URL keys carry that number), applies any state
//! from the URL, and from then on every change is written back with `replaceState`.

use super::{config, erased, escaped, follows};
use crate::model::WidgetKind;
use crate::number;
use crate::sim::estimate::{
    self, report, summary, CountScale, Field, Group, Inputs, RateUnit, SizeUnit, PRESETS,
};
use leptos::prelude::*;

/// The island's reactive state, shared by the form controls.
#[derive(Clone, Copy)]
struct Calculator {
    inputs: RwSignal<Inputs>,
    /// Bumped when the inputs change from outside the number fields (a preset, reset, the
    /// URL), so the fields rewrite their text; typing never rewrites the field being typed.
    revision: RwSignal<u32>,
    /// Fields whose typed text cannot be used; the results keep the last good value.
    invalid: RwSignal<Vec<Field>>,
    /// This calculator's number on the page (1-based), known only after hydration.
    instance: RwSignal<Option<usize>>,
    /// Read by screen readers after a change.
    announcement: RwSignal<String>,
}

impl Calculator {
    fn commit(self, next: Inputs, rewrite_fields: bool) {
        self.inputs.set(next);
        if rewrite_fields {
            self.invalid.set(Vec::new());
            self.revision.update(|revision| *revision += 1);
        }
        self.announcement.set(summary(&next));
        if let Some(instance) = self.instance.get_untracked() {
            browser::replace_query(&estimate::write_query(&browser::query(), instance, &next));
        }
    }

    /// Text typed into a number field: checked by the core, kept only if valid.
    fn type_number(self, field: Field, typed: &str) {
        let mut next = self.inputs.get_untracked();
        let text = match field {
            Field::Users => format!("{typed}{}", next.users.scale.suffix()),
            Field::Size => format!("{typed}{}", next.size.unit.symbol()),
            _ => typed.to_string(),
        };
        let accepted = next.set(field, &text).is_ok();
        self.invalid.update(|invalid| {
            invalid.retain(|other| *other != field);
            if !accepted {
                invalid.push(field);
            }
        });
        if accepted {
            self.commit(next, false);
        }
    }

    /// The number shown in a field (for users and size, without the unit).
    fn number_text(self, field: Field) -> String {
        self.inputs.with_untracked(|inputs| match field {
            Field::Users => estimate::plain_number(inputs.users.value),
            Field::Size => estimate::plain_number(inputs.size.value),
            _ => inputs.get(field),
        })
    }
}

/// Starts from the parameters the author wrote in the ```` ```widget ```` block, already
/// checked by the loader (see [`config`](super::config)).
// Lazy in the browser: its code is a separate WASM chunk, fetched only by pages that show
// it. (A bare `island(lazy)` would also compile the lazy loader into the server build.)
#[cfg_attr(feature = "hydrate", island(lazy))]
#[cfg_attr(not(feature = "hydrate"), island)]
pub fn EstimateWidget() -> impl IntoView {
    let params = config::current(WidgetKind::Estimate).params;
    // The loader refuses parameters the core refuses, so the fallback is never expected;
    // it keeps a page readable if an old build's content slips through.
    let authored = Inputs::from_params(&params).unwrap_or_else(|_| Inputs::reference());
    let calculator = Calculator {
        inputs: RwSignal::new(authored),
        revision: RwSignal::new(0),
        invalid: RwSignal::new(Vec::new()),
        instance: RwSignal::new(None),
        announcement: RwSignal::new(String::new()),
    };
    let Calculator {
        inputs,
        instance,
        announcement,
        ..
    } = calculator;
    let root = NodeRef::<leptos::html::Div>::new();

    // After hydration only: the URL is not part of the server's render, so reading it in
    // the first render would make the two disagree.
    Effect::new(move |_| {
        if let Some(element) = root.get() {
            browser::start(&element, calculator);
        }
    });

    let on_reset = move |_| {
        calculator.commit(authored, true);
        if let Some(number) = instance.get_untracked() {
            browser::replace_query(&estimate::clear_query(&browser::query(), number));
        }
    };

    let authored_preset = authored.matching_preset().map_or("", |preset| preset.name);
    // The menus' options never change once rendered, so they are written as markup: as
    // elements the browser would hydrate each one, for nothing.
    let preset_options = {
        let group = |from_page: bool| {
            options_html(
                PRESETS
                    .iter()
                    .filter(|preset| preset.page.is_some() == from_page)
                    .map(|preset| (preset.name, preset.label)),
                authored_preset,
            )
        };
        format!(
            "{}<optgroup label=\"Reference figures\">{}</optgroup>\
             <optgroup label=\"Worked designs\">{}</optgroup>",
            options_html([("", "Custom numbers")].into_iter(), authored_preset),
            group(false),
            group(true)
        )
    };
    let link = move || {
        instance.get().map(|number| {
            format!(
                "?{}#estimate-{number}",
                estimate::write_query("", number, &inputs.get())
            )
        })
    };

    // Built in parts and passed through `erased`; see there (`islands/mod.rs`).
    let toolbar = view! {
                <div class="estimate-toolbar">
                    <label class="estimate-field">
                        <span class="estimate-label">"Start from"</span>
                        <select
                            data-test="estimate-preset"
                            prop:value=follows(inputs, |inputs| {
                                inputs.matching_preset().map_or("", |preset| preset.name).into()
                            })
                            on:change=changed(calculator, choose_preset)
                            inner_html=preset_options
                        ></select>
                    </label>
                    <button type="button" class="estimate-reset" on:click=on_reset>
                        "Reset to the page's numbers"
                    </button>
                </div>
    };
    let users_and_size = view! {
                    <div class="estimate-pair">
                        <NumberField calculator field=Field::Users/>
                        <select
                            aria-label="Daily active users unit"
                            data-test="estimate-users-scale"
                            prop:value=follows(inputs, |inputs| inputs.users.scale.suffix().into())
                            on:change=changed(calculator, choose_scale)
                            inner_html=options_html(
                                CountScale::ALL.into_iter().map(|scale| (scale.suffix(), scale.label())),
                                authored.users.scale.suffix(),
                            )
                        ></select>
                    </div>
    };
    let size = view! {
                    <div class="estimate-pair">
                        <NumberField calculator field=Field::Size/>
                        <select
                            aria-label="Object size unit"
                            data-test="estimate-size-unit"
                            prop:value=follows(inputs, |inputs| inputs.size.unit.symbol().into())
                            on:change=changed(calculator, choose_unit)
                            inner_html=options_html(
                                SizeUnit::ALL.into_iter().map(|unit| (unit.symbol(), unit.symbol())),
                                authored.size.unit.symbol(),
                            )
                        ></select>
                    </div>
    };
    let rest = view! {
                    <NumberField calculator field=Field::Peak/>
                    <NumberField calculator field=Field::Years/>
                    <NumberField calculator field=Field::Replicas/>
                    <label class="estimate-field">
                        <span class="estimate-label">{Field::Per.label()}</span>
                        <select
                            data-test="estimate-per"
                            prop:value=follows(inputs, |inputs| inputs.rate_unit.name().into())
                            on:change=changed(calculator, choose_per)
                            inner_html=options_html(
                                RateUnit::ALL.into_iter().map(|unit| (unit.name(), unit.name())),
                                authored.rate_unit.name(),
                            )
                        ></select>
                    </label>
    };

    view! {
        <div
            class="estimate"
            data-estimate=""
            node_ref=root
            id=move || instance.get().map(|number| format!("estimate-{number}"))
        >
            <div class="estimate-inputs">
                {erased(toolbar)}
                <div class="estimate-grid">
                    {erased(users_and_size)}
                    <NumberField calculator field=Field::Actions/>
                    <NumberField calculator field=Field::Reads/>
                    {erased(size)}
                    {erased(rest)}
                </div>
            </div>
            <div class="estimate-table" role="region" aria-label="Results" tabindex="0">
                // Rebuilt whole on each change, as one string: rows as elements would bring
                // their own rendering code into the WASM.
                <table
                    data-test="estimate-results"
                    inner_html=follows(inputs, results_html)
                ></table>
            </div>
            <p class="estimate-share" hidden=move || instance.get().is_none()>
                <a href=link data-test="estimate-link">"Link to these numbers"</a>
                " (the address bar holds them too)"
            </p>
            <p class="visually-hidden" aria-live="polite" data-test="estimate-status">
                {move || announcement.get()}
            </p>
        </div>
    }
}

/// The results table's content: a header, then one `<tbody>` per group, each headed by the
/// group's name.
fn results_html(inputs: &Inputs) -> String {
    let rows = report(inputs);
    let mut html = String::from(
        "<thead><tr><th scope=\"col\">Output</th><th scope=\"col\">Value</th>\
         <th scope=\"col\">How it is worked out</th></tr></thead>",
    );
    for group in [
        Group::Traffic,
        Group::Storage,
        Group::Bandwidth,
        Group::Machines,
    ] {
        html.push_str(&format!(
            "<tbody><tr class=\"estimate-group\"><th scope=\"colgroup\" colspan=\"3\">{}</th></tr>",
            escaped(group.label())
        ));
        for row in rows.iter().filter(|row| row.group == group) {
            html.push_str(&format!(
                "<tr data-test=\"{}\"><th scope=\"row\">{}</th><td class=\"estimate-value\">\
                 <span title=\"{}\">{}</span></td><td class=\"estimate-formula\">{}</td></tr>",
                escaped(row.key),
                escaped(&row.label),
                escaped(&row.exact),
                escaped(&row.value),
                escaped(&row.formula)
            ));
        }
        html.push_str("</tbody>");
    }
    html
}

/// A menu's options from `(value, label)` pairs, the author's choice selected.
fn options_html<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    items
        .map(|(value, label)| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                escaped(value),
                if value == selected { " selected" } else { "" },
                escaped(label)
            )
        })
        .collect()
}

/// A menu's change handler; one closure type for every menu, as in
/// [`follows`].
fn changed(
    calculator: Calculator,
    apply: fn(Calculator, &str),
) -> impl Fn(leptos::ev::Event) + Copy + 'static {
    move |event| apply(calculator, &event_target_value(&event))
}

fn choose_preset(calculator: Calculator, name: &str) {
    if let Some(preset) = estimate::Preset::find(name) {
        let rate_unit = calculator.inputs.get_untracked().rate_unit;
        calculator.commit(
            Inputs {
                rate_unit,
                ..preset.inputs
            },
            true,
        );
    }
}

/// Caps `value` at `limit`; says whether it had to.
///
/// A bigger unit may push a total past its limit: the number is capped rather than leave
/// the menu and the results disagreeing.
fn cap(value: &mut f64, limit: f64) -> bool {
    let over = *value > limit;
    *value = value.min(limit);
    over
}

fn choose_scale(calculator: Calculator, suffix: &str) {
    if let Some(scale) = CountScale::from_suffix(suffix) {
        let mut next = calculator.inputs.get_untracked();
        let clamped = cap(&mut next.users.value, estimate::MAX_USERS / scale.factor());
        next.users.scale = scale;
        calculator.commit(next, clamped);
    }
}

fn choose_unit(calculator: Calculator, symbol: &str) {
    if let Some(unit) = SizeUnit::from_symbol(symbol) {
        let mut next = calculator.inputs.get_untracked();
        let clamped = cap(
            &mut next.size.value,
            estimate::MAX_OBJECT_BYTES / unit.factor(),
        );
        next.size.unit = unit;
        calculator.commit(next, clamped);
    }
}

fn choose_per(calculator: Calculator, name: &str) {
    if let Some(unit) = RateUnit::from_name(name) {
        let mut next = calculator.inputs.get_untracked();
        next.rate_unit = unit;
        calculator.commit(next, false);
    }
}

/// One labelled number input, with its error message when the typed text is unusable.
#[component]
fn NumberField(calculator: Calculator, field: Field) -> impl IntoView {
    let (min, max) = field.range();
    let (min, max) = match field {
        // The range of users and size depends on the unit; the core checks the total.
        Field::Users | Field::Size => (0.0, f64::MAX),
        _ => (min, max),
    };
    let step = if field == Field::Replicas { "1" } else { "any" };
    let invalid = move || calculator.invalid.with(|invalid| invalid.contains(&field));
    let on_input = move |event: leptos::ev::Event| {
        calculator.type_number(field, &event_target_value(&event));
    };
    // The message sits outside the label so it does not become part of the field's name;
    // `aria-describedby` links it once hydration has numbered the calculator (messages
    // only ever appear after that).
    let message_id = move || {
        calculator
            .instance
            .get()
            .map(|number| format!("estimate-{number}-{}-problem", field.key()))
    };
    view! {
        <div class="estimate-field">
            <label class="estimate-field">
                <span class="estimate-label">{field.label()}</span>
                <input
                    type="number"
                    inputmode="decimal"
                    min=number::shortest(min)
                    max=(max < f64::MAX).then(|| number::shortest(max))
                    step=step
                    required=true
                    data-test=format!("estimate-{}", field.key())
                    value=calculator.number_text(field)
                    prop:value=move || {
                        calculator.revision.get();
                        calculator.number_text(field)
                    }
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=move || invalid().then(message_id).flatten()
                    on:input=on_input
                />
            </label>
            {move || {
                invalid()
                    .then(|| {
                        let message = estimate::FieldError {
                            field,
                            expected: field.expected(),
                        }
                            .to_string();
                        view! {
                            <span class="estimate-error" id=message_id()>
                                {message}
                            </span>
                        }
                    })
            }}
        </div>
    }
}

/// The browser side: which calculator of the page this is, and the address bar.
#[cfg(feature = "hydrate")]
mod browser {
    use super::Calculator;
    use crate::sim::estimate;
    use leptos::prelude::*;

    /// Runs once the island is in the DOM: numbers it, applies the URL's state for that
    /// number, and scrolls to it when the link pointed here.
    pub fn start(element: &web_sys::HtmlDivElement, calculator: Calculator) {
        if calculator.instance.get_untracked().is_some() {
            return;
        }
        let Some(number) = instance_of(element) else {
            return;
        };
        calculator.instance.set(Some(number));
        let current = calculator.inputs.get_untracked();
        let from_url = estimate::read_query(&query(), number, current);
        if from_url != current {
            calculator.inputs.set(from_url);
            calculator.revision.update(|revision| *revision += 1);
        }
        if window().location().hash().ok().as_deref() == Some(&format!("#estimate-{number}")) {
            element.scroll_into_view();
        }
    }

    /// 1-based position among the page's calculators, in document order.
    fn instance_of(element: &web_sys::HtmlDivElement) -> Option<usize> {
        let all = document().query_selector_all("[data-estimate]").ok()?;
        (0..all.length())
            .find(|index| {
                all.item(*index)
                    .is_some_and(|node| node.is_same_node(Some(element)))
            })
            .map(|index| index as usize + 1)
    }

    pub fn query() -> String {
        window().location().search().unwrap_or_default()
    }

    /// Replaces the address bar's query without adding a history entry per keystroke.
    pub fn replace_query(query: &str) {
        let location = window().location();
        let path = location.pathname().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        let url = if query.is_empty() {
            format!("{path}{hash}")
        } else {
            format!("{path}?{query}{hash}")
        };
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// On the server there is no address bar: the first render never reads or writes one.
#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::Calculator;

    pub fn start(_element: &leptos::web_sys::HtmlDivElement, _calculator: Calculator) {}

    pub fn query() -> String {
        String::new()
    }

    pub fn replace_query(_query: &str) {}
}
