//! Texts of the journey backtest view, in English and Korean (one file per feature).

use super::Locale;

/// One field per text; placeholders `{0}`, `{1}` are filled with [`super::fill`].
#[derive(Debug)]
pub struct JourneyBacktestTexts {
    /// Backtest on history
    pub title: &'static str,
    /// Replays the last days of real history through this journey, customer by customer: who would have entered, which way they went, how many messages each channel would have sent per day and who reached the goal. Nothing is sent.
    pub intro: &'static str,
    /// Days of history
    pub days: &'static str,
    /// 1 to 3,660 days up to the data’s last day.
    pub days_hint: &'static str,
    /// Enter a whole number of days from 1 to 3,660.
    pub days_invalid: &'static str,
    /// Run backtest
    pub run: &'static str,
    /// Replaying history for every customer…
    pub running: &'static str,
    /// Choose how many days to replay and run the backtest.
    pub not_run: &'static str,
    /// There is no journey to backtest yet: open a template or build one above.
    pub no_journey: &'static str,
    /// This journey cannot be backtested yet: {0}
    pub invalid: &'static str,
    /// The journey or the settings changed since this backtest ran: run it again to update these numbers.
    pub stale: &'static str,
    /// History replayed: {0} to {1} ({2} days).
    pub window: &'static str,
    /// Who would have entered
    pub summary_title: &'static str,
    /// The headline: customers reached and messages per day.
    pub lead: &'static str,
    /// The saved journey “{0}” cannot be replayed alongside: {1}. Untick it to run the backtest.
    pub invalid_other: &'static str,
    /// Sending rules: {0}.
    pub rules: &'static str,
    /// no advertising between {0} and {1} (customer’s time)
    pub rules_quiet: &'static str,
    /// no quiet hours
    pub rules_no_quiet: &'static str,
    /// only to customers who consented
    pub rules_consent: &'static str,
    /// consent not checked
    pub rules_no_consent: &'static str,
    /// caps {0}
    pub rules_caps: &'static str,
    /// no frequency caps
    pub rules_no_caps: &'static str,
    /// {0} a day
    pub cap_day: &'static str,
    /// {0} a week
    pub cap_week: &'static str,
    /// 1 day
    pub one_day: &'static str,
    /// 1 hour
    pub one_hour: &'static str,
    /// 1 minute
    pub one_minute: &'static str,
    /// Messaged, did not reach it
    pub fig_treated_missed: &'static str,
    /// Entries
    pub fig_entries: &'static str,
    /// Unique customers
    pub fig_customers: &'static str,
    /// Completed
    pub fig_completed: &'static str,
    /// Left by an exit event
    pub fig_exited: &'static str,
    /// Still in progress
    pub fig_in_progress: &'static str,
    /// Control group
    pub fig_control: &'static str,
    /// An entry is one pass through the journey: a customer who enters again counts again.
    pub entries_note: &'static str,
    /// {0} entries were stopped after 1,000 steps (a loop without enough delay?).
    pub step_limit: &'static str,
    /// Goal
    pub goal_title: &'static str,
    /// This journey has no goal: add one to see who converted.
    pub goal_none: &'static str,
    /// Of {0} entries that would have been messaged, {1} ({2}) led to “{3}” within {4} days.
    pub goal_sentence: &'static str,
    /// The control group: {0} ({1} of {2}), so the journey adds {3}.
    pub goal_control: &'static str,
    /// There is no control group, so the uplift is unknown: add one with an A/B split.
    pub goal_no_control: &'static str,
    /// {0} entries had less than {1} days of history after entering: their goal window is still open.
    pub goal_open: &'static str,
    /// {0} points
    pub points: &'static str,
    /// Messaged, reached the goal
    pub fig_treated_reached: &'static str,
    /// Goal rate, messaged
    pub fig_treated_rate: &'static str,
    /// Control, reached the goal
    pub fig_control_reached: &'static str,
    /// Goal rate, control
    pub fig_control_rate: &'static str,
    /// Uplift
    pub fig_uplift: &'static str,
    /// Each step
    pub steps_title: &'static str,
    /// Customers at each step and through each way out
    pub steps_caption: &'static str,
    /// Step
    pub col_step: &'static str,
    /// Customers
    pub col_customers: &'static str,
    /// Visits
    pub col_visits: &'static str,
    /// Messages sent
    pub col_messages: &'static str,
    /// {0} of {1}
    pub messages_cell: &'static str,
    /// Delay
    pub kind_delay: &'static str,
    /// Wait for event
    pub kind_wait: &'static str,
    /// Branch
    pub kind_branch: &'static str,
    /// A/B split
    pub kind_split: &'static str,
    /// Message
    pub kind_message: &'static str,
    /// Exit
    pub kind_exit: &'static str,
    /// then
    pub out_next: &'static str,
    /// event happened
    pub out_event: &'static str,
    /// timed out
    pub out_timeout: &'static str,
    /// yes
    pub out_yes: &'static str,
    /// no
    pub out_no: &'static str,
    /// path {0}
    pub out_path: &'static str,
    /// control group
    pub out_control: &'static str,
    /// end
    pub to_end: &'static str,
    /// {0} → {1}
    pub edge_label: &'static str,
    /// Messages per channel
    pub channels_title: &'static str,
    /// What would have happened to each channel’s messages
    pub channels_caption: &'static str,
    /// Channel
    pub col_channel: &'static str,
    /// Would send
    pub col_attempted: &'static str,
    /// Sent
    pub col_sent: &'static str,
    /// No consent (skipped)
    pub col_skipped: &'static str,
    /// Quiet hours (deferred)
    pub col_deferred: &'static str,
    /// Held by cap
    pub col_held: &'static str,
    /// Pending
    pub col_pending: &'static str,
    /// Cancelled
    pub col_cancelled: &'static str,
    /// Deferred messages are also counted in their final column (sent, held, pending or cancelled). Pending: deferred past the last day of data.
    pub channels_note: &'static str,
    /// This journey would not have tried to send any message in this window.
    pub no_messages: &'static str,
    /// Email
    pub ch_email: &'static str,
    /// SMS
    pub ch_sms: &'static str,
    /// Push
    pub ch_push: &'static str,
    /// In-app
    pub ch_in_app: &'static str,
    /// Kakao
    pub ch_kakao: &'static str,
    /// Message pressure per day
    pub calendar_title: &'static str,
    /// Channel shown
    pub calendar_channel: &'static str,
    /// All channels
    pub all_channels: &'static str,
    /// Messages sent per day: {0}
    pub calendar_caption: &'static str,
    /// Week of
    pub col_week: &'static str,
    /// Messages per day
    pub legend: &'static str,
    /// none
    pub legend_none: &'static str,
    /// It would send {0} messages a day on average over {1} days ({2} in total); the busiest day is {3} with {4}.
    pub cal_sentence: &'static str,
    /// No message would have been sent on any day of this window.
    pub cal_empty: &'static str,
    /// {0}: {1} messages
    pub day_button: &'static str,
    /// Frequency caps across journeys
    pub others_legend: &'static str,
    /// Caps count every journey’s messages. Tick saved journeys to replay them alongside this one: the numbers stay this journey’s.
    pub others_intro: &'static str,
    /// No journeys are saved yet, so caps count only this journey’s messages.
    pub others_none: &'static str,
    /// Loading saved journeys…
    pub others_loading: &'static str,
    /// {0} (cannot be read)
    pub others_unreadable: &'static str,
    /// Frequency caps also counted the messages of {0} (names); the numbers are this journey’s.
    pub others_note: &'static str,
    /// {0}: {1} — list the customers
    pub open_list: &'static str,
    /// {0}: {1} customers
    pub list_title: &'static str,
    /// Listing the customers…
    pub listing: &'static str,
    /// At step {0}
    pub pick_at_step: &'static str,
    /// {0}, {1}
    pub pick_channel: &'static str,
    /// {0}, {1}
    pub pick_day: &'static str,
    /// Messaged and reached the goal
    pub pick_treated: &'static str,
    /// Control group and reached the goal
    pub pick_control: &'static str,
    /// Short weekday names, Monday first.
    pub weekdays: [&'static str; 7],
}

static EN: JourneyBacktestTexts = JourneyBacktestTexts {
    fig_treated_missed: "Messaged, did not reach it",
    one_day: "1 day",
    one_hour: "1 hour",
    one_minute: "1 minute",
    rules: "Sending rules: {0}.",
    rules_quiet: "no advertising between {0} and {1} (customer’s time)",
    rules_no_quiet: "no quiet hours",
    rules_consent: "only to customers who consented",
    rules_no_consent: "consent not checked",
    rules_caps: "caps {0}",
    rules_no_caps: "no frequency caps",
    cap_day: "{0} a day",
    cap_week: "{0} a week",
    invalid_other: "The saved journey “{0}” cannot be replayed alongside: {1}. Untick it to run the backtest.",
    lead: "In these {0} days this journey would have reached {1} customers ({2} entries) and sent {3} messages: {4} a day on average, {5} on the busiest day.",
    title: "Backtest on history",
    intro: "Replays the last days of real history through this journey, customer by customer: who would have entered, which way they went, how many messages each channel would have sent per day and who reached the goal. Nothing is sent.",
    days: "Days of history",
    days_hint: "1 to 3,660 days up to the data’s last day.",
    days_invalid: "Enter a whole number of days from 1 to 3,660.",
    run: "Run backtest",
    running: "Replaying history for every customer…",
    not_run: "Choose how many days to replay and run the backtest.",
    no_journey: "There is no journey to backtest yet: open a template or build one above.",
    invalid: "This journey cannot be backtested yet: {0}",
    stale: "The journey or the settings changed since this backtest ran: run it again to update these numbers.",
    window: "History replayed: {0} to {1} ({2} days).",
    summary_title: "Who would have entered",
    fig_entries: "Entries",
    fig_customers: "Unique customers",
    fig_completed: "Completed",
    fig_exited: "Left by an exit event",
    fig_in_progress: "Still in progress",
    fig_control: "Control group",
    entries_note: "An entry is one pass through the journey: a customer who enters again counts again.",
    step_limit: "{0} entries were stopped after 1,000 steps (a loop without enough delay?).",
    goal_title: "Goal",
    goal_none: "This journey has no goal: add one to see who converted.",
    goal_sentence: "Of {0} entries that would have been messaged, {1} ({2}) led to “{3}” within {4} days.",
    goal_control: "The control group: {0} ({1} of {2}), so the journey adds {3}.",
    goal_no_control: "There is no control group, so the uplift is unknown: add one with an A/B split.",
    goal_open: "{0} entries had less than {1} days of history after entering: their goal window is still open.",
    points: "{0} points",
    fig_treated_reached: "Messaged, reached the goal",
    fig_treated_rate: "Goal rate, messaged",
    fig_control_reached: "Control, reached the goal",
    fig_control_rate: "Goal rate, control",
    fig_uplift: "Uplift",
    steps_title: "Each step",
    steps_caption: "Customers at each step and through each way out",
    col_step: "Step",
    col_customers: "Customers",
    col_visits: "Visits",
    col_messages: "Messages sent",
    messages_cell: "{0} of {1}",
    kind_delay: "Delay",
    kind_wait: "Wait for event",
    kind_branch: "Branch",
    kind_split: "A/B split",
    kind_message: "Message",
    kind_exit: "Exit",
    out_next: "then",
    out_event: "event happened",
    out_timeout: "timed out",
    out_yes: "yes",
    out_no: "no",
    out_path: "path {0}",
    out_control: "control group",
    to_end: "end",
    edge_label: "{0} → {1}",
    channels_title: "Messages per channel",
    channels_caption: "What would have happened to each channel’s messages",
    col_channel: "Channel",
    col_attempted: "Would send",
    col_sent: "Sent",
    col_skipped: "No consent (skipped)",
    col_deferred: "Quiet hours (deferred)",
    col_held: "Held by cap",
    col_pending: "Pending",
    col_cancelled: "Cancelled",
    channels_note: "Deferred messages are also counted in their final column (sent, held, pending or cancelled). Pending: deferred past the last day of data.",
    no_messages: "This journey would not have tried to send any message in this window.",
    ch_email: "Email",
    ch_sms: "SMS",
    ch_push: "Push",
    ch_in_app: "In-app",
    ch_kakao: "Kakao",
    calendar_title: "Message pressure per day",
    calendar_channel: "Channel shown",
    all_channels: "All channels",
    calendar_caption: "Messages sent per day: {0}",
    col_week: "Week of",
    legend: "Messages per day",
    legend_none: "none",
    cal_sentence: "It would send {0} messages a day on average over {1} days ({2} in total); the busiest day is {3} with {4}.",
    cal_empty: "No message would have been sent on any day of this window.",
    day_button: "{0}: {1} messages",
    others_legend: "Frequency caps across journeys",
    others_intro: "Caps count every journey’s messages. Tick saved journeys to replay them alongside this one: the numbers stay this journey’s.",
    others_none: "No journeys are saved yet, so caps count only this journey’s messages.",
    others_loading: "Loading saved journeys…",
    others_unreadable: "{0} (cannot be read)",
    others_note: "Frequency caps also counted the messages of {0}; the numbers are this journey’s.",
    open_list: "{0}: {1} — list the customers",
    list_title: "{0}: {1} customers",
    listing: "Listing the customers…",
    pick_at_step: "At step {0}",
    pick_channel: "{0}, {1}",
    pick_day: "{0}, {1}",
    pick_treated: "Messaged and reached the goal",
    pick_control: "Control group and reached the goal",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
};

static KO: JourneyBacktestTexts = JourneyBacktestTexts {
    fig_treated_missed: "메시지 받고 목표 미도달",
    one_day: "1일",
    one_hour: "1시간",
    one_minute: "1분",
    rules: "발송 규칙: {0}.",
    rules_quiet: "고객 현지 시각 {0}~{1} 광고 발송 금지",
    rules_no_quiet: "야간 발송 제한 없음",
    rules_consent: "수신 동의한 고객에게만",
    rules_no_consent: "수신 동의 확인 안 함",
    rules_caps: "빈도 제한 {0}",
    rules_no_caps: "빈도 제한 없음",
    cap_day: "하루 {0}건",
    cap_week: "주 {0}건",
    invalid_other: "저장된 여정 ‘{0}’은(는) 함께 재생할 수 없습니다: {1}. 선택을 해제하고 백테스트를 실행하세요.",
    lead: "이 {0}일 동안 이 여정은 고객 {1}명(진입 {2}건)에게 닿고 메시지 {3}건을 보냈을 것입니다. 하루 평균 {4}건, 가장 많은 날 {5}건입니다.",
    title: "과거 데이터로 백테스트",
    intro: "최근 과거 데이터를 고객 한 명씩 이 여정에 그대로 흘려 봅니다. 누가 진입했을지, 어느 경로로 갔을지, 채널별로 하루에 메시지가 몇 건 나갔을지, 누가 목표에 도달했는지 보여 줍니다. 실제로 발송되지는 않습니다.",
    days: "과거 일수",
    days_hint: "데이터 마지막 날까지 1~3,660일.",
    days_invalid: "1부터 3,660 사이의 일수를 입력하세요.",
    run: "백테스트 실행",
    running: "모든 고객의 과거 데이터를 재생하는 중…",
    not_run: "재생할 일수를 정하고 백테스트를 실행하세요.",
    no_journey: "아직 백테스트할 여정이 없습니다. 템플릿을 열거나 위에서 여정을 만드세요.",
    invalid: "이 여정은 아직 백테스트할 수 없습니다: {0}",
    stale: "백테스트 실행 후 여정이나 설정이 바뀌었습니다. 다시 실행해야 숫자가 갱신됩니다.",
    window: "재생한 기간: {0} ~ {1} ({2}일).",
    summary_title: "진입했을 고객",
    fig_entries: "진입",
    fig_customers: "고유 고객",
    fig_completed: "완료",
    fig_exited: "이탈 이벤트로 종료",
    fig_in_progress: "진행 중",
    fig_control: "대조군",
    entries_note: "진입은 여정을 한 번 지나는 것입니다. 다시 진입한 고객은 다시 셉니다.",
    step_limit: "{0}건의 진입이 1,000단계를 넘어 중단되었습니다(지연 없는 반복?).",
    goal_title: "목표",
    goal_none: "이 여정에는 목표가 없습니다. 목표를 추가하면 전환한 고객을 볼 수 있습니다.",
    goal_sentence: "메시지를 받았을 진입 {0}건 중 {1}건({2})이 {4}일 안에 ‘{3}’로 이어졌습니다.",
    goal_control: "대조군은 {0}({2}건 중 {1}건)이므로 여정의 효과는 {3}입니다.",
    goal_no_control: "대조군이 없어 효과(업리프트)를 알 수 없습니다. A/B 분기에서 대조군을 추가하세요.",
    goal_open: "{0}건은 진입 후 {1}일이 아직 지나지 않아 목표 기간이 열려 있습니다.",
    points: "{0}%p",
    fig_treated_reached: "메시지 받고 목표 도달",
    fig_treated_rate: "목표 도달률(메시지 받음)",
    fig_control_reached: "대조군 목표 도달",
    fig_control_rate: "목표 도달률(대조군)",
    fig_uplift: "효과(업리프트)",
    steps_title: "단계별",
    steps_caption: "단계별 고객과 다음 경로별 고객",
    col_step: "단계",
    col_customers: "고객",
    col_visits: "방문",
    col_messages: "발송 메시지",
    messages_cell: "{1}건 중 {0}건",
    kind_delay: "대기",
    kind_wait: "이벤트 기다리기",
    kind_branch: "조건 분기",
    kind_split: "A/B 분기",
    kind_message: "메시지",
    kind_exit: "종료",
    out_next: "다음",
    out_event: "이벤트 발생",
    out_timeout: "시간 초과",
    out_yes: "예",
    out_no: "아니요",
    out_path: "경로 {0}",
    out_control: "대조군",
    to_end: "종료",
    edge_label: "{0} → {1}",
    channels_title: "채널별 메시지",
    channels_caption: "채널별 메시지 처리 결과",
    col_channel: "채널",
    col_attempted: "발송 시도",
    col_sent: "발송",
    col_skipped: "수신 동의 없음(건너뜀)",
    col_deferred: "야간 발송 제한(미룸)",
    col_held: "빈도 제한으로 보류",
    col_pending: "대기 중",
    col_cancelled: "취소",
    channels_note: "미룬 메시지는 최종 결과 열(발송, 보류, 대기, 취소)에도 포함됩니다. 대기 중: 데이터 마지막 날 이후로 미뤄진 메시지.",
    no_messages: "이 기간에는 이 여정이 보낼 메시지가 없었습니다.",
    ch_email: "이메일",
    ch_sms: "문자(SMS)",
    ch_push: "푸시",
    ch_in_app: "인앱",
    ch_kakao: "카카오톡",
    calendar_title: "일별 메시지 부담",
    calendar_channel: "표시할 채널",
    all_channels: "모든 채널",
    calendar_caption: "일별 발송 메시지: {0}",
    col_week: "주 시작일",
    legend: "하루 메시지 수",
    legend_none: "없음",
    cal_sentence: "{1}일 동안 하루 평균 {0}건, 모두 {2}건을 보냅니다. 가장 많은 날은 {3}, {4}건입니다.",
    cal_empty: "이 기간에는 어느 날에도 메시지가 발송되지 않았습니다.",
    day_button: "{0}: 메시지 {1}건",
    others_legend: "여정 간 빈도 제한",
    others_intro: "빈도 제한은 모든 여정의 메시지를 함께 셉니다. 저장된 여정을 선택하면 함께 재생하며, 숫자는 이 여정의 것만 보여 줍니다.",
    others_none: "저장된 여정이 없어 빈도 제한은 이 여정의 메시지만 셉니다.",
    others_loading: "저장된 여정을 불러오는 중…",
    others_unreadable: "{0} (읽을 수 없음)",
    others_note: "빈도 제한에 {0}의 메시지도 함께 셌습니다. 숫자는 이 여정의 것입니다.",
    open_list: "{0}: {1} — 고객 보기",
    list_title: "{0}: 고객 {1}명",
    listing: "고객 목록을 만드는 중…",
    pick_at_step: "{0} 단계",
    pick_channel: "{0}, {1}",
    pick_day: "{0}, {1}",
    pick_treated: "메시지 받고 목표 도달",
    pick_control: "대조군 중 목표 도달",
    weekdays: ["월", "화", "수", "목", "금", "토", "일"],
};

pub fn journey_backtest_texts(locale: Locale) -> &'static JourneyBacktestTexts {
    match locale {
        Locale::En => &EN,
        Locale::Ko => &KO,
    }
}
