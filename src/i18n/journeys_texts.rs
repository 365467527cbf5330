//! Texts of the Journeys page's paths, funnel additions and relationship stages, in English and
//! Korean (one file per feature, so parallel work does not collide in `texts.rs`).

use super::Locale;

/// One field per text; placeholders `{0}`, `{1}` are filled with [`super::fill`].
#[derive(Debug)]
pub struct JourneysTexts {
    /// Paths
    pub paths_title: &'static str,
    /// How customers move from event to event within a session, counted in unique customers per move. Choose a node or a move to see who made it.
    pub paths_intro: &'static str,
    /// Paths start
    pub anchor: &'static str,
    /// Where sessions start
    pub anchor_none: &'static str,
    /// At an event
    pub anchor_start: &'static str,
    /// Ending at an event
    pub anchor_end: &'static str,
    /// Anchor event
    pub anchor_event: &'static str,
    /// Steps
    pub path_steps: &'static str,
    /// Hidden events
    pub hidden_events: &'static str,
    /// Top moves kept
    pub top_moves: &'static str,
    /// Session gap (minutes)
    pub session_gap: &'static str,
    /// Step {0}
    pub step_n: &'static str,
    /// (other)
    pub other_label: &'static str,
    /// Paths in unique customers
    pub sankey_title: &'static str,
    /// Sankey of {0} nodes and {1} moves; the table “Every move” lists them all.
    pub sankey_alt: &'static str,
    /// Every move
    pub moves_caption: &'static str,
    /// Step
    pub col_step: &'static str,
    /// From
    pub col_from: &'static str,
    /// To
    pub col_to: &'static str,
    /// {0} customers have a path.
    pub with_paths: &'static str,
    /// {0} at step {1}: {2} customers
    pub node_button: &'static str,
    /// {0} → {1} at step {2}: {3} customers
    pub link_button: &'static str,
    /// No customer has a path with these settings.
    pub no_paths: &'static str,
    /// {0} customers
    pub customers_n: &'static str,
    /// Time to convert
    pub ttc_title: &'static str,
    /// Converted customers
    pub ttc_y: &'static str,
    /// Converted customers by time to convert
    pub ttc_caption: &'static str,
    /// Time to convert
    pub ttc_bucket: &'static str,
    /// Share
    pub share: &'static str,
    /// {0} min
    pub dur_min: &'static str,
    /// {0} h
    pub dur_h: &'static str,
    /// {0} d
    pub dur_d: &'static str,
    /// {0} – {1}
    pub bucket_range: &'static str,
    /// {0} or more
    pub bucket_open: &'static str,
    /// Breakdown
    pub breakdown: &'static str,
    /// No breakdown
    pub breakdown_none: &'static str,
    /// By segment (templates)
    pub breakdown_segments: &'static str,
    /// By saved segment
    pub breakdown_saved: &'static str,
    /// By {0}
    pub breakdown_attribute: &'static str,
    /// Funnel by {0}
    pub breakdown_caption: &'static str,
    /// segment (what a breakdown by the templates is by, in the caption)
    pub by_segment: &'static str,
    /// saved segment
    pub by_saved_segment: &'static str,
    /// Group
    pub group: &'static str,
    /// Entered
    pub entered: &'static str,
    /// Converted
    pub converted: &'static str,
    /// Conversion
    pub conversion: &'static str,
    /// Median time to convert
    pub median_time: &'static str,
    /// (none)
    pub no_value: &'static str,
    /// Relationship stages
    pub rel_title: &'static str,
    /// Each stage is a segment rule. On a date, a customer is in the first stage from the top whose rule holds then. Compare two dates to see how many moved from each stage to each other.
    pub rel_intro: &'static str,
    /// Interconnection
    pub stage_interconnection: &'static str,
    /// Collaboration
    pub stage_collaboration: &'static str,
    /// Basic
    pub stage_basic: &'static str,
    /// Exploration
    pub stage_exploration: &'static str,
    /// (no stage)
    pub stage_none: &'static str,
    /// (not yet a customer)
    pub stage_not_yet: &'static str,
    /// Stages, first match from the top wins
    pub stages_legend: &'static str,
    /// Name of stage {0}
    pub stage_name: &'static str,
    /// Performed
    pub rule_event: &'static str,
    /// At least (times)
    pub rule_at_least: &'static str,
    /// In the last (days)
    pub rule_days: &'static str,
    /// Rule of {0} as JSON
    pub rule_json: &'static str,
    /// Edit the rule as JSON (any segment rule)
    pub rule_json_summary: &'static str,
    /// Apply rule
    pub rule_apply: &'static str,
    /// This rule is not valid: {0}
    pub rule_invalid: &'static str,
    /// Custom rule (edit as JSON below)
    pub rule_custom: &'static str,
    /// Move {0} up
    pub move_up: &'static str,
    /// Move {0} down
    pub move_down: &'static str,
    /// Remove {0}
    pub remove_stage: &'static str,
    /// Add stage
    pub add_stage: &'static str,
    /// Reset to the default stages
    pub reset_stages: &'static str,
    /// new stage
    pub new_stage: &'static str,
    /// From date
    pub from_date: &'static str,
    /// To date
    pub to_date: &'static str,
    /// Choose two dates, the first not after the second and neither after the data’s date.
    pub bad_date: &'static str,
    /// Customers by stage on {0} (rows) and on {1} (columns)
    pub transitions_caption: &'static str,
    /// On {0} ↓ · on {1} →
    pub corner: &'static str,
    /// Total
    pub total: &'static str,
    /// {0} → {1}: {2} customers
    pub transition_button: &'static str,
    /// Customers per stage on {0}
    pub stage_counts_caption: &'static str,
    /// {0} on {1}, {2} on {3}: {4} customers
    pub moved_title: &'static str,
    /// The stages cannot be evaluated: {0}
    pub rule_error: &'static str,
}

