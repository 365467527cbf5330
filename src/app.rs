//! The app shell: mounting into the host page, settings and data providers, header, navigation
//! and the router.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::components::load_progress::{LoadProgress, RefreshData, RefreshError};
use crate::components::offline_indicator::OfflineIndicator;
use crate::components::{settings_warnings::SettingsWarnings, status::DataStatus};
use crate::config::{self, DataSource, Settings, SettingsLayer};
use crate::engine::{WeekStart, Zone};
use crate::i18n::{Locale, Texts};
use crate::pages::{
    Cohorts, CustomerProfile, Customers, Dashboard, JourneyDesigner, Journeys, NotFound, Segments,
    SettingsPage,
};
use crate::sync::provide_definitions;
use crate::sync::{http::get_bytes, provide_dataset, use_dataset, SyncError};

/// The id of the host element the app mounts into; without one it mounts into `<body>`.
pub const HOST_ID: &str = "crm-lens";

#[wasm_bindgen(inline_js = "export function module_url() { return import.meta.url; }")]
extern "C" {
    /// The URL of this snippet module, `<app folder>/snippets/<crate>/inline0.js`: demo data and
    /// `config.json` sit in the app folder.
    fn module_url() -> String;
}

thread_local! {
    static HOST: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
    static CRASH_LOCALE: Cell<Locale> = const { Cell::new(Locale::Ko) };
}

/// Finds the host element, reads the settings chain, and mounts [`App`].
pub fn mount() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_panel();
    }));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let host = document
        .get_element_by_id(HOST_ID)
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        .or_else(|| document.body());
    let Some(host) = host else {
        return;
    };
    HOST.with(|h| *h.borrow_mut() = Some(host.clone()));
    let attributes = attribute_layer(&host);
    take_token(&host);
    let app_base = app_base_url();

    wasm_bindgen_futures::spawn_local(async move {
        let (file_layer, file_warning) = load_config_file(&app_base).await;
        let mut settings = config::resolve(&[attributes, file_layer], &browser_languages());
        settings.warnings.extend(file_warning);
        crate::sync::http::set_request_timeout(settings.request_timeout);
        CRASH_LOCALE.with(|l| l.set(settings.locale));
        leptos::mount::mount_to(host, move || view! { <App settings app_base/> }).forget();
    });
}

/// Reads the bearer token handed over in `data-token` once, keeps it in memory only
/// (`sync::auth`), and removes the attribute so nothing else on the page can read it later.
fn take_token(host: &HtmlElement) {
    if let Some(token) = host.get_attribute("data-token") {
        crate::sync::auth::set_token(Some(token));
        let _ = host.remove_attribute("data-token");
    }
}

/// Hands the app a (new) bearer token for the backend, e.g. after the host portal renewed it:
/// `import init, { set_access_token } from "./crm-lens.js"; set_access_token("…")`. Kept in
/// memory only; `null` or `""` forgets it (requests then rely on the host's cookies).
#[wasm_bindgen]
pub fn set_access_token(token: Option<String>) {
    crate::sync::auth::set_token(token);
}

fn attribute_layer(host: &HtmlElement) -> SettingsLayer {
    let attr = |name: &str| host.get_attribute(name);
    SettingsLayer {
        api: attr("data-api"),
        locale: attr("data-locale"),
        timezone: attr("data-timezone"),
        currency: attr("data-currency"),
        base_path: attr("data-base-path"),
        request_timeout: attr("data-request-timeout"),
    }
}

/// The folder URL the app was loaded from, ending in `/`.
fn app_base_url() -> String {
    app_folder(&module_url())
}

/// `https://cdn/x/snippets/crm-lens-1a2b/inline0.js` → `https://cdn/x/`.
fn app_folder(snippet_url: &str) -> String {
    match snippet_url.rfind("/snippets/") {
        Some(at) => snippet_url[..=at].to_owned(),
        None => match snippet_url.rfind('/') {
            Some(slash) => snippet_url[..=slash].to_owned(),
            None => "/".to_owned(),
        },
    }
}

/// `config.json` beside the app; a missing file is normal, a broken one is a warning.
async fn load_config_file(app_base: &str) -> (SettingsLayer, Option<String>) {
    let url = format!("{app_base}config.json");
    match get_bytes(&url, Duration::from_secs(5), false).await {
        Ok(bytes) => match SettingsLayer::from_json(&bytes) {
            Ok(layer) => (layer, None),
            Err(problem) => (SettingsLayer::default(), Some(problem)),
        },
        Err(SyncError::Http { status: 404, .. }) => (SettingsLayer::default(), None),
        Err(error) => (
            SettingsLayer::default(),
            Some(format!(
                "config.json: {}",
                error.message(Locale::En.texts())
            )),
        ),
    }
}

fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default()
}

/// Replaces the app with a readable error panel after a panic, instead of a dead page.
fn show_crash_panel() {
    let t = CRASH_LOCALE.with(Cell::get).texts();
    HOST.with(|host| {
        let Some(host) = host.borrow().clone() else {
            return;
        };
        let Some(document) = host.owner_document() else {
            return;
        };
        let Ok(panel) = document.create_element("div") else {
            return;
        };
        panel.set_class_name("crm-lens crm-crash");
        let _ = panel.set_attribute("role", "alert");
        let reload = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default()
            .replace('"', "%22");
        panel.set_inner_html(&format!(
            r#"<h1>{}</h1><p>{}</p><p><a href="{reload}">{}</a></p>"#,
            t.crash_title, t.crash_body, t.reload
        ));
        host.set_inner_html("");
        let _ = host.append_child(&panel);
    });
}

