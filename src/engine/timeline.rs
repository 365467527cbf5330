//! One customer's journey: every event, newest first, grouped by local day in the report's zone,
//! optionally only some event types. The profile page pages through the days.

use chrono::NaiveDate;

use super::store::{CustomerIx, Scalar, Store};
use super::time::Context;

/// One local day of a customer's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineDay {
    pub date: NaiveDate,
    /// Newest first.
    pub events: Vec<TimelineEvent>,
}

/// One event as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// Unix seconds.
    pub at: i64,
    pub event_type: String,
    pub value: Option<f64>,
    /// Properties as (key, value text), in key order of the store.
    pub properties: Vec<(String, String)>,
}

/// The days of `customer`'s events (every event, also after now), newest first; with `types`,
/// only events of those types.
pub fn timeline(
    store: &Store,
    ctx: &Context,
    customer: CustomerIx,
    types: Option<&[String]>,
) -> Vec<TimelineDay> {
    let e = &store.events;
    let mut days: Vec<TimelineDay> = Vec::new();
    for i in e.of_customer(customer).rev() {
        let event_type = store.event_types.name(u32::from(e.event_type[i]));
        if types.is_some_and(|t| !t.iter().any(|t| t == event_type)) {
            continue;
        }
        let date = ctx.zone.date(e.at[i]);
        let event = TimelineEvent {
            at: e.at[i],
            event_type: event_type.to_owned(),
            value: e.value_of(i),
            properties: e
                .props_of(i)
                .iter()
                .map(|&(k, v)| {
                    let text = match store.prop_values.value(v) {
                        Scalar::Text(s) => s.clone(),
                        Scalar::Number(x) => x.to_string(),
                        Scalar::Bool(b) => b.to_string(),
                        Scalar::Null => "null".to_owned(),
                    };
                    (store.prop_keys.name(u32::from(k)).to_owned(), text)
                })
                .collect(),
        };
        match days.last_mut() {
            Some(day) if day.date == date => day.events.push(event),
            _ => days.push(TimelineDay {
                date,
                events: vec![event],
            }),
        }
    }
    days
}

/// The event types a customer has, alphabetically (for the timeline's filter).
pub fn event_types_of(store: &Store, customer: CustomerIx) -> Vec<String> {
    let mut types: Vec<String> = store
        .events
        .of_customer(customer)
        .map(|i| {
            store
                .event_types
                .name(u32::from(store.events.event_type[i]))
                .to_owned()
        })
        .collect();
    types.sort();
    types.dedup();
    types
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Zone;

    #[test]
    fn events_group_by_local_day_newest_first_and_filter_by_type() {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
        let customers = br#"[{"id":"a","name":"A","created_at":"2026-01-01T00:00:00+09:00"},
                             {"id":"b","name":"B","created_at":"2026-01-01T00:00:00+09:00"}]"#;
        let events = br#"[
            {"customer_id":"a","type":"visit","at":"2026-01-02T23:59:59+09:00"},
            {"customer_id":"a","type":"purchase","at":"2026-01-02T15:00:00Z","value":12000,"properties":{"coupon":"SPRING","items":2}},
            {"customer_id":"a","type":"visit","at":"2026-01-02T00:00:00+09:00"},
            {"customer_id":"b","type":"visit","at":"2026-01-02T00:00:00+09:00"}]"#;
        let store = Store::from_json(meta, customers, events).expect("store").0;
        let ctx = Context::new(1_769_785_200, Zone::default());
        let days = timeline(&store, &ctx, 0, None);
        // 15:00 UTC on the 2nd is midnight of the 3rd in Seoul.
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].date.to_string(), "2026-01-03");
        assert_eq!(days[0].events[0].value, Some(12000.0));
        assert_eq!(
            days[0].events[0].properties,
            [
                ("coupon".to_owned(), "SPRING".to_owned()),
                ("items".to_owned(), "2".to_owned())
            ]
        );
        assert_eq!(days[1].events.len(), 2);
        assert!(days[1].events[0].at > days[1].events[1].at);
        let purchases = timeline(&store, &ctx, 0, Some(&["purchase".to_owned()]));
        assert_eq!(purchases.len(), 1);
        assert_eq!(event_types_of(&store, 0), ["purchase", "visit"]);
        assert_eq!(timeline(&store, &ctx, 1, None).len(), 1);
    }
}