pub static EN: JourneysTexts = JourneysTexts {
    paths_title: "Paths",
    paths_intro: "How customers move from event to event within a session, counted in unique customers per move. Choose a node or a move to see who made it.",
    anchor: "Paths start",
    anchor_none: "Where sessions start",
    anchor_start: "At an event",
    anchor_end: "Ending at an event",
    anchor_event: "Anchor event",
    path_steps: "Steps",
    hidden_events: "Hidden events",
    top_moves: "Top moves kept",
    session_gap: "Session gap (minutes)",
    step_n: "Step {0}",
    other_label: "(other)",
    sankey_title: "Paths in unique customers",
    sankey_alt: "Sankey of {0} nodes and {1} moves; the table “Every move” lists them all.",
    moves_caption: "Every move",
    col_step: "Step",
    col_from: "From",
    col_to: "To",
    with_paths: "{0} customers have a path.",
    node_button: "{0} at step {1}: {2} customers",
    link_button: "{0} → {1} at step {2}: {3} customers",
    no_paths: "No customer has a path with these settings.",
    customers_n: "{0} customers",
    ttc_title: "Time to convert",
    ttc_y: "Converted customers",
    ttc_caption: "Converted customers by time to convert",
    ttc_bucket: "Time to convert",
    share: "Share",
    dur_min: "{0} min",
    dur_h: "{0} h",
    dur_d: "{0} d",
    bucket_range: "{0} – {1}",
    bucket_open: "{0} or more",
    breakdown: "Breakdown",
    breakdown_none: "No breakdown",
    breakdown_segments: "By segment (templates)",
    breakdown_saved: "By saved segment",
    breakdown_attribute: "By {0}",
    breakdown_caption: "Funnel by {0}",
    by_segment: "segment",
    by_saved_segment: "saved segment",
    group: "Group",
    entered: "Entered",
    converted: "Converted",
    conversion: "Conversion",
    median_time: "Median time to convert",
    no_value: "(none)",
    rel_title: "Relationship stages",
    rel_intro: "Each stage is a segment rule. On a date, a customer is in the first stage from the top whose rule holds then. Compare two dates to see how many moved from each stage to each other.",
    stage_interconnection: "Interconnection",
    stage_collaboration: "Collaboration",
    stage_basic: "Basic",
    stage_exploration: "Exploration",
    stage_none: "(no stage)",
    stage_not_yet: "(not yet a customer)",
    stages_legend: "Stages, first match from the top wins",
    stage_name: "Name of stage {0}",
    rule_event: "Performed",
    rule_at_least: "At least (times)",
    rule_days: "In the last (days)",
    rule_json: "Rule of {0} as JSON",
    rule_json_summary: "Edit the rule as JSON (any segment rule)",
    rule_apply: "Apply rule",
    rule_invalid: "This rule is not valid: {0}",
    rule_custom: "Custom rule (edit as JSON below)",
    move_up: "Move {0} up",
    move_down: "Move {0} down",
    remove_stage: "Remove {0}",
    add_stage: "Add stage",
    reset_stages: "Reset to the default stages",
    new_stage: "new stage",
    from_date: "From date",
    to_date: "To date",
    bad_date: "Choose two dates, the first not after the second and neither after the data’s date.",
    transitions_caption: "Customers by stage on {0} (rows) and on {1} (columns)",
    corner: "On {0} ↓ · on {1} →",
    total: "Total",
    transition_button: "{0} → {1}: {2} customers",
    stage_counts_caption: "Customers per stage on {0}",
    moved_title: "{0} on {1}, {2} on {3}: {4} customers",
    rule_error: "The stages cannot be evaluated: {0}",
};

