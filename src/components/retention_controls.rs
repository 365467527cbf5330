//! The Cohorts page's settings: every retention option, the segment filter, what to show,
//! the comparison, and one-click presets.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::segment_filter_select::SegmentFilterSelect;
use crate::components::EventFilterPicker;
use crate::engine::filter::{EventFilter, ANY_ACTIVITY};
use crate::engine::promotions::{latest_promotion, Promotion};
use crate::engine::retention::{
    CohortType, Counting, MeanKind, PercentOf, RetentionSpec, Windows, SIGNUP,
};
use crate::engine::segment_templates::templates;
use crate::engine::{population::Breakdown, Period};
use crate::i18n::cohorts_texts::cohorts_texts;
use crate::i18n::{event_label, fill, format, template_name};
use crate::model::Meta;
use crate::state::cohort_view::{
    format_brackets, parse_brackets, CohortView, Compare, Measure, SegmentRef,
};

/// Applies a select's chosen key to the view.
type SetOption = Arc<dyn Fn(&mut CohortView, &str) + Send + Sync>;

/// The presets a marketer starts from; `promotion` is the coupon of the last promotion, if any.
pub fn presets(promotion: Option<&str>) -> Vec<(&'static str, CohortView)> {
    let weekly = CohortView::default();
    let repeat = CohortView {
        spec: RetentionSpec {
            return_event: EventFilter::of("purchase"),
            period: Period::Month,
            ..RetentionSpec::default()
        },
        ..CohortView::default()
    };
    let revenue = CohortView {
        spec: RetentionSpec {
            return_event: EventFilter::of("purchase"),
            period: Period::Month,
            ..RetentionSpec::default()
        },
        measure: Measure::CumulativeRevenue,
        ..CohortView::default()
    };
    // "Do customers from the last promotion come back more often than others?"
    let promotion = promotion.map(|code| CohortView {
        spec: RetentionSpec {
            return_event: EventFilter::of("purchase"),
            period: Period::Month,
            ..RetentionSpec::default()
        },
        versus: Some(SegmentRef::Coupon(code.to_owned())),
        ..CohortView::default()
    });
    let mut out = vec![("weekly", weekly), ("repeat", repeat), ("revenue", revenue)];
    out.extend(promotion.map(|p| ("promotion", p)));
    out
}

/// Event choices for start and return pickers, from the data's meta.
fn event_choices(meta: &Meta, t: &crate::i18n::Texts, start: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if start {
        out.push((SIGNUP.to_owned(), event_label(t, SIGNUP)));
    }
    out.push((ANY_ACTIVITY.to_owned(), event_label(t, ANY_ACTIVITY)));
    out.extend(
        meta.event_types
            .iter()
            .map(|e| (e.name.clone(), event_label(t, &e.name))),
    );
    out
}

