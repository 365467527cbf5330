//! One customer's journey (`/customers/:id`): attributes and consent, key numbers, the segments
//! they are in, and every event on a timeline grouped by local day, filterable by type and paged.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::app::use_settings;
use crate::components::member_table::{rfm_name, stage_name};
use crate::components::{PageHeader, WithDataset};
use crate::engine::members::member_rows;
use crate::engine::segment::{CompiledRule, SegmentLibrary};
use crate::engine::segment_templates::templates;
use crate::engine::store::AttrValue;
use crate::engine::store::CustomerIx;
use crate::engine::timeline::{event_types_of, timeline};
use crate::i18n::rule_sentence::attribute_label;
use crate::i18n::{event_label, fill, format, segments_texts, template_name};
use crate::sync::{dataset::analysis_context, Dataset};

/// Days of the timeline shown at first and added by "show older".
const DAYS_PER_PAGE: usize = 30;

#[component]
pub fn CustomerProfile() -> impl IntoView {
    let app = use_settings();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    view! {
        <WithDataset let:data>
            {move || {
                let id = id.get();
                match data.store.customers.find(&id) {
                    Some(ix) => view! { <Profile data=data.clone() customer=ix/> }.into_any(),
                    None => {
                        let st = segments_texts(app.locale.get());
                        view! {
                            <PageHeader title=Signal::derive(move || app.t().nav_customers) intro=Signal::derive(move || app.t().customers_intro)/>
                            <p class="crm-notice crm-notice-error" role="alert">{fill(st.profile_not_found, &[&id])}</p>
                            <p><a href=app.href("/customers")>{st.profile_back}</a></p>
                        }
                        .into_any()
                    }
                }
            }}
        </WithDataset>
    }
}

fn attribute_text(
    value: &AttrValue,
    zone: &crate::engine::Zone,
    locale: crate::i18n::Locale,
) -> String {
    let st = segments_texts(locale);
    match value {
        AttrValue::Missing => "—".to_owned(),
        AttrValue::Text(s) => s.clone(),
        AttrValue::Number(x) => format::decimal(*x, if x.fract() == 0.0 { 0 } else { 2 }),
        AttrValue::Bool(true) => st.yes.to_owned(),
        AttrValue::Bool(false) => st.no.to_owned(),
        AttrValue::Date(at) => format::unix_date(*at, zone, locale),
        AttrValue::Day(day) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            format::date(epoch + chrono::Duration::days(i64::from(*day)), locale)
        }
        AttrValue::List(items) => items.join(", "),
    }
}