pub static KO: JourneysTexts = JourneysTexts {
    paths_title: "경로",
    paths_intro: "세션 안에서 고객이 이벤트에서 이벤트로 어떻게 이동하는지, 이동마다 고유 고객 수로 보여 줍니다. 노드나 이동을 고르면 해당 고객을 볼 수 있습니다.",
    anchor: "경로 기준",
    anchor_none: "세션이 시작되는 곳",
    anchor_start: "이벤트에서 시작",
    anchor_end: "이벤트에서 끝남",
    anchor_event: "기준 이벤트",
    path_steps: "단계 수",
    hidden_events: "숨길 이벤트",
    top_moves: "유지할 상위 이동 수",
    session_gap: "세션 간격(분)",
    step_n: "{0}단계",
    other_label: "(기타)",
    sankey_title: "고유 고객 기준 경로",
    sankey_alt: "노드 {0}개, 이동 {1}개의 생키 다이어그램입니다. ‘모든 이동’ 표에 전부 나와 있습니다.",
    moves_caption: "모든 이동",
    col_step: "단계",
    col_from: "출발",
    col_to: "도착",
    with_paths: "경로가 있는 고객: {0}명",
    node_button: "{1}단계 {0}: 고객 {2}명",
    link_button: "{2}단계 {0} → {1}: 고객 {3}명",
    no_paths: "이 설정으로는 경로가 있는 고객이 없습니다.",
    customers_n: "고객 {0}명",
    ttc_title: "전환까지 걸린 시간",
    ttc_y: "전환 고객",
    ttc_caption: "전환까지 걸린 시간별 전환 고객",
    ttc_bucket: "걸린 시간",
    share: "비율",
    dur_min: "{0}분",
    dur_h: "{0}시간",
    dur_d: "{0}일",
    bucket_range: "{0} – {1}",
    bucket_open: "{0} 이상",
    breakdown: "나눠 보기",
    breakdown_none: "나누지 않음",
    breakdown_segments: "세그먼트별(템플릿)",
    breakdown_saved: "저장된 세그먼트별",
    breakdown_attribute: "{0}별",
    breakdown_caption: "{0}별 퍼널",
    by_segment: "세그먼트",
    by_saved_segment: "저장된 세그먼트",
    group: "그룹",
    entered: "진입",
    converted: "전환",
    conversion: "전환율",
    median_time: "전환 시간 중앙값",
    no_value: "(값 없음)",
    rel_title: "관계 단계",
    rel_intro: "단계마다 세그먼트 규칙이 있습니다. 어느 날짜에 고객은 위에서부터 처음으로 규칙이 맞는 단계에 속합니다. 두 날짜를 비교하면 단계 사이를 몇 명이 옮겨 갔는지 볼 수 있습니다.",
    stage_interconnection: "상호연결",
    stage_collaboration: "협력",
    stage_basic: "기본",
    stage_exploration: "탐색",
    stage_none: "(단계 없음)",
    stage_not_yet: "(가입 전)",
    stages_legend: "단계(위에서부터 처음 맞는 단계)",
    stage_name: "{0}번째 단계 이름",
    rule_event: "수행한 이벤트",
    rule_at_least: "최소 횟수",
    rule_days: "최근(일)",
    rule_json: "{0} 규칙(JSON)",
    rule_json_summary: "규칙을 JSON으로 편집(모든 세그먼트 규칙)",
    rule_apply: "규칙 적용",
    rule_invalid: "규칙이 올바르지 않습니다: {0}",
    rule_custom: "사용자 규칙(아래 JSON에서 편집)",
    move_up: "{0} 위로",
    move_down: "{0} 아래로",
    remove_stage: "{0} 삭제",
    add_stage: "단계 추가",
    reset_stages: "기본 단계로 되돌리기",
    new_stage: "새 단계",
    from_date: "시작 날짜",
    to_date: "끝 날짜",
    bad_date: "두 날짜를 고르세요. 첫 날짜가 둘째 날짜보다 늦거나 데이터 기준일보다 늦으면 안 됩니다.",
    transitions_caption: "{0} 단계(행)와 {1} 단계(열)별 고객",
    corner: "{0} ↓ · {1} →",
    total: "합계",
    transition_button: "{0} → {1}: 고객 {2}명",
    stage_counts_caption: "{0} 단계별 고객",
    moved_title: "{1} {0}, {3} {2}: 고객 {4}명",
    rule_error: "단계를 계산할 수 없습니다: {0}",
};

