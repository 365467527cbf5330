//! Segments: build an audience from DOMAIN.md's rules (or start from a template), see how many
//! customers it holds and who they are, compare it with another segment, and export it. The open
//! segment, sort, search and comparison live in the URL.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::use_settings;
use crate::components::download::download_text;
use crate::components::member_table::{column_title, member_cells, MemberTable};
use crate::components::segment_builder::{Builder, SegmentBuilder};
use crate::components::segment_overlap::SegmentOverlap;
use crate::components::segment_result::SegmentResult;
use crate::components::DefinitionBar;
use crate::components::{PageHeader, WithDataset};
use crate::engine::catalog::Catalog;
use crate::engine::members::{self, member_rows, SortKey};
use crate::engine::rule_check;
use crate::engine::segment::{CompiledRule, SegmentLibrary};
use crate::engine::segment_rule::Rule;
use crate::engine::segment_templates::{template, templates};
use crate::export::excel_csv;
use crate::hooks::use_debounced;
use crate::i18n::{fill, segments_texts, template_name};
use crate::model::{DefinitionKind, SavedDefinition};
use crate::state::rule_tree;
use crate::state::saved_segment::{referable_segments, segment_library};
use crate::state::segment_view::{SegmentRef, SegmentView};
use crate::sync::saved_segments::{use_saved_segments, SavedSegment};
use crate::sync::{dataset::analysis_context, Dataset};

/// Milliseconds between the last edit and the new count.
const DEBOUNCE_MS: u64 = 25;

#[component]
pub fn Segments() -> impl IntoView {
    let app = use_settings();
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_segments) intro=Signal::derive(move || segments_texts(app.locale.get()).page_intro)/>
        <WithDataset let:data>
            <SegmentsView data/>
        </WithDataset>
    }
}

/// Where the open segment came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Opened {
    Blank,
    Template(String),
    Saved(String),
}

/// Templates (by their id) and saved segments (by theirs), as the engine resolves references.
fn library(saved: &[SavedSegment], open: Option<(&str, &Rule)>) -> SegmentLibrary {
    let mut library = segment_library(saved);
    // The open saved segment is what is being edited: a reference to it must see the edit, so
    // a rule that would refer to itself is found as a cycle.
    if let Some((id, rule)) = open {
        library.insert(id.to_owned(), rule.clone());
    }
    library
}

