//! The customers behind an RFM cell or named segment, as the engine's `rfm_customers` lists
//! them: names linking to their profiles, the full list as CSV.
//!
//! A cell (R, F) is asked as a one-segment spec `{"name": "R5 F3", "r": [5, 5], "f": [3, 3]}`:
//! segment definitions do not change scores, so its members are exactly the cell's.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::download::download_text;
use crate::components::save_as_segment::SaveAsSegment;
use crate::engine::query::{Analysis, CustomerList, QueryResult, RfmCustomersSpec};
use crate::engine::rfm::{RfmSegmentDef, RfmSpec, NO_PURCHASE};
use crate::engine::QueryError;
use crate::export::excel_csv;
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, format, rfm_segment_name};
use crate::state::kpi_links::encode_component;
use crate::sync::{dataset::run_query, Dataset};

/// How many names the panel lists; the CSV has all.
const SHOWN: usize = 100;

/// What was clicked: a named segment (by its spec name) or a grid cell (R, F).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RfmPick {
    Segment(String),
    Cell(u8, u8),
}

impl RfmPick {
    /// The `rfm_customers` spec that lists this pick's customers.
    pub fn query(&self, spec: &RfmSpec) -> RfmCustomersSpec {
        match self {
            RfmPick::Segment(name) => RfmCustomersSpec {
                rfm: spec.clone(),
                segment: name.clone(),
            },
            RfmPick::Cell(r, f) => {
                let name = format!("R{r} F{f}");
                RfmCustomersSpec {
                    rfm: RfmSpec {
                        segments: vec![RfmSegmentDef {
                            name: name.clone(),
                            r: [*r, *r],
                            f: [*f, *f],
                        }],
                        ..spec.clone()
                    },
                    segment: name,
                }
            }
        }
    }
}

pub fn list_members(
    data: &Dataset,
    app: &crate::app::AppSettings,
    spec: RfmCustomersSpec,
) -> Result<CustomerList, QueryError> {
    match run_query(data, app, None, Analysis::RfmCustomers(spec))? {
        QueryResult::RfmCustomers(list) => Ok(list),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

#[component]
pub fn RfmMembers(
    data: Arc<Dataset>,
    spec: RwSignal<RfmSpec>,
    picked: RwSignal<Option<RfmPick>>,
) -> impl IntoView {
    let app = use_settings();
    move || {
        let pick = picked.get()?;
        let t = app.t();
        let d = dashboard_texts(app.locale.get());
        let title = match &pick {
            RfmPick::Segment(name) if name == NO_PURCHASE => d.rfm_no_purchase.to_owned(),
            RfmPick::Segment(name) => rfm_segment_name(t, name),
            RfmPick::Cell(r, f) => format!("R{r} F{f}"),
        };
        let list = match list_members(&data, &app, pick.query(&spec.get_untracked())) {
            Ok(list) => list,
            Err(err) => {
                return Some(view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any())
            }
        };
        let store = &data.store;
        let items = list
            .customers
            .iter()
            .take(SHOWN)
            .map(|id| {
                let name = store.customers.name_and_email(id).0.to_owned();
                let href = app.href(&format!("/customers/{}", encode_component(id)));
                let label = fill(d.rfm_open_profile, &[&name]);
                view! { <li><a href=href aria-label=label>{name}</a>" "<span class="crm-muted">{format!("({id})")}</span></li> }
            })
            .collect_view();
        let csv = excel_csv(
            &[t.customer_id, t.name, t.email],
            list.customers.iter().map(|id| {
                let (name, email) = store.customers.name_and_email(id);
                vec![id.clone(), name.to_owned(), email.to_owned()]
            }),
        );
        let more = list.count.saturating_sub(SHOWN);
        let ids = list.customers.clone();
        let segment_name = format!("RFM {title}");
        let file = format!("crm-lens-rfm-{}.csv", title.replace([' ', '/'], "-"));
        Some(
            view! {
                <aside class="crm-card crm-explainer" aria-labelledby="crm-rfm-members-title">
                    <div class="crm-explainer-head">
                        <h3 id="crm-rfm-members-title">{fill(d.rfm_members_title, &[&title, &format::count(list.count)])}</h3>
                        <button type="button" class="crm-link-button" on:click=move |_| picked.set(None)>{t.close}</button>
                    </div>
                    <ul class="crm-name-list crm-rfm-members">{items}</ul>
                    {(more > 0).then(|| view! { <p>{fill(t.more_not_shown, &[&format::count(more)])}</p> })}
                    <button type="button" class="crm-button" on:click=move |_| {
                        let _ = download_text(&file, "text/csv;charset=utf-8", &csv);
                    }>{t.download_csv}</button>
                    <SaveAsSegment ids=Signal::derive(move || ids.clone()) default_name=Signal::derive(move || segment_name.clone())/>
                </aside>
            }
            .into_any(),
        )
    }
}