#[component]
pub fn RetentionControls(
    #[prop(into)] view: Signal<CohortView>,
    on_change: Callback<CohortView>,
    meta: Arc<Meta>,
    /// Coupons used in the data, the most recent first.
    promotions: Arc<Vec<Promotion>>,
    /// Saved segments (id, name) for the breakdown and the filter.
    #[prop(into)]
    saved: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let app = use_settings();
    let properties: Arc<BTreeMap<String, Vec<String>>> = Arc::new(meta.event_properties());
    let attributes: Vec<String> = meta.attributes.iter().map(|a| a.name.clone()).collect();
    let edit = move |change: &dyn Fn(&mut CohortView)| {
        let mut next = view.get_untracked();
        change(&mut next);
        on_change.run(next);
    };
    let brackets_error = RwSignal::new(false);

    // A select bound to one value of the view, with (key, label) options.
    let select = move |label: &'static str,
                       options: Vec<(&'static str, &'static str)>,
                       current: Signal<&'static str>,
                       set: SetOption| {
        let opts = move || {
            options
                .iter()
                .map(|(key, text)| {
                    let key = *key;
                    view! { <option value=key selected=move || current.get() == key>{*text}</option> }
                })
                .collect_view()
        };
        view! {
            <label class="crm-field">
                <span>{label}</span>
                // A label wrapping a select also reads out the chosen option: name it exactly.
                <select aria-label=label on:change=move |ev| {
                    let key = event_target_value(&ev);
                    let set = set.clone();
                    edit(&move |v| set(v, &key));
                }>{opts}</select>
            </label>
        }
    };

    move || {
        let t = app.t();
        let v = view.get();
        let start_events = event_choices(&meta, t, true);
        let return_events = event_choices(&meta, t, false);
        let ct = cohorts_texts(app.locale.get());
        let latest = latest_promotion(&promotions).map(|p| p.code.clone());
        let preset_buttons = presets(latest.as_deref())
            .into_iter()
            .map(|(id, preset)| {
                let label = match id {
                    "weekly" => t.preset_weekly_activity.to_owned(),
                    "repeat" => t.preset_repeat_purchase.to_owned(),
                    "revenue" => t.preset_revenue.to_owned(),
                    _ => fill(
                        ct.preset_last_promotion,
                        &[latest.as_deref().unwrap_or_default()],
                    ),
                };
                let pressed = view.get_untracked() == preset;
                view! {
                    <button type="button" class="crm-chip" aria-pressed=pressed.to_string()
                        on:click=move |_| on_change.run(preset.clone())>{label}</button>
                }
            })
            .collect_view();
        let cohort_key = match v.spec.cohort {
            CohortType::FirstTime => "first_time",
            CohortType::Recurring => "recurring",
            CohortType::FirstEver => "first_ever",
        };
        let period_key = match v.spec.period {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        };
        let windows_key = match v.spec.windows {
            Windows::Calendar => "calendar",
            Windows::Rolling => "rolling",
        };
        let counting_key = match v.spec.counting {
            Counting::On => "on",
            Counting::OnOrAfter => "on_or_after",
        };
        let percent_key = match v.spec.percent_of {
            PercentOf::Cohort => "cohort",
            PercentOf::Previous => "previous",
        };
        let mean_key = match v.spec.mean {
            MeanKind::Weighted => "weighted",
            MeanKind::Simple => "simple",
            MeanKind::None => "none",
        };
        let breakdown_value = match (&v.versus, &v.spec.breakdown) {
            (Some(segment), _) => format!("vs:{}", segment.key()),
            (None, Some(Breakdown::Attribute { attribute, .. })) => format!("attr:{attribute}"),
            _ => String::new(),
        };
        let number_input = |label: &'static str,
                            value: usize,
                            min: usize,
                            max: usize,
                            set: fn(&mut CohortView, usize)| {
            view! {
                <label class="crm-field crm-field-narrow">
                    <span>{label}</span>
                    <input type="number" aria-label=label min=min max=max prop:value=value.to_string() on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                            let n = n.clamp(min, max);
                            edit(&move |v| set(v, n));
                        }
                    }/>
                </label>
            }
        };
        let date_input = |label: &'static str,
                          value: Option<String>,
                          set: fn(&mut CohortView, Option<String>)| {
            view! {
                <label class="crm-field">
                    <span>{label}</span>
                    <input type="date" aria-label=label prop:value=value.unwrap_or_default() on:change=move |ev| {
                        let text = event_target_value(&ev);
                        let value = (!text.is_empty()).then_some(text);
                        edit(&move |v| set(v, value.clone()));
                    }/>
                </label>
            }
        };
        let locale = app.locale.get();
        let zone = app.zone.get();
        let option = |key: String, label: String| {
            let selected = key == breakdown_value;
            view! { <option value=key selected=selected>{label}</option> }
        };
        let group = |label: &'static str, options: Vec<(String, String)>| {
            (!options.is_empty()).then(|| {
                let options = options
                    .into_iter()
                    .map(|(k, l)| option(k, l))
                    .collect_view();
                view! { <optgroup label=label>{options}</optgroup> }
            })
        };
        let versus = |segment: SegmentRef, name: String| {
            (
                format!("vs:{}", segment.key()),
                fill(ct.versus_option, &[&name]),
            )
        };
        let breakdown_options = view! {
            {option(String::new(), t.breakdown_none.to_owned())}
            {group(ct.breakdown_by_attribute, attributes.iter().map(|a| (format!("attr:{a}"), a.clone())).collect())}
            {group(ct.breakdown_by_coupon, promotions.iter().map(|p| {
                let label = fill(ct.coupon_option, &[&p.code, &format::count(p.customers),
                    &format::date(zone.date(p.first), locale), &format::date(zone.date(p.last), locale)]);
                (format!("vs:coupon:{}", p.code), label)
            }).collect())}
            {group(ct.breakdown_by_template, templates().into_iter()
                .map(|tpl| versus(SegmentRef::Template(tpl.id.to_owned()), template_name(t, tpl.id))).collect())}
            {group(ct.breakdown_by_saved, saved.get().into_iter()
                .map(|(id, name)| versus(SegmentRef::Saved(id), name)).collect())}
        };
        let spec_start = Signal::derive(move || view.get().spec.start);
        let spec_return = Signal::derive(move || view.get().spec.return_event);
        view! {
            <section class="crm-card crm-controls" aria-labelledby="crm-retention-settings">
                <h2 id="crm-retention-settings">{t.retention_settings}</h2>
                <div class="crm-presets" role="group" aria-label=t.presets>{preset_buttons}</div>
                <div class="crm-control-grid">
                    <EventFilterPicker legend=t.start_event.to_owned() value=spec_start
                        on_change=Callback::new(move |f: EventFilter| edit(&move |v| v.spec.start = f.clone()))
                        events=start_events properties=properties.clone()/>
                    <EventFilterPicker legend=t.return_event.to_owned() value=spec_return
                        on_change=Callback::new(move |f: EventFilter| edit(&move |v| v.spec.return_event = f.clone()))
                        events=return_events properties=properties.clone()/>
                    <fieldset>
                        <legend>{t.period}</legend>
                        {select(t.cohort_type, vec![("first_time", t.cohort_first_time), ("recurring", t.cohort_recurring), ("first_ever", t.cohort_first_ever)],
                            Signal::stored(cohort_key), Arc::new(|v, k| v.spec.cohort = match k { "recurring" => CohortType::Recurring, "first_ever" => CohortType::FirstEver, _ => CohortType::FirstTime }))}
                        {select(t.period, vec![("day", t.period_day), ("week", t.period_week), ("month", t.period_month)],
                            Signal::stored(period_key), Arc::new(|v, k| v.spec.period = match k { "day" => Period::Day, "month" => Period::Month, _ => Period::Week }))}
                        {number_input(t.periods_count, v.spec.periods, 1, 60, |v, n| v.spec.periods = n)}
                        {number_input(t.cohorts_count, v.spec.cohorts, 1, 60, |v, n| v.spec.cohorts = n)}
                        {date_input(t.date_from, v.spec.from.clone(), |v, d| v.spec.from = d)}
                        {date_input(t.date_to, v.spec.to.clone(), |v, d| v.spec.to = d)}
                        {select(t.windows, vec![("calendar", t.windows_calendar), ("rolling", t.windows_rolling)],
                            Signal::stored(windows_key), Arc::new(|v, k| v.spec.windows = if k == "rolling" { Windows::Rolling } else { Windows::Calendar }))}
                    </fieldset>
                    <fieldset>
                        <legend>{t.counting}</legend>
                        {select(t.counting, vec![("on", t.counting_on), ("on_or_after", t.counting_on_or_after)],
                            Signal::stored(counting_key), Arc::new(|v, k| v.spec.counting = if k == "on_or_after" { Counting::OnOrAfter } else { Counting::On }))}
                        <label class="crm-field">
                            <span>{t.brackets}</span>
                            <input type="text" aria-label=t.brackets placeholder=t.brackets_hint aria-describedby="crm-brackets-hint"
                                aria-invalid=move || brackets_error.get().to_string()
                                prop:value=format_brackets(&v.spec.brackets) on:change=move |ev| {
                                match parse_brackets(&event_target_value(&ev)) {
                                    Ok(brackets) => {
                                        brackets_error.set(false);
                                        edit(&move |v| v.spec.brackets = brackets.clone());
                                    }
                                    Err(_) => brackets_error.set(true),
                                }
                            }/>
                            <small id="crm-brackets-hint" class:crm-field-error=move || brackets_error.get()>
                                {move || if brackets_error.get() { app.t().brackets_invalid } else { app.t().brackets_hint }}
                            </small>
                        </label>
                        {number_input(t.min_occurrences, v.spec.min_occurrences as usize, 1, 100, |v, n| v.spec.min_occurrences = n as u32)}
                        {select(t.percent_of, vec![("cohort", t.percent_of_cohort), ("previous", t.percent_of_previous)],
                            Signal::stored(percent_key), Arc::new(|v, k| v.spec.percent_of = if k == "previous" { PercentOf::Previous } else { PercentOf::Cohort }))}
                        {select(t.mean_kind, vec![("weighted", t.mean_weighted), ("simple", t.mean_simple), ("none", t.mean_none)],
                            Signal::stored(mean_key), Arc::new(|v, k| v.spec.mean = match k { "simple" => MeanKind::Simple, "none" => MeanKind::None, _ => MeanKind::Weighted }))}
                    </fieldset>
                    <fieldset>
                        <legend>{t.measure}</legend>
                        {select(t.measure, vec![("customers", t.measure_customers), ("revenue", t.measure_revenue), ("cumulative", t.measure_cumulative)],
                            Signal::stored(v.measure.key()), Arc::new(|v, k| v.measure = Measure::parse(k).unwrap_or_default()))}
                        <label class="crm-field">
                            <span>{t.breakdown}</span>
                            <select aria-label=t.breakdown on:change=move |ev| {
                                let key = event_target_value(&ev);
                                edit(&move |v| {
                                    v.versus = key.strip_prefix("vs:").and_then(SegmentRef::parse);
                                    v.spec.breakdown = key.strip_prefix("attr:").map(|a| Breakdown::Attribute { attribute: a.to_owned(), limit: 6 });
                                });
                            }>{breakdown_options}</select>
                        </label>
                        <SegmentFilterSelect value=Signal::derive(move || view.get().filter.map(|s| s.key()))
                            saved=saved
                            on_change=Callback::new(move |key: Option<String>| edit(&move |v| v.filter = key.as_deref().and_then(SegmentRef::parse)))/>
                        {select(t.compare_with, vec![("off", t.compare_off), ("counting", t.compare_counting), ("cohort", t.compare_cohort), ("windows", t.compare_windows)],
                            Signal::stored(v.compare.key()), Arc::new(|v, k| v.compare = Compare::parse(k).unwrap_or_default()))}
                    </fieldset>
                </div>
            </section>
        }
    }
}
