//! The settings in force (time zone and week start can be changed here) and what the data holds.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::{PageHeader, WithDataset};
use crate::config::DataSource;
use crate::engine::{WeekStart, Zone};
use crate::model::AttributeType;
use crate::sync::Dataset;

/// Zones offered in the picker; the zone in force is always added.
const ZONES: [&str; 9] = [
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Shanghai",
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = use_settings();
    let source = app.initial.with_value(|s| s.source.clone());
    let base_path = app.initial.with_value(|s| s.base_path.clone());
    let zones = move || {
        let current = app.zone.get().name();
        let mut names: Vec<&'static str> = ZONES.to_vec();
        if !names.contains(&current) {
            names.insert(0, current);
        }
        names
            .into_iter()
            .map(|name| view! { <option value=name selected=move || app.zone.get().name() == name>{name}</option> })
            .collect_view()
    };
    let on_zone = move |ev: leptos::ev::Event| {
        if let Ok(zone) = Zone::parse(&event_target_value(&ev)) {
            app.zone.set(zone);
        }
    };
    let on_week = move |ev: leptos::ev::Event| {
        app.week_start.set(if event_target_value(&ev) == "sunday" {
            WeekStart::Sunday
        } else {
            WeekStart::Monday
        });
    };
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_settings) intro=Signal::derive(move || app.t().settings_intro)/>
        <section class="crm-card crm-form">
            <p>
                <span class="crm-field-label">{move || app.t().data_source}</span>
                <span>{move || match &source {
                    DataSource::Demo => app.t().demo_data.to_owned(),
                    DataSource::Backend(api) => api.clone(),
                }}</span>
            </p>
            <label>
                <span class="crm-field-label">{move || app.t().time_zone}</span>
                <select on:change=on_zone>{zones}</select>
            </label>
            <label>
                <span class="crm-field-label">{move || app.t().week_start}</span>
                <select on:change=on_week>
                    <option value="monday" selected=move || app.week_start.get() == WeekStart::Monday>{move || app.t().monday}</option>
                    <option value="sunday" selected=move || app.week_start.get() == WeekStart::Sunday>{move || app.t().sunday}</option>
                </select>
            </label>
            <p>
                <span class="crm-field-label">{move || app.t().base_path}</span>
                <code>{move || if base_path.is_empty() { app.t().site_root.to_owned() } else { base_path.clone() }}</code>
            </p>
        </section>
        <WithDataset let:data>
            <DatasetFacts data/>
        </WithDataset>
    }
}

#[component]
fn DatasetFacts(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let meta = &data.store.meta;
    let currency = app.currency(&meta.currency);
    let event_rows = meta
        .event_types
        .iter()
        .map(|e| view! { <tr><th scope="row"><code>{e.name.clone()}</code></th><td>{e.properties.join(", ")}</td></tr> })
        .collect_view();
    let attribute_rows = meta
        .attributes
        .iter()
        .map(|a| {
            let kind = match a.kind {
                AttributeType::Text => "text",
                AttributeType::Number => "number",
                AttributeType::Bool => "bool",
                AttributeType::Date => "date",
                AttributeType::List => "list",
            };
            view! { <tr><th scope="row"><code>{a.name.clone()}</code></th><td><code>{kind}</code></td></tr> }
        })
        .collect_view();
    view! {
        <section class="crm-card" aria-labelledby="crm-dataset-title">
            <h2 id="crm-dataset-title">{move || app.t().dataset_title}</h2>
            <p><span class="crm-field-label">{move || app.t().currency}</span><code>{currency}</code></p>
            <div class="crm-columns">
                <table class="crm-table">
                    <thead><tr><th scope="col">{move || app.t().event_type}</th><th scope="col">{move || app.t().properties}</th></tr></thead>
                    <tbody>{event_rows}</tbody>
                </table>
                <table class="crm-table">
                    <caption>{move || app.t().attributes_title}</caption>
                    <thead><tr><th scope="col">{move || app.t().attribute}</th><th scope="col">{move || app.t().attribute_type}</th></tr></thead>
                    <tbody>{attribute_rows}</tbody>
                </table>
            </div>
        </section>
    }
}
