//! The page a marketer opens first: headline figures, the monthly trend and who can be reached.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::charts::trend::{trend_svg, TrendChart};
use crate::components::clv_view::ClvView;
use crate::components::kpi_cards::KpiCards;
use crate::components::ltv_cac_view::{initial_costs, run_ltv_cac, LtvCacView};
use crate::components::renewal_radar::{run_renewal, RenewalRadar};
use crate::components::rfm_grid::RfmGrid;
use crate::components::rfm_transitions::{today_and_default_from, RfmTransitionsView};
use crate::components::where_to_act::WhereToAct;
use crate::components::{Figure, Figures, PageHeader, WithDataset};
use crate::engine::ltv_cac::ClvBasis;
use crate::engine::overview::{headline, monthly_trend, reachability};
use crate::engine::rfm::RfmSpec;
use crate::i18n::{fill, format};
use crate::sync::{dataset::analysis_context, Dataset};

#[component]
pub fn Dashboard() -> impl IntoView {
    let app = use_settings();
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_dashboard) intro=Signal::derive(move || app.t().dashboard_intro)/>
        <WithDataset let:data>
            <DashboardBody data/>
        </WithDataset>
    }
}

#[component]
fn DashboardBody(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let currency = app.currency(&data.store.meta.currency);
    // The RFM definition and comparison date are shared by the grid, the moves and the
    // "where to act" sentences, so they always agree.
    let rfm_spec = RwSignal::new(RfmSpec::default());
    let rfm_from = RwSignal::new(
        today_and_default_from(&data, &app)
            .1
            .format("%Y-%m-%d")
            .to_string(),
    );
    // LTV:CAC costs (kept in this browser by `sync::marketing_costs`) and the renewal window,
    // shared by their sections and the sentences at the top.
    let (saved_costs, costs_origin) = initial_costs(&data, &app);
    let costs = RwSignal::new(saved_costs);
    let costs_origin = RwSignal::new(costs_origin);
    let basis = RwSignal::new(ClvBasis::Historic);
    let ltv = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            run_ltv_cac(&data, &app, costs.get(), basis.get())
        })
    };
    let renewal_months = RwSignal::new(3u32);
    let renewal = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            run_renewal(&data, &app, renewal_months.get())
        })
    };
    let as_of = {
        let data = data.clone();
        move || {
            let ctx = analysis_context(&data, &app);
            fill(
                app.t().as_of,
                &[&format::unix_date(ctx.now, &ctx.zone, app.locale.get())],
            )
        }
    };
    let figures = {
        let (data, currency) = (data.clone(), currency.clone());
        Signal::derive(move || {
            let t = app.t();
            let ctx = analysis_context(&data, &app);
            let h = headline(&data.store, &ctx);
            vec![
                Figure {
                    label: t.headline_customers,
                    value: format::count(h.customers),
                    note: None,
                },
                Figure {
                    label: t.headline_events,
                    value: format::count(h.events),
                    note: None,
                },
                Figure {
                    label: t.headline_revenue,
                    value: format::money(h.revenue, &currency, app.locale.get()),
                    note: Some(t.revenue_note),
                },
                Figure {
                    label: t.headline_active_30d,
                    value: format::count(h.active_30d),
                    note: Some(t.active_note),
                },
                Figure {
                    label: t.headline_new_30d,
                    value: format::count(h.new_30d),
                    note: None,
                },
            ]
        })
    };
    let chart = {
        let (data, currency) = (data.clone(), currency.clone());
        move || {
            let t = app.t();
            let locale = app.locale.get();
            let ctx = analysis_context(&data, &app);
            let trend = monthly_trend(&data.store, &ctx, 12);
            // The running month is marked, and a note says how far it runs.
            let months: Vec<String> = trend
                .iter()
                .map(|p| match p.through {
                    Some(_) => format!("{}*", format::month_short(p.start, locale)),
                    None => format::month_short(p.start, locale),
                })
                .collect();
            let running_note = trend
                .last()
                .and_then(|p| p.through.map(|day| (p.start, day)))
                .map(|(start, day)| {
                    fill(
                        t.trend_running_note,
                        &[&format::month(start, locale), &format::date(day, locale)],
                    )
                });
            let revenue: Vec<f64> = trend.iter().map(|p| p.revenue).collect();
            let active: Vec<f64> = trend.iter().map(|p| p.active as f64).collect();
            let money = |v: f64| format::money_compact(v, &currency, locale);
            let svg = trend_svg(&TrendChart {
                months: &months,
                revenue: &revenue,
                active: &active,
                revenue_label: t.revenue_axis,
                active_label: t.active_axis,
                format_money: &money,
            });
            let (first, last) = (trend.first().copied(), trend.last().copied());
            let alt = match (first, last) {
                (Some(a), Some(b)) => fill(
                    t.chart_alt,
                    &[
                        t.revenue_chart_title,
                        &format::month(a.start, locale),
                        &format::month(b.start, locale),
                        &format::money(a.revenue, &currency, locale),
                        &format::money(b.revenue, &currency, locale),
                        &format::count(a.active),
                        &format::count(b.active),
                    ],
                ),
                _ => String::new(),
            };
            match svg {
                Ok(svg) => view! {
                    <figure class="crm-chart">
                        <figcaption>{t.revenue_chart_title}</figcaption>
                        <div role="img" aria-label=alt inner_html=svg></div>
                        {running_note.map(|note| view! { <p class="crm-chart-note">{note}</p> })}
                    </figure>
                }
                .into_any(),
                Err(problem) => {
                    view! { <p class="crm-notice crm-notice-warn">{problem}</p> }.into_any()
                }
            }
        }
    };
    let reach = {
        let data = data.clone();
        move || {
            let t = app.t();
            let r = reachability(&data.store);
            let share = |n: usize| format::percent(n as f64 / r.all.max(1) as f64);
            [
                (t.channel_email, r.email),
                (t.channel_sms, r.sms),
                (t.channel_push, r.push),
                (t.channel_kakao, r.kakao),
            ]
            .into_iter()
            .map(|(name, n)| {
                view! {
                    <tr>
                        <th scope="row">{name}</th>
                        <td class="crm-num">{format::count(n)}</td>
                        <td class="crm-num">{share(n)}</td>
                    </tr>
                }
            })
            .collect_view()
        }
    };
    view! {
        <p class="crm-as-of">{as_of}</p>
        <WhereToAct data=data.clone() rfm_spec rfm_from ltv renewal/>
        <Figures label=Signal::derive(move || app.t().headline_label) figures/>
        <KpiCards data=data.clone()/>
        {chart}
        <RfmGrid data=data.clone() spec=rfm_spec/>
        <RfmTransitionsView data=data.clone() spec=rfm_spec from=rfm_from/>
        <LtvCacView data=data.clone() costs origin=costs_origin basis result=ltv/>
        <RenewalRadar data=data.clone() months=renewal_months result=renewal/>
        <ClvView data=data.clone()/>
        <section class="crm-card" aria-labelledby="crm-reach-title">
            <h2 id="crm-reach-title">{move || app.t().reachable_title}</h2>
            <p class="crm-intro">{move || app.t().reachable_note}</p>
            <table class="crm-table">
                <thead>
                    <tr>
                        <th scope="col">{move || app.t().channel}</th>
                        <th scope="col" class="crm-num">{move || app.t().customers_col}</th>
                        <th scope="col" class="crm-num">{move || app.t().share_of_customers}</th>
                    </tr>
                </thead>
                <tbody>{reach}</tbody>
            </table>
        </section>
    }
}