#[component]
fn Profile(data: Arc<Dataset>, customer: CustomerIx) -> impl IntoView {
    let app = use_settings();
    let c = customer as usize;
    let name = data.store.customers.names[c].clone();
    let currency = app.currency(&data.store.meta.currency);
    let types = event_types_of(&data.store, customer);
    let hidden: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let pages = RwSignal::new(1usize);

    let attributes = {
        let data = data.clone();
        move || {
            let locale = app.locale.get();
            let zone = app.zone.get();
            let st = segments_texts(locale);
            let cs = &data.store.customers;
            let mut items = vec![
                (st.profile_customer_id.to_owned(), cs.ids[c].clone()),
                (
                    st.attr_email.to_owned(),
                    cs.emails[c].clone().unwrap_or_else(|| "—".into()),
                ),
                (
                    st.attr_phone.to_owned(),
                    cs.phones[c].clone().unwrap_or_else(|| "—".into()),
                ),
                (
                    st.attr_created_at.to_owned(),
                    format::unix_date(cs.created_at[c], &zone, locale),
                ),
            ];
            for column in &cs.attributes {
                items.push((
                    attribute_label(st, &column.name),
                    attribute_text(&column.values[c], &zone, locale),
                ));
            }
            let consent = cs.consent[c];
            let channels = [
                (st.attr_consent_email, consent.email),
                (st.attr_consent_sms, consent.sms),
                (st.attr_consent_push, consent.push),
                (st.attr_consent_kakao, consent.kakao),
            ];
            view! {
                <section class="crm-card" aria-labelledby="crm-profile-attributes">
                    <h2 id="crm-profile-attributes">{st.profile_attributes}</h2>
                    <dl class="crm-facts">
                        {items.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                    </dl>
                    <h3>{st.profile_consent}</h3>
                    <dl class="crm-facts" data-testid="consent">
                        {channels.into_iter().map(|(k, yes)| view! {
                            <div><dt>{k}</dt><dd>{if yes { st.yes } else { st.no }}</dd></div>
                        }).collect_view()}
                    </dl>
                </section>
            }
        }
    };

    let numbers = {
        let data = data.clone();
        let currency = currency.clone();
        move || {
            let locale = app.locale.get();
            let zone = app.zone.get();
            let (t, st) = (locale.texts(), segments_texts(locale));
            let ctx = analysis_context(&data, &app);
            let rows = member_rows(&data.store, &ctx);
            let Some(row) = rows.get(c).cloned() else {
                return ().into_any();
            };
            let average = if row.orders > 0 {
                format::money(row.revenue / row.orders as f64, &currency, locale)
            } else {
                "—".to_owned()
            };
            let days_since = row
                .last_seen
                .map(|at| format::count(((ctx.now - at).max(0) / 86_400) as usize))
                .unwrap_or_else(|| t.never.to_owned());
            let rfm = row
                .rfm
                .map(|s| format!("{} / {} / {}", s.recency, s.frequency, s.monetary))
                .unwrap_or_else(|| "—".to_owned());
            let contract_end = data
                .store
                .customers
                .attribute("contract_end")
                .map(|col| attribute_text(&col.values[c], &zone, locale))
                .unwrap_or_else(|| "—".to_owned());
            let library: SegmentLibrary = templates()
                .into_iter()
                .map(|t| (t.id.to_owned(), t.rule))
                .collect();
            let member_of: Vec<String> = templates()
                .into_iter()
                .filter(|tpl| {
                    CompiledRule::compile(&data.store, &ctx, &tpl.rule, &library)
                        .map(|r| r.matches(&data.store, customer))
                        .unwrap_or(false)
                })
                .map(|tpl| template_name(t, tpl.id))
                .collect();
            let items = vec![
                (t.col_orders.to_owned(), format::count(row.orders as usize)),
                (
                    t.col_revenue.to_owned(),
                    format::money(row.revenue, &currency, locale),
                ),
                (st.profile_average_order.to_owned(), average),
                (
                    st.col_clv.to_owned(),
                    format::money(row.clv, &currency, locale),
                ),
                (st.profile_days_since.to_owned(), days_since),
                (st.profile_rfm_scores.to_owned(), rfm),
                (st.col_rfm.to_owned(), rfm_name(t, st, &row.rfm_segment)),
                (st.col_stage.to_owned(), stage_name(t, row.stage)),
                (st.profile_contract_end.to_owned(), contract_end),
            ];
            view! {
                <section class="crm-card" aria-labelledby="crm-profile-numbers">
                    <h2 id="crm-profile-numbers">{st.profile_numbers}</h2>
                    <dl class="crm-figures" data-testid="key-numbers">
                        {items.into_iter().map(|(k, v)| view! {
                            <div class="crm-figure"><dt>{k}</dt><dd><span class="crm-figure-value">{v}</span></dd></div>
                        }).collect_view()}
                    </dl>
                    <h3>{st.profile_segments}</h3>
                    {if member_of.is_empty() {
                        view! { <p class="crm-muted">{st.profile_no_segments}</p> }.into_any()
                    } else {
                        view! { <ul class="crm-tags" data-testid="member-of">{member_of.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> }.into_any()
                    }}
                </section>
            }
            .into_any()
        }
    };

    let filter = {
        let types = types.clone();
        move || {
            let locale = app.locale.get();
            let (t, st) = (locale.texts(), segments_texts(locale));
            let boxes = types
                .iter()
                .map(|ty| {
                    let ty = ty.clone();
                    let checked = {
                        let ty = ty.clone();
                        move || !hidden.with(|h| h.contains(&ty))
                    };
                    let toggle = {
                        let ty = ty.clone();
                        move |_| {
                            hidden.update(|h| {
                                if let Some(i) = h.iter().position(|x| *x == ty) {
                                    h.remove(i);
                                } else {
                                    h.push(ty.clone());
                                }
                            });
                            pages.set(1);
                        }
                    };
                    view! {
                        <label class="crm-check">
                            <input type="checkbox" prop:checked=checked on:change=toggle data-type=ty.clone()/>
                            {event_label(t, &ty)}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="crm-type-filter">
                    <legend>{st.profile_filter}</legend>
                    {boxes}
                </fieldset>
            }
        }
    };

    let days_view = {
        let data = data.clone();
        let types = types.clone();
        let currency = currency.clone();
        move || {
            let locale = app.locale.get();
            let zone = app.zone.get();
            let (t, st) = (locale.texts(), segments_texts(locale));
            let ctx = analysis_context(&data, &app);
            let shown_types: Vec<String> =
                hidden.with(|h| types.iter().filter(|x| !h.contains(x)).cloned().collect());
            let days = timeline(&data.store, &ctx, customer, Some(&shown_types));
            let total = days.len();
            let limit = (pages.get() * DAYS_PER_PAGE).min(total);
            let list = days
                .into_iter()
                .take(limit)
                .map(|day| {
                    let n = day.events.len();
                    let events = day
                        .events
                        .into_iter()
                        .map(|e| {
                            let time = zone.datetime(e.at).format("%H:%M").to_string();
                            let amount = e.value.map(|v| format::money(v, &currency, locale));
                            let props = e
                                .properties
                                .iter()
                                .map(|(k, v)| format!("{k}: {v}"))
                                .collect::<Vec<_>>()
                                .join(" · ");
                            view! {
                                <li class="crm-event" data-type=e.event_type.clone()>
                                    <span class="crm-event-time">{time}</span>
                                    <span class="crm-event-type">{event_label(t, &e.event_type)}</span>
                                    {amount.map(|a| view! { <span class="crm-event-amount" data-testid="amount">{a}</span> })}
                                    <span class="crm-event-props">{props}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="crm-day" data-date=day.date.to_string()>
                            <h3>{format::date(day.date, locale)}<span class="crm-sub">{fill(st.profile_day_events, &[&n.to_string()])}</span></h3>
                            <ul class="crm-events">{events}</ul>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p class="crm-count" role="status" data-testid="days-shown">{fill(st.profile_days_shown, &[&format::count(limit), &format::count(total)])}</p>
                {(total == 0).then(|| view! { <p class="crm-empty">{st.profile_no_events}</p> })}
                <ol class="crm-timeline">{list}</ol>
                {(limit < total).then(|| view! {
                    <button type="button" class="crm-secondary" on:click=move |_| pages.update(|p| *p += 1)>{st.profile_show_older}</button>
                })}
            }
        }
    };

    view! {
        <header class="crm-page-header">
            <h1>{name}</h1>
            <p class="crm-intro">{move || data.store.customers.ids[c].clone()}</p>
        </header>
        <p><a href=app.href("/customers")>{move || format!("← {}", segments_texts(app.locale.get()).profile_back)}</a></p>
        <div class="crm-columns">
            {attributes}
            {numbers}
        </div>
        <section class="crm-card" aria-labelledby="crm-profile-timeline">
            <h2 id="crm-profile-timeline">{move || segments_texts(app.locale.get()).profile_timeline}</h2>
            {filter}
            {days_view}
        </section>
    }
}
