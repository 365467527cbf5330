//! KPI names and their formulas written out with the actual numbers, so a marketer can explain
//! every figure ("(4,210 − 620) ÷ 4,050 × 100 = 88.6%").

use super::{fill, format, Locale, Texts};
use crate::engine::kpi::{Formula, Kpi};

/// The KPI's display name.
pub fn kpi_name(t: &Texts, formula: Formula) -> &'static str {
    match formula {
        Formula::ActiveCustomers => t.kpi_active,
        Formula::NewCustomers => t.kpi_new,
        Formula::Revenue => t.kpi_revenue,
        Formula::Orders => t.col_orders,
        Formula::AverageOrderValue => t.kpi_aov,
        Formula::RepeatPurchaseRate => t.kpi_repeat,
        Formula::ChurnRate => t.kpi_churn,
        Formula::ConversionRate => t.kpi_conversion,
        Formula::RetentionRate => t.kpi_retention,
        Formula::Nps => t.kpi_nps,
        Formula::Clv => t.kpi_clv,
    }
}

/// Whether the KPI is money (formatted in the currency).
pub fn is_money(formula: Formula) -> bool {
    matches!(
        formula,
        Formula::Revenue | Formula::AverageOrderValue | Formula::Clv
    )
}

/// The KPI's value as text: `—` when undefined, never NaN.
pub fn kpi_value(kpi: &Kpi, currency: &str, locale: Locale) -> String {
    let Some(v) = kpi.value.filter(|v| v.is_finite()) else {
        return "—".into();
    };
    match kpi.formula {
        f if is_money(f) => format::money(v, currency, locale),
        Formula::ActiveCustomers | Formula::NewCustomers | Formula::Orders => {
            format::integer(v.round() as i64)
        }
        Formula::Nps => format::decimal(v, 1),
        _ => format!("{}%", format::decimal(v, 1)),
    }
}

/// The formula with the numbers it was computed from.
pub fn kpi_formula(t: &Texts, kpi: &Kpi, currency: &str, locale: Locale) -> String {
    let input = |name: &str| kpi.inputs.iter().find(|i| i.name == name).map(|i| i.value);
    let count = |name: &str| input(name).map_or("—".into(), |v| format::integer(v.round() as i64));
    let money =
        |name: &str| input(name).map_or("—".into(), |v| format::money(v, currency, locale));
    let result = match kpi.value {
        Some(_) => kpi_value(kpi, currency, locale),
        None => t.f_undefined.to_owned(),
    };
    match kpi.formula {
        Formula::ActiveCustomers => fill(t.f_active, &[&result]),
        Formula::NewCustomers => fill(t.f_new, &[&result]),
        Formula::Orders => result,
        Formula::Revenue => fill(
            t.f_revenue,
            &[&money("purchase_revenue"), &money("refunds"), &result],
        ),
        Formula::AverageOrderValue => fill(
            t.f_aov,
            &[&money("purchase_revenue"), &count("orders"), &result],
        ),
        Formula::RepeatPurchaseRate => fill(
            t.f_repeat,
            &[&count("repeat_buyers"), &count("buyers"), &result],
        ),
        Formula::ChurnRate => fill(
            t.f_churn,
            &[&count("churned"), &count("customers_at_start"), &result],
        ),
        Formula::ConversionRate => fill(
            t.f_conversion,
            &[&count("purchases"), &count("visits"), &result],
        ),
        Formula::RetentionRate => fill(
            t.f_retention,
            &[
                &count("customers_at_end"),
                &count("new_customers"),
                &count("customers_at_start"),
                &result,
            ],
        ),
        Formula::Nps => {
            let respondents = ["promoters", "passives", "detractors"]
                .iter()
                .filter_map(|n| input(n))
                .sum::<f64>();
            fill(
                t.f_nps,
                &[
                    &count("promoters"),
                    &count("detractors"),
                    &format::integer(respondents as i64),
                    &result,
                ],
            )
        }
        Formula::Clv => fill(
            t.f_clv,
            &[
                &money("average_purchase"),
                &input("purchase_frequency_per_month")
                    .map_or("—".into(), |v| format::decimal(v, 2)),
                &input("retention_months").map_or("—".into(), |v| format::decimal(v, 1)),
                &result,
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::kpi::KpiInput;

    fn kpi(formula: Formula, value: Option<f64>, inputs: &[(&'static str, f64)]) -> Kpi {
        Kpi {
            formula,
            value,
            inputs: inputs
                .iter()
                .map(|&(name, value)| KpiInput { name, value })
                .collect(),
        }
    }

    #[test]
    fn formulas_show_their_numbers() {
        let en = Locale::En.texts();
        let retention = kpi(
            Formula::RetentionRate,
            Some(88.6),
            &[
                ("customers_at_end", 4210.0),
                ("new_customers", 620.0),
                ("customers_at_start", 4050.0),
            ],
        );
        assert_eq!(
            kpi_formula(en, &retention, "KRW", Locale::En),
            "(Active at the end 4,210 − new 620) ÷ active at the start 4,050 × 100 = 88.6%"
        );
        let aov = kpi(
            Formula::AverageOrderValue,
            Some(30000.0),
            &[("purchase_revenue", 3_000_000.0), ("orders", 100.0)],
        );
        assert_eq!(
            kpi_formula(Locale::Ko.texts(), &aov, "KRW", Locale::Ko),
            "구매 매출 3,000,000원 ÷ 주문 100 = 30,000원"
        );
    }

    #[test]
    fn a_zero_denominator_shows_a_dash_not_nan() {
        let en = Locale::En.texts();
        let churn = kpi(
            Formula::ChurnRate,
            None,
            &[("churned", 0.0), ("customers_at_start", 0.0)],
        );
        assert_eq!(kpi_value(&churn, "KRW", Locale::En), "—");
        let text = kpi_formula(en, &churn, "KRW", Locale::En);
        assert!(text.ends_with("= — (the denominator is 0)"), "{text}");
        assert!(!text.contains("NaN"));
    }
}
