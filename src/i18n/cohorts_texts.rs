//! Texts of the Cohorts page's group comparison, segment and promotion breakdowns, and saving a
//! cell as a segment.

use super::Locale;

pub struct CohortsTexts {
    pub breakdown_by_attribute: &'static str,
    pub breakdown_by_template: &'static str,
    pub breakdown_by_saved: &'static str,
    pub breakdown_by_coupon: &'static str,
    /// A segment against everyone else, as one breakdown option: {0} segment name.
    pub versus_option: &'static str,
    /// A coupon's option: {0} code, {1} customers, {2} first use, {3} last use.
    pub coupon_option: &'static str,
    /// The group of a coupon's buyers: {0} code.
    pub coupon_buyers: &'static str,
    pub everyone_else: &'static str,
    /// {0} the latest promotion's coupon code.
    pub preset_last_promotion: &'static str,
    pub filter_templates: &'static str,
    pub filter_saved: &'static str,
    pub filter_coupons: &'static str,
    /// A saved segment no longer in the list (deleted elsewhere): {0} its id.
    pub saved_missing: &'static str,
    pub answer_title: &'static str,
    /// {0} first group, {1} its share, {2} return event, {3} period noun, {4} columns,
    /// {5} second group's share, {6} second group, {7} ratio.
    pub answer_more: &'static str,
    pub answer_less: &'static str,
    pub answer_same: &'static str,
    /// The same with value per member instead of a share.
    pub answer_value_more: &'static str,
    pub answer_value_less: &'static str,
    /// More than two groups: {0} highest group, {1} its share, {2} lowest group, {3} its share,
    /// {4} period noun, {5} columns.
    pub answer_many: &'static str,
    pub answer_none: &'static str,
    pub period_noun_day: &'static str,
    pub period_noun_week: &'static str,
    pub period_noun_month: &'static str,
    /// Default name of a segment saved from a cell: {0} the cell sentence's short form.
    pub cell_segment_name: &'static str,
}

pub static EN: CohortsTexts = CohortsTexts {
    breakdown_by_attribute: "Customer attribute",
    breakdown_by_template: "Segment template vs everyone else",
    breakdown_by_saved: "Saved segment vs everyone else",
    breakdown_by_coupon: "Bought with a coupon vs everyone else",
    versus_option: "{0} vs everyone else",
    coupon_option: "{0} ({1} customers, {2} – {3})",
    coupon_buyers: "Bought with {0}",
    everyone_else: "Everyone else",
    preset_last_promotion: "Customers from the last promotion ({0}) vs everyone else",
    filter_templates: "Segment templates",
    filter_saved: "Saved segments",
    filter_coupons: "Bought with a coupon",
    saved_missing: "The saved segment “{0}” no longer exists; choose another.",
    answer_title: "The answer",
    answer_more: "Yes: “{0}” come back more often. On average {1} of them returned ({2}) in each {3} after their first ({4}), against {5} of “{6}”: {7} times as often.",
    answer_less: "No: “{0}” come back less often. On average {1} of them returned ({2}) in each {3} after their first ({4}), against {5} of “{6}”: {7} times as often.",
    answer_same: "About the same: on average {1} of “{0}” returned ({2}) in each {3} after their first ({4}), against {5} of “{6}”.",
    answer_value_more: "Yes: “{0}” bring more back. On average {1} per customer ({2}) in each {3} after their first ({4}), against {5} for “{6}”: {7} times as much.",
    answer_value_less: "No: “{0}” bring less back. On average {1} per customer ({2}) in each {3} after their first ({4}), against {5} for “{6}”: {7} times as much.",
    answer_many: "Most often back: “{0}”, {1} on average in each {4} after their first ({5}). Least often: “{2}”, {3}.",
    answer_none: "No group has a complete period after its first yet, so they cannot be compared.",
    period_noun_day: "day",
    period_noun_week: "week",
    period_noun_month: "month",
    cell_segment_name: "Cohort cell: {0}",
};

pub static KO: CohortsTexts = CohortsTexts {
    breakdown_by_attribute: "고객 속성",
    breakdown_by_template: "세그먼트 템플릿 vs 나머지",
    breakdown_by_saved: "저장된 세그먼트 vs 나머지",
    breakdown_by_coupon: "쿠폰 구매 고객 vs 나머지",
    versus_option: "{0} vs 나머지",
    coupon_option: "{0} ({1}명, {2} – {3})",
    coupon_buyers: "{0} 쿠폰 구매 고객",
    everyone_else: "나머지 고객",
    preset_last_promotion: "지난 프로모션({0})으로 온 고객 vs 나머지",
    filter_templates: "세그먼트 템플릿",
    filter_saved: "저장된 세그먼트",
    filter_coupons: "쿠폰 구매 고객",
    saved_missing: "저장된 세그먼트 “{0}”이(가) 더 이상 없습니다. 다른 세그먼트를 고르세요.",
    answer_title: "답",
    answer_more: "예: “{0}”이(가) 더 자주 돌아옵니다. 첫 {3} 이후 {3}마다 평균 {1}이(가) 다시 {2}했고({4}), “{6}”은(는) {5}로 {7}배입니다.",
    answer_less: "아니요: “{0}”이(가) 덜 자주 돌아옵니다. 첫 {3} 이후 {3}마다 평균 {1}이(가) 다시 {2}했고({4}), “{6}”은(는) {5}로 {7}배입니다.",
    answer_same: "비슷합니다: 첫 {3} 이후 {3}마다 “{0}”의 평균 {1}, “{6}”의 평균 {5}이(가) 다시 {2}했습니다({4}).",
    answer_value_more: "예: “{0}”이(가) 더 많은 매출을 가져옵니다. 첫 {3} 이후 {3}마다 고객당 평균 {1}({2}, {4}), “{6}”은(는) {5}로 {7}배입니다.",
    answer_value_less: "아니요: “{0}”이(가) 더 적은 매출을 가져옵니다. 첫 {3} 이후 {3}마다 고객당 평균 {1}({2}, {4}), “{6}”은(는) {5}로 {7}배입니다.",
    answer_many: "가장 자주 돌아오는 그룹: “{0}”, 첫 {4} 이후 {4}마다 평균 {1}({5}). 가장 드문 그룹: “{2}”, {3}.",
    answer_none: "아직 첫 기간 이후 완료된 기간이 있는 그룹이 없어 비교할 수 없습니다.",
    period_noun_day: "일",
    period_noun_week: "주",
    period_noun_month: "달",
    cell_segment_name: "코호트 셀: {0}",
};

pub fn cohorts_texts(locale: Locale) -> &'static CohortsTexts {
    match locale {
        Locale::Ko => &KO,
        Locale::En => &EN,
    }
}
