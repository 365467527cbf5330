//! Promotions found in the data: every coupon code used on purchases, with how many customers used
//! it and when, so a view can compare "customers of a promotion" with everyone else.

use std::collections::HashMap;

use super::filter::{EventFilter, Literal, ValueTest};
use super::population::{Breakdown, NamedRule};
use super::segment_rule::{Comparison, Rule, Window};
use super::Store;

/// The event that carries coupons.
pub const PURCHASE: &str = "purchase";
/// The purchase property naming the coupon.
pub const COUPON: &str = "coupon";
/// A coupon used over at most this many days is a time-limited promotion.
pub const PROMOTION_DAYS: i64 = 62;

/// One coupon code as used in the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Promotion {
    pub code: String,
    /// Customers who bought with it at least once.
    pub customers: usize,
    /// Purchases made with it.
    pub uses: usize,
    /// Customers whose first purchase was made with it: customers the promotion brought in.
    pub first_purchases: usize,
    /// First and last use, Unix seconds.
    pub first: i64,
    pub last: i64,
}

impl Promotion {
    /// Used over a short span only (a campaign), not all year round.
    pub fn time_limited(&self) -> bool {
        self.last - self.first <= PROMOTION_DAYS * 24 * 3600
    }

    /// Nine in ten of its buyers made their first purchase with it: it brought new customers, so
    /// "bought with it" is close to "came from it".
    pub fn acquisition(&self) -> bool {
        self.first_purchases * 10 >= self.customers * 9
    }
}

/// Every coupon code used on purchases, the most recently used first (then by code).
pub fn promotions(store: &Store) -> Vec<Promotion> {
    let (Some(purchase), Some(coupon)) = (
        store.event_type(PURCHASE),
        store.prop_keys.get(COUPON).map(|k| k as u16),
    ) else {
        return Vec::new();
    };
    let events = &store.events;
    // code → (customers, uses, first, last, first purchases); customers are counted once each.
    let mut seen: HashMap<u32, (usize, usize, i64, i64, usize)> = HashMap::new();
    let mut mine: Vec<u32> = Vec::new();
    for c in 0..store.customers.len() {
        mine.clear();
        let mut first_purchase = true;
        for e in events.of_customer(c as u32) {
            if events.event_type[e] != purchase {
                continue;
            }
            let first = std::mem::replace(&mut first_purchase, false);
            let Some(&(_, value)) = events.props_of(e).iter().find(|(k, _)| *k == coupon) else {
                continue;
            };
            if store.prop_values.value(value).as_text().is_none() {
                continue;
            }
            let at = events.at[e];
            let entry = seen.entry(value).or_insert((0, 0, at, at, 0));
            entry.1 += 1;
            entry.4 += usize::from(first);
            entry.2 = entry.2.min(at);
            entry.3 = entry.3.max(at);
            if !mine.contains(&value) {
                mine.push(value);
                entry.0 += 1;
            }
        }
    }
    let mut out: Vec<Promotion> = seen
        .into_iter()
        .filter_map(|(value, (customers, uses, first, last, first_purchases))| {
            Some(Promotion {
                code: store.prop_values.value(value).as_text()?.to_owned(),
                customers,
                uses,
                first_purchases,
                first,
                last,
            })
        })
        .collect();
    out.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.code.cmp(&b.code)));
    out
}

/// "The last promotion": the most recently used time-limited coupon that brought new customers,
/// else the most recent time-limited one, else the most recent one.
pub fn latest_promotion(list: &[Promotion]) -> Option<&Promotion> {
    list.iter()
        .find(|p| p.time_limited() && p.acquisition())
        .or_else(|| list.iter().find(|p| p.time_limited()))
        .or_else(|| list.first())
}

/// Customers who bought with `code` at least once.
pub fn buyers_rule(code: &str) -> Rule {
    Rule::Performed {
        event: EventFilter::of(PURCHASE).with(
            COUPON,
            ValueTest::Eq {
                value: Literal::Text(code.to_owned()),
            },
        ),
        count: Comparison::at_least_once(),
        window: Window::Ever,
    }
}

/// Two groups: the members of `rule` (labelled `label`) and everyone else (`others`).
pub fn versus_the_rest(label: &str, rule: Rule, others: &str) -> Breakdown {
    Breakdown::Segments {
        segments: vec![
            NamedRule {
                label: label.to_owned(),
                rule: rule.clone(),
            },
            NamedRule {
                label: others.to_owned(),
                rule: Rule::None { rules: vec![rule] },
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::engine::query::QueryContext;
    use crate::engine::segment::{evaluate, SegmentLibrary};

    fn demo() -> Store {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo");
        let read = |name: &str| std::fs::read(dir.join(name)).expect("demo file");
        let (store, _) = Store::from_json(
            &read("meta.json"),
            &read("customers.json"),
            &read("events.json"),
        )
        .expect("demo");
        store
    }

    #[test]
    fn demo_coupons_are_found_with_their_buyers_and_dates() {
        let store = demo();
        let list = promotions(&store);
        let codes: Vec<&str> = list.iter().map(|p| p.code.as_str()).collect();
        for code in ["FLASH50", "FAMILY15", "WELCOME10"] {
            assert!(codes.contains(&code), "{code} in {codes:?}");
        }
        let ctx = QueryContext::default().resolve(&store).expect("context");
        for p in &list {
            // The count equals the segment of its buyers, evaluated by the segment engine.
            let members = evaluate(&store, &ctx, &buyers_rule(&p.code), &SegmentLibrary::new())
                .expect("rule");
            assert_eq!(members.count_ones(..), p.customers, "{}", p.code);
            assert!(p.uses >= p.customers && p.first <= p.last);
        }
        assert!(
            list.windows(2).all(|w| w[0].last >= w[1].last),
            "most recent first"
        );
        let flash = list.iter().find(|p| p.code == "FLASH50").expect("FLASH50");
        assert!(flash.time_limited(), "a two-week ad campaign");
        assert!(flash.acquisition(), "the ad campaign brought new customers");
        let family = list
            .iter()
            .find(|p| p.code == "FAMILY15")
            .expect("FAMILY15");
        assert!(
            !family.acquisition(),
            "the family-month offer brought lapsed customers back"
        );
        let latest = latest_promotion(&list).expect("a promotion");
        assert!(latest.time_limited() && latest.acquisition());
        assert!(list
            .iter()
            .filter(|p| p.time_limited() && p.acquisition())
            .all(|p| p.last <= latest.last));
    }

    #[test]
    fn versus_the_rest_splits_everyone_in_two() {
        let Breakdown::Segments { segments } = versus_the_rest("A", buyers_rule("X"), "rest")
        else {
            panic!("segments");
        };
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[1].label, "rest");
        assert_eq!(
            segments[1].rule,
            Rule::None {
                rules: vec![buyers_rule("X")]
            }
        );
    }

    #[test]
    fn data_without_coupons_has_no_promotions() {
        assert_eq!(latest_promotion(&[]), None);
    }
}
