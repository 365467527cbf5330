//! Ready-made segments from DOMAIN.md's templates, as rules a marketer can use and edit.
//!
//! Names are translated by the UI (by `id`); the rules only use event types and attributes of
//! the v1 vocabulary, so on data without them they simply select no one.

use super::filter::{EventFilter, ValueTest};
use super::segment_rule::{Aggregate, AttributeTest, CompareOp, Comparison, Rule, Span, Window};

/// A named starting point for a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Stable id, also the key of its translated name.
    pub id: &'static str,
    pub rule: Rule,
}

/// Every template, in the order a marketer meets the situations.
pub fn templates() -> Vec<Template> {
    let purchase = || EventFilter::of("purchase");
    vec![
        Template {
            id: "win_back",
            rule: Rule::NotPerformed {
                event: EventFilter::of("visit"),
                window: Window::LastDays(14),
            },
        },
        Template {
            id: "first_purchase_nudge",
            rule: Rule::NotFollowedBy {
                first: EventFilter::of("signup"),
                then: purchase(),
                within: Span::days(7),
                window: Window::Ever,
            },
        },
        Template {
            id: "cart_reminder",
            rule: Rule::NotFollowedBy {
                first: EventFilter::of("cart_add"),
                then: purchase(),
                within: Span::days(1),
                window: Window::LastDays(30),
            },
        },
        Template {
            id: "vip_revenue",
            rule: Rule::Aggregate {
                event: purchase(),
                aggregate: Aggregate::Sum,
                compare: Comparison {
                    op: CompareOp::Gte,
                    value: 1_000_000.0,
                },
                window: Window::LastDays(365),
            },
        },
        Template {
            id: "service_recovery",
            rule: Rule::any(vec![
                Rule::Performed {
                    event: EventFilter::of("nps_response")
                        .with("score", ValueTest::Lte { value: 6.0 }),
                    count: Comparison::at_least_once(),
                    window: Window::LastDays(180),
                },
                Rule::Attribute {
                    attribute: "satisfaction".into(),
                    test: AttributeTest::Lte { value: 2.0 },
                },
            ]),
        },
        Template {
            id: "renewal",
            rule: Rule::Attribute {
                attribute: "contract_end".into(),
                test: AttributeTest::InNextDays { days: 90 },
            },
        },
        Template {
            id: "discount_hunters",
            rule: Rule::all(vec![
                Rule::Performed {
                    event: purchase().with("coupon", ValueTest::Exists),
                    count: Comparison::at_least_once(),
                    window: Window::Ever,
                },
                Rule::NotPerformed {
                    event: purchase().with("coupon", ValueTest::NotExists),
                    window: Window::Ever,
                },
            ]),
        },
    ]
}

/// The template with this id.
pub fn template(id: &str) -> Option<Template> {
    templates().into_iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::engine::query::QueryContext;
    use crate::engine::segment::{evaluate, SegmentLibrary};
    use crate::engine::Store;

    #[test]
    fn every_template_selects_some_but_not_all_demo_customers() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo");
        let read = |name: &str| std::fs::read(dir.join(name)).expect("demo file");
        let (store, _) = Store::from_json(
            &read("meta.json"),
            &read("customers.json"),
            &read("events.json"),
        )
        .expect("demo");
        let ctx = QueryContext::default().resolve(&store).expect("context");
        for template in templates() {
            let members = evaluate(&store, &ctx, &template.rule, &SegmentLibrary::new())
                .unwrap_or_else(|e| panic!("{}: {e}", template.id));
            let n = members.count_ones(..);
            assert!(
                n > 0 && n < store.customers.len(),
                "{} selects {n} of {}",
                template.id,
                store.customers.len()
            );
        }
        assert!(template("renewal").is_some());
        assert!(template("nope").is_none());
    }
}