/// The texts of `locale`.
pub fn journeys_texts(locale: Locale) -> &'static JourneysTexts {
    match locale {
        Locale::En => &EN,
        Locale::Ko => &KO,
    }
}

/// The display name of a relationship stage: translated for the default names and the
/// engine's reserved labels, as typed otherwise.
pub fn stage_name(t: &JourneysTexts, name: &str) -> String {
    match name {
        "interconnection" => t.stage_interconnection,
        "collaboration" => t.stage_collaboration,
        "basic" => t.stage_basic,
        "exploration" => t.stage_exploration,
        "(no stage)" => t.stage_none,
        "(not yet a customer)" => t.stage_not_yet,
        "(other)" => t.other_label,
        other => other,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_keep_the_same_placeholders() {
        let (en, ko) = (journeys_texts(Locale::En), journeys_texts(Locale::Ko));
        let pairs = [
            (en.step_n, ko.step_n),
            (en.sankey_alt, ko.sankey_alt),
            (en.with_paths, ko.with_paths),
            (en.node_button, ko.node_button),
            (en.link_button, ko.link_button),
            (en.customers_n, ko.customers_n),
            (en.dur_min, ko.dur_min),
            (en.dur_h, ko.dur_h),
            (en.dur_d, ko.dur_d),
            (en.bucket_range, ko.bucket_range),
            (en.bucket_open, ko.bucket_open),
            (en.breakdown_attribute, ko.breakdown_attribute),
            (en.breakdown_caption, ko.breakdown_caption),
            (en.stage_name, ko.stage_name),
            (en.rule_json, ko.rule_json),
            (en.rule_invalid, ko.rule_invalid),
            (en.move_up, ko.move_up),
            (en.move_down, ko.move_down),
            (en.remove_stage, ko.remove_stage),
            (en.transitions_caption, ko.transitions_caption),
            (en.corner, ko.corner),
            (en.transition_button, ko.transition_button),
            (en.stage_counts_caption, ko.stage_counts_caption),
            (en.moved_title, ko.moved_title),
            (en.rule_error, ko.rule_error),
        ];
        for (e, k) in pairs {
            for i in 0..6 {
                let p = format!("{{{i}}}");
                assert_eq!(e.contains(&p), k.contains(&p), "{e} / {k}");
            }
        }
        assert_eq!(stage_name(ko, "basic"), "기본");
        assert_eq!(stage_name(en, "my stage"), "my stage");
    }
}