/// Settings the user can change while the app runs; read everywhere through context.
#[derive(Clone, Copy)]
pub struct AppSettings {
    pub locale: RwSignal<Locale>,
    pub zone: RwSignal<Zone>,
    pub week_start: RwSignal<WeekStart>,
    pub initial: StoredValue<Settings>,
}

impl AppSettings {
    /// The texts of the current language (reactive).
    pub fn t(&self) -> &'static Texts {
        self.locale.get().texts()
    }

    /// The currency to show money in: the setting, else the dataset's.
    pub fn currency(&self, dataset_currency: &str) -> String {
        self.initial
            .with_value(|s| s.currency.clone())
            .unwrap_or_else(|| dataset_currency.to_owned())
    }

    /// An app path as an href under the base path the app is served at (`/cohorts` →
    /// `/portal/crm/cohorts`). The router's `<A>` takes absolute hrefs as they are.
    pub fn href(&self, path: &str) -> String {
        self.initial
            .with_value(|s| format!("{}{path}", s.base_path))
    }
}

/// The settings context provided by [`App`].
pub fn use_settings() -> AppSettings {
    expect_context::<AppSettings>()
}

#[component]
pub fn App(settings: Settings, app_base: String) -> impl IntoView {
    let app = AppSettings {
        locale: RwSignal::new(settings.locale),
        zone: RwSignal::new(settings.zone.unwrap_or_default()),
        week_start: RwSignal::new(WeekStart::Monday),
        initial: StoredValue::new(settings.clone()),
    };
    provide_context(app);
    let dataset = provide_dataset(settings.source.clone(), app_base);
    provide_definitions(&settings.source);

    // Without a configured zone, report in the dataset's own zone once it is known.
    let zone_configured = settings.zone.is_some();
    Effect::new(move |_| {
        if let Some(Ok(data)) = dataset.get() {
            if !zone_configured {
                let zone = app
                    .initial
                    .with_value(|s| s.zone_or(&data.store.meta.time_zone));
                app.zone.set(zone);
            }
        }
    });
    Effect::new(move |_| {
        let locale = app.locale.get();
        CRASH_LOCALE.with(|l| l.set(locale));
    });

    let base = settings.base_path.clone();
    view! {
        <div class="crm-lens" lang=move || app.locale.get().tag()>
            <Router base=base>
                <AppHeader/>
                <div class="crm-body">
                    <AppNav/>
                    <main class="crm-main">
                        <SettingsWarnings/>
                        <DataStatus/>
                        <LoadProgress/>
                        <RefreshError/>
                        <Routes fallback=NotFound>
                            <Route path=path!("/") view=Dashboard/>
                            <Route path=path!("/customers") view=Customers/>
                            <Route path=path!("/customers/:id") view=CustomerProfile/>
                            <Route path=path!("/segments") view=Segments/>
                            <Route path=path!("/cohorts") view=Cohorts/>
                            <Route path=path!("/journeys") view=Journeys/>
                            <Route path=path!("/journeys/designer") view=JourneyDesigner/>
                            <Route path=path!("/settings") view=SettingsPage/>
                        </Routes>
                    </main>
                </div>
            </Router>
        </div>
    }
}

/// Brand, data source, time zone and the language switch.
#[component]
fn AppHeader() -> impl IntoView {
    let app = use_settings();
    let dataset = use_dataset();
    let source = app.initial.with_value(|s| s.source.clone());
    let source_label = move || match &source {
        DataSource::Demo => app.t().demo_data.to_owned(),
        DataSource::Backend(api) => api.clone(),
    };
    let on_language = move |ev: leptos::ev::Event| {
        if let Ok(locale) = Locale::parse(&event_target_value(&ev)) {
            app.locale.set(locale);
        }
    };
    view! {
        <header class="crm-header">
            <span class="crm-brand">{move || app.t().app_name}</span>
            <dl class="crm-header-facts">
                <div>
                    <dt>{move || app.t().data_source}</dt>
                    <dd class="crm-source">
                        {source_label}
                        {move || match dataset.get() {
                            None => view! { <span class="crm-pill">"…"</span> }.into_any(),
                            Some(Ok(_)) => ().into_any(),
                            Some(Err(_)) => view! { <span class="crm-pill crm-pill-bad">"!"</span> }.into_any(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{move || app.t().time_zone}</dt>
                    <dd>{move || app.zone.get().name()}</dd>
                </div>
            </dl>
            <RefreshData/>
            <OfflineIndicator/>
            <select class="crm-language" aria-label=move || app.t().language on:change=on_language>
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        view! {
                            <option value=locale.tag() selected=move || app.locale.get() == locale>
                                {locale.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </header>
    }
}

/// The app's one navigation landmark; the router marks the current page with `aria-current`.
#[component]
fn AppNav() -> impl IntoView {
    let app = use_settings();
    let link = move |path: &'static str, label: fn(&Texts) -> &'static str| {
        view! {
            <li>
                <A href=app.href(path) exact=true>
                    {move || label(app.t())}
                </A>
            </li>
        }
    };
    view! {
        <nav class="crm-nav" aria-label=move || app.t().nav_label>
            <ul>
                {link("/", |t| t.nav_dashboard)}
                {link("/customers", |t| t.nav_customers)}
                {link("/segments", |t| t.nav_segments)}
                {link("/cohorts", |t| t.nav_cohorts)}
                {link("/journeys", |t| t.nav_journeys)}
                {link("/settings", |t| t.nav_settings)}
            </ul>
        </nav>
    }
}