#[component]
fn SegmentsView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let navigate = use_navigate();
    let (initial, ignored) = {
        let params = use_query_map().get_untracked();
        SegmentView::from_params(|key| params.get(key))
    };
    // Saved segments, listed through the sync layer (again after every change, also from
    // another tab); each one's rule can be opened and referred to.
    let saved = use_saved_segments().list;
    let start_rule = initial
        .rule
        .clone()
        .or_else(|| {
            initial
                .template
                .as_deref()
                .and_then(template)
                .map(|t| t.rule)
        })
        .unwrap_or_else(|| Rule::all(Vec::new()));
    let initial_saved = initial.saved.clone();
    let opened = RwSignal::new(match (&initial.saved, &initial.template) {
        (Some(id), _) => Opened::Saved(id.clone()),
        (None, Some(id)) => Opened::Template(id.clone()),
        _ => Opened::Blank,
    });
    // The rule as opened: the URL carries the rule only once it differs from this.
    let baseline = StoredValue::new(rule_tree::as_root(
        initial
            .template
            .as_deref()
            .and_then(template)
            .map(|t| t.rule)
            .unwrap_or_else(|| Rule::all(Vec::new())),
    ));
    let rule = RwSignal::new(rule_tree::as_root(start_rule));
    let sort = RwSignal::new(initial.sort);
    let descending = RwSignal::new(initial.descending);
    let search = RwSignal::new(initial.search.clone());
    let compare = RwSignal::new(initial.compare.clone());

    // Debounce: the count follows the rule once typing pauses.
    let settled = use_debounced(rule, Duration::from_millis(DEBOUNCE_MS));

    let catalog = Arc::new(Catalog::of(&data.store));
    let open_id = move || match opened.get() {
        Opened::Saved(id) => Some(id),
        _ => None,
    };
    let library_memo = Memo::new(move |_| {
        let id = open_id();
        let current = settled.get();
        saved.with(|s| library(s, id.as_deref().map(|id| (id, &current))))
    });
    let referable = Signal::derive(move || saved.with(|s| referable_segments(app.t(), s)));
    let issues = {
        let data = data.clone();
        Memo::new(move |_| {
            let ctx = analysis_context(&data, &app);
            settled.with(|r| library_memo.with(|lib| rule_check::check(&data.store, &ctx, r, lib)))
        })
    };
    let members = {
        let data = data.clone();
        Memo::new(move |_| {
            if !issues.with(Vec::is_empty) {
                return None;
            }
            let ctx = analysis_context(&data, &app);
            settled.with(|r| {
                library_memo.with(|lib| {
                    CompiledRule::compile(&data.store, &ctx, r, lib)
                        .ok()
                        .map(|c| c.evaluate(&data.store, None))
                })
            })
        })
    };
    let rows = {
        let data = data.clone();
        Memo::new(move |_| Arc::new(member_rows(&data.store, &analysis_context(&data, &app))))
    };
    let order = {
        let data = data.clone();
        Memo::new(move |_| {
            let needle = search.get();
            let (key, desc) = (sort.get(), descending.get());
            members.with(|m| {
                let Some(m) = m else {
                    return Arc::new(Vec::new());
                };
                rows.with(|rows| {
                    Arc::new(
                        members::table(&data.store, rows, Some(m), &needle, key, desc)
                            .iter()
                            .map(|r| r.customer)
                            .collect::<Vec<u32>>(),
                    )
                })
            })
        })
    };
    let compare_key = Signal::derive(move || compare.get().map(|c| c.key()).unwrap_or_default());
    let compare_choices = Signal::derive(move || {
        referable
            .get()
            .into_iter()
            .map(|(id, name)| {
                let key = if saved.with(|s| s.iter().any(|x| x.id == id)) {
                    SegmentRef::Saved(id).key()
                } else {
                    SegmentRef::Template(id).key()
                };
                (key, name)
            })
            .collect::<Vec<_>>()
    });
    let overlap = {
        let data = data.clone();
        Memo::new(move |_| {
            let target = compare.get()?;
            let id = match &target {
                SegmentRef::Template(id) | SegmentRef::Saved(id) => id.clone(),
            };
            let ctx = analysis_context(&data, &app);
            let other = library_memo.with(|lib| {
                let rule = lib.get(&id)?.clone();
                CompiledRule::compile(&data.store, &ctx, &rule, lib)
                    .ok()
                    .map(|c| c.evaluate(&data.store, None))
            })?;
            members.with(|m| m.as_ref().map(|m| members::overlap(m, &other)))
        })
    };

    // The URL follows the view (replace, so Back leaves the page rather than undoing edits).
    Effect::new(move |_| {
        let current = settled.get();
        let view = SegmentView {
            saved: open_id(),
            template: match opened.get() {
                Opened::Template(id) => Some(id),
                _ => None,
            },
            rule: (current != baseline.get_value()).then_some(current),
            sort: sort.get(),
            descending: descending.get(),
            search: search.get(),
            compare: compare.get(),
        };
        let query: Vec<String> = view
            .to_params()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(&v))))
            .collect();
        let mut url = app.href("/segments");
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        let here = web_sys::window()
            .map(|w| w.location())
            .and_then(|l| Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?)));
        if here.as_deref() == Some(url.as_str()) {
            return;
        }
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });

    // Bumped when a template or a blank rule is loaded: the definition bar then starts a new item.
    let new_item = RwSignal::new(0u32);
    let use_template = move |id: &'static str| {
        if let Some(t) = template(id) {
            let root = rule_tree::as_root(t.rule);
            baseline.set_value(root.clone());
            opened.set(Opened::Template(id.to_owned()));
            new_item.update(|n| *n += 1);
            rule.set(root);
        }
    };
    let start_blank = move |_| {
        let root = Rule::all(Vec::new());
        baseline.set_value(root.clone());
        opened.set(Opened::Blank);
        new_item.update(|n| *n += 1);
        rule.set(root);
    };
    // Opening a saved segment (from the bar's list, or `?saved=<id>` at load).
    let open_saved = Callback::new(move |saved: SavedDefinition| {
        if let Ok(loaded) = serde_json::from_value::<Rule>(saved.definition) {
            let root = rule_tree::as_root(loaded);
            baseline.set_value(root.clone());
            opened.set(Opened::Saved(saved.id));
            rule.set(root);
        }
    });
    let restore_draft = Callback::new(move |definition: serde_json::Value| {
        if let Ok(loaded) = serde_json::from_value::<Rule>(definition) {
            rule.set(rule_tree::as_root(loaded));
        }
    });
    // After a save, the segment on screen is the saved one.
    let remember_saved = Callback::new(move |saved: SavedDefinition| {
        if let Ok(rule) = serde_json::from_value::<Rule>(saved.definition) {
            baseline.set_value(rule_tree::as_root(rule));
        }
        opened.set(Opened::Saved(saved.id));
    });
    let save_blocked = Signal::derive(move || {
        let st = segments_texts(app.locale.get());
        let n = issues.with(Vec::len);
        (n > 0).then(|| fill(st.issues_count, &[&n.to_string()]))
    });
    let template_buttons = move || {
        let locale = app.locale.get();
        let (t, st) = (locale.texts(), segments_texts(locale));
        templates()
            .into_iter()
            .map(|tpl| {
                let id = tpl.id;
                let name = template_name(t, id);
                let pressed = move || opened.get() == Opened::Template(id.to_owned());
                view! {
                    <button type="button" class="crm-chip" aria-pressed=move || pressed().to_string()
                        aria-label=fill(st.template_use, &[&name]) on:click=move |_| use_template(id)>
                        {name.clone()}
                    </button>
                }
            })
            .collect_view()
    };
    let open_label = move || {
        let locale = app.locale.get();
        let (t, st) = (locale.texts(), segments_texts(locale));
        match opened.get() {
            Opened::Template(id) => fill(st.open_template, &[&template_name(t, &id)]),
            Opened::Saved(id) => saved
                .with(|s| s.iter().find(|x| x.id == id).map(|x| x.name.clone()))
                .unwrap_or(id),
            Opened::Blank => st.open_unsaved.to_owned(),
        }
    };
    let warnings = move || {
        let st = segments_texts(app.locale.get());
        let mut notes = Vec::new();
        if ignored.contains(&crate::state::segment_view::RULE) {
            notes.push(st.url_rule_unreadable);
        }
        if ignored.contains(&crate::state::segment_view::TEMPLATE) {
            notes.push(st.url_template_unknown);
        }
        (!notes.is_empty()).then(|| {
            view! { <div class="crm-notice crm-notice-warn" role="alert">{notes.into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}</div> }
        })
    };

    let builder = Builder::new(rule, issues.into(), catalog, referable);
    let total = data.store.customers.len();
    let currency = app.currency(&data.store.meta.currency);
    let count = Signal::derive(move || members.with(|m| m.as_ref().map(|m| m.count_ones(..))));

    let download_csv = {
        let data = data.clone();
        let currency = currency.clone();
        move |_| {
            let locale = app.locale.get_untracked();
            let zone = app.zone.get_untracked();
            let (t, st) = (locale.texts(), segments_texts(locale));
            let Some(m) = members.get_untracked() else {
                return;
            };
            let list = rows.with_untracked(|rows| {
                members::table(
                    &data.store,
                    rows,
                    Some(&m),
                    "",
                    sort.get_untracked(),
                    descending.get_untracked(),
                )
                .into_iter()
                .map(|row| {
                    let mut line = vec![data.store.customers.ids[row.customer as usize].clone()];
                    line.extend(member_cells(&data, row, locale, &currency, &zone));
                    line
                })
                .collect::<Vec<_>>()
            });
            let mut header = vec![st.csv_id];
            header.extend(SortKey::ALL.iter().map(|k| column_title(t, st, *k)));
            let csv = excel_csv(&header, list);
            if let Err(e) = download_text("segment-members.csv", "text/csv;charset=utf-8", &csv) {
                web_sys::console::warn_1(&e.into());
            }
        }
    };
    let download_json = move |_| {
        let name = open_label();
        let definition = serde_json::json!({ "name": name, "rule": settled.get_untracked() });
        let json = serde_json::to_string_pretty(&definition).unwrap_or_default();
        if let Err(e) = download_text("segment.json", "application/json", &json) {
            web_sys::console::warn_1(&e.into());
        }
    };
    let caption = Signal::derive(move || {
        let st = segments_texts(app.locale.get());
        fill(
            st.table_caption,
            &[&crate::i18n::format::count(order.get().len())],
        )
    });
    let st = move || segments_texts(app.locale.get());
    view! {
        {warnings}
        <section class="crm-card" aria-labelledby="crm-templates-title">
            <h2 id="crm-templates-title">{move || st().templates_title}</h2>
            <div class="crm-presets">
                {template_buttons}
                <button type="button" class="crm-chip" on:click=start_blank>{move || st().start_blank}</button>
            </div>
            <p class="crm-muted">{move || st().open_label}": "<strong data-testid="open-segment">{open_label}</strong></p>
        </section>
        <DefinitionBar
            kind=DefinitionKind::Segment
            current=Signal::derive(move || serde_json::to_value(settled.get()).unwrap_or_default())
            on_open=open_saved
            on_restore=restore_draft
            open_id=initial_saved.clone()
            draft_scope="segments"
            save_blocked=save_blocked
            default_name=Signal::derive(move || Some(open_label()))
            on_saved=remember_saved
            new_item=new_item
        />
        <div class="crm-segment-layout">
            <section class="crm-card" aria-labelledby="crm-builder-title">
                <h2 id="crm-builder-title">{move || st().builder_title}</h2>
                <SegmentBuilder builder/>
            </section>
            <SegmentResult count total rule=settled issues currency=currency.clone() names=referable/>
        </div>
        <SegmentOverlap choices=compare_choices chosen=compare_key
            on_choose=Callback::new(move |key: String| compare.set(SegmentRef::parse(&key)))
            overlap/>
        <section class="crm-card" aria-labelledby="crm-members-title">
            <h2 id="crm-members-title">{move || st().members_title}</h2>
            <div class="crm-toolbar">
                <input type="search" class="crm-search" aria-label=move || st().search_members
                    placeholder=move || st().search_members prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
                <button type="button" class="crm-secondary" on:click=download_csv>{move || st().download_csv}</button>
                <button type="button" class="crm-secondary" on:click=download_json>{move || st().download_json}</button>
            </div>
            <p class="crm-count" data-testid="member-count">{move || fill(st().rows_found, &[&crate::i18n::format::count(order.get().len())])}</p>
            <MemberTable data=data.clone() rows order sort descending caption/>
        </section>
    }
}
