//! The [`Texts`] struct: one field per user-facing text.

/// All texts of one language. Placeholders `{0}`, `{1}` are filled with [`super::fill`].
#[derive(Debug)]
pub struct Texts {
    /// CRM Lens
    pub app_name: &'static str,
    /// Skip to content
    pub skip_to_content: &'static str,
    /// Main
    pub nav_label: &'static str,
    /// Dashboard
    pub nav_dashboard: &'static str,
    /// Customers
    pub nav_customers: &'static str,
    /// Segments
    pub nav_segments: &'static str,
    /// Cohorts
    pub nav_cohorts: &'static str,
    /// Journeys
    pub nav_journeys: &'static str,
    /// Settings
    pub nav_settings: &'static str,
    /// Data
    pub data_source: &'static str,
    /// Demo data
    pub demo_data: &'static str,
    /// Time zone
    pub time_zone: &'static str,
    /// Language
    pub language: &'static str,
    /// Loading customer data…
    pub loading_data: &'static str,
    /// The data could not be loaded.
    pub load_failed: &'static str,
    /// Try again
    pub retry: &'static str,
    /// Some settings were ignored:
    pub settings_warnings: &'static str,
    /// Something went wrong
    pub crash_title: &'static str,
    /// CRM Lens hit an unexpected error and stopped. Reload the page to continue; saved work is kept.
    pub crash_body: &'static str,
    /// Reload page
    pub reload: &'static str,
    /// Page not found
    pub not_found: &'static str,
    /// Back to the dashboard
    pub back_to_dashboard: &'static str,
    /// Data as of {0}
    pub as_of: &'static str,
    /// Key figures
    pub headline_label: &'static str,
    /// Customers
    pub headline_customers: &'static str,
    /// Events
    pub headline_events: &'static str,
    /// Revenue
    pub headline_revenue: &'static str,
    /// Active customers (30 days)
    pub headline_active_30d: &'static str,
    /// New customers (30 days)
    pub headline_new_30d: &'static str,
    /// Purchases minus refunds, all time.
    pub revenue_note: &'static str,
    /// Did anything other than receive a message in the last 30 days.
    pub active_note: &'static str,
    /// How your customer base is doing, and where to look next.
    pub dashboard_intro: &'static str,
    /// Reachable by channel
    pub reachable_title: &'static str,
    /// Customers who consented to marketing on each channel.
    pub reachable_note: &'static str,
    /// Channel
    pub channel: &'static str,
    /// Email
    pub channel_email: &'static str,
    /// SMS
    pub channel_sms: &'static str,
    /// Push
    pub channel_push: &'static str,
    /// KakaoTalk
    pub channel_kakao: &'static str,
    /// Share of customers
    pub share_of_customers: &'static str,
    /// Customers
    pub customers_col: &'static str,
    /// Events
    pub events_col: &'static str,
    /// Event type
    pub event_type: &'static str,
    /// Everyone in your data, most recently active first.
    pub customers_intro: &'static str,
    /// Search by name, email or ID
    pub search_customers: &'static str,
    /// Name
    pub col_name: &'static str,
    /// Email
    pub col_email: &'static str,
    /// Signed up
    pub col_signup: &'static str,
    /// Last active
    pub col_last_seen: &'static str,
    /// Orders
    pub col_orders: &'static str,
    /// Revenue
    pub col_revenue: &'static str,
    /// Never
    pub never: &'static str,
    /// Showing {0} of {1} customers
    pub showing_of: &'static str,
    /// No customer matches this search.
    pub no_matches: &'static str,
    /// Who is slipping away: customers by time since their last activity, and who you can reach.
    pub segments_intro: &'static str,
    /// Time since last activity
    pub inactive_title: &'static str,
    /// Last active
    pub inactive_bucket: &'static str,
    /// Within {0} days
    pub inactive_within: &'static str,
    /// {0}–{1} days ago
    pub inactive_between: &'static str,
    /// More than {0} days ago
    pub inactive_over: &'static str,
    /// No activity yet
    pub inactive_never: &'static str,
    /// Do customers come back? Each row is the customers who signed up in a month; each cell is the share of them active in a later month.
    pub cohorts_intro: &'static str,
    /// Monthly signup cohorts, active in month {0} to {1} after signup (any activity)
    pub cohort_caption: &'static str,
    /// Signup month
    pub cohort_col: &'static str,
    /// Customers
    pub cohort_size: &'static str,
    /// Month {0}
    pub cohort_month: &'static str,
    /// Period still running
    pub incomplete_period: &'static str,
    /// How customers move: what they do, how often, and how many of them do it.
    pub journeys_intro: &'static str,
    /// Event volume by type
    pub event_volume_title: &'static str,
    /// Settings in force for this session and what the data contains.
    pub settings_intro: &'static str,
    /// Week starts on
    pub week_start: &'static str,
    /// Monday
    pub monday: &'static str,
    /// Sunday
    pub sunday: &'static str,
    /// Currency
    pub currency: &'static str,
    /// Served under
    pub base_path: &'static str,
    /// Site root
    pub site_root: &'static str,
    /// Dataset
    pub dataset_title: &'static str,
    /// Customer attributes
    pub attributes_title: &'static str,
    /// Attribute
    pub attribute: &'static str,
    /// Type
    pub attribute_type: &'static str,
    /// Properties
    pub properties: &'static str,
    /// The server did not answer within {0} seconds ({1}).
    pub err_timeout: &'static str,
    /// The request could not be sent ({0}). Check the connection and the data address.
    pub err_network: &'static str,
    /// The server answered HTTP {0} for {1}.
    pub err_http: &'static str,
    /// You are not signed in, or not allowed to see this data (HTTP {0}).
    pub err_auth: &'static str,
    /// The data is not in the expected format: {0}
    pub err_format: &'static str,
    /// {0} events named customers that are not in the data and were skipped.
    pub events_skipped: &'static str,
    /// Monthly revenue and active customers
    pub revenue_chart_title: &'static str,
    /// Revenue
    pub revenue_axis: &'static str,
    /// Active customers
    pub active_axis: &'static str,
    /// Month
    pub month_axis: &'static str,
    /// {0}: from {1} to {2}, revenue went from {3} to {4} and active customers from {5} to {6}.
    pub chart_alt: &'static str,
    /// Under the trend chart, for the month still running (marked `*`): {0} month, {1} date.
    pub trend_running_note: &'static str,
    /// Under a chart whose period {0} ("the week of …") is still running (marked `*`).
    pub period_running_note: &'static str,
    /// Retention settings
    pub retention_settings: &'static str,
    /// Presets
    pub presets: &'static str,
    /// Weekly activity after signup
    pub preset_weekly_activity: &'static str,
    /// Repeat purchase by signup month
    pub preset_repeat_purchase: &'static str,
    /// Revenue per cohort
    pub preset_revenue: &'static str,
    /// Coupon buyers: do they come back?
    pub preset_promotion: &'static str,
    /// Start event
    pub start_event: &'static str,
    /// Return event
    pub return_event: &'static str,
    /// Sign-up
    pub event_signup: &'static str,
    /// Any activity
    pub event_any_activity: &'static str,
    /// Any event
    pub event_any: &'static str,
    /// Add property filter
    pub add_filter: &'static str,
    /// Remove filter
    pub remove_filter: &'static str,
    /// Property
    pub property: &'static str,
    /// Operator
    pub operator: &'static str,
    /// Value
    pub value: &'static str,
    /// is
    pub op_eq: &'static str,
    /// is not
    pub op_ne: &'static str,
    /// is set
    pub op_exists: &'static str,
    /// is not set
    pub op_not_exists: &'static str,
    /// at least
    pub op_gte: &'static str,
    /// at most
    pub op_lte: &'static str,
    /// contains
    pub op_contains: &'static str,
    /// Cohort type
    pub cohort_type: &'static str,
    /// First time in range
    pub cohort_first_time: &'static str,
    /// Recurring (every period)
    pub cohort_recurring: &'static str,
    /// First ever
    pub cohort_first_ever: &'static str,
    /// Period
    pub period: &'static str,
    /// Day
    pub period_day: &'static str,
    /// Week
    pub period_week: &'static str,
    /// Month
    pub period_month: &'static str,
    /// Periods
    pub periods_count: &'static str,
    /// Cohorts
    pub cohorts_count: &'static str,
    /// First cohort from
    pub date_from: &'static str,
    /// Last cohort up to
    pub date_to: &'static str,
    /// Windows
    pub windows: &'static str,
    /// Calendar periods
    pub windows_calendar: &'static str,
    /// Rolling 24-hour windows
    pub windows_rolling: &'static str,
    /// Count returns
    pub counting: &'static str,
    /// On (that period only)
    pub counting_on: &'static str,
    /// On or after
    pub counting_on_or_after: &'static str,
    /// Custom brackets
    pub brackets: &'static str,
    /// e.g. 1-3, 4-7, 8-14 (empty: one column per period)
    pub brackets_hint: &'static str,
    /// Write brackets as 1-3, 4-7: ascending, starting at 1, not overlapping.
    pub brackets_invalid: &'static str,
    /// Minimum returns per period
    pub min_occurrences: &'static str,
    /// Percent of
    pub percent_of: &'static str,
    /// Cohort size
    pub percent_of_cohort: &'static str,
    /// Previous period
    pub percent_of_previous: &'static str,
    /// Mean row
    pub mean_kind: &'static str,
    /// Weighted by cohort size
    pub mean_weighted: &'static str,
    /// Simple mean
    pub mean_simple: &'static str,
    /// None
    pub mean_none: &'static str,
    /// Show
    pub measure: &'static str,
    /// Returning customers (%)
    pub measure_customers: &'static str,
    /// Revenue per customer
    pub measure_revenue: &'static str,
    /// Cumulative revenue per customer
    pub measure_cumulative: &'static str,
    /// Breakdown
    pub breakdown: &'static str,
    /// None
    pub breakdown_none: &'static str,
    /// Only customers in
    pub segment_filter: &'static str,
    /// All customers
    pub all_customers: &'static str,
    /// Day {0}
    pub col_day: &'static str,
    /// Week {0}
    pub col_week: &'static str,
    /// Month {0}
    pub col_month: &'static str,
    /// Days {0}–{1}
    pub col_bracket_day: &'static str,
    /// Weeks {0}–{1}
    pub col_bracket_week: &'static str,
    /// Months {0}–{1}
    pub col_bracket_month: &'static str,
    /// Mean
    pub mean_row: &'static str,
    /// Small cohort (fewer than {0} customers): read with care
    pub small_cohort: &'static str,
    /// {0} of {1} customers ({2}), 95% interval {3}–{4}
    pub cell_tooltip: &'static str,
    /// Retention by cohort: {0} → {1}, by {2}
    pub retention_caption: &'static str,
    /// Group: {0}
    pub group_label: &'static str,
    /// Retention curves
    pub curves_title: &'static str,
    /// Cumulative revenue per customer by cohort
    pub revenue_curves_title: &'static str,
    /// Periods since start
    pub curves_x: &'static str,
    /// Earlier cohorts (the grey lines' legend entry)
    pub curves_earlier: &'static str,
    /// Returning customers
    pub curves_y_rate: &'static str,
    /// Revenue per customer
    pub curves_y_revenue: &'static str,
    /// {0}. Mean: {1} in the first period after the start, {2} in the last complete one.
    pub curves_alt: &'static str,
    /// Behind this cell
    pub explain_title: &'static str,
    /// {0} of the {1} customers who started with “{2}” in {3} did “{4}” in {5}.
    pub explain_on: &'static str,
    /// {0} of the {1} customers who started with “{2}” in {3} did “{4}” in {5} or later.
    pub explain_on_or_after: &'static str,
    /// {0} customers started with “{1}” in {2}.
    pub explain_size: &'static str,
    /// {0}
    pub cohort_of_day: &'static str,
    /// the week of {0}
    pub cohort_of_week: &'static str,
    /// {0}
    pub cohort_of_month: &'static str,
    /// Started
    pub started_at: &'static str,
    /// Qualifying events
    pub qualifying_events: &'static str,
    /// No customers in this cell.
    pub no_customers_in_cell: &'static str,
    /// {0} more not shown; download the CSV for all.
    pub more_not_shown: &'static str,
    /// Close
    pub close: &'static str,
    /// Download CSV
    pub download_csv: &'static str,
    /// Download SVG
    pub download_svg: &'static str,
    /// Download PNG
    pub download_png: &'static str,
    /// Customer ID
    pub customer_id: &'static str,
    /// Name
    pub name: &'static str,
    /// Email
    pub email: &'static str,
    /// Compare definitions
    pub compare_title: &'static str,
    /// The same data under a second setting, and the difference per cell (B − A, percentage points). Tools disagree mostly because of these choices.
    pub compare_intro: &'static str,
    /// Compare with
    pub compare_with: &'static str,
    /// No comparison
    pub compare_off: &'static str,
    /// Counting: on ↔ on or after
    pub compare_counting: &'static str,
    /// Cohort type: first time ↔ recurring
    pub compare_cohort: &'static str,
    /// Windows: calendar ↔ rolling
    pub compare_windows: &'static str,
    /// A (current)
    pub compare_a: &'static str,
    /// B
    pub compare_b: &'static str,
    /// Difference (B − A)
    pub difference: &'static str,
    /// These settings cannot be computed: {0}
    pub spec_error: &'static str,
    /// incomplete
    pub incomplete_short: &'static str,
    /// No visit in 14 days (win-back)
    pub tpl_win_back: &'static str,
    /// Signed up, no purchase within 7 days
    pub tpl_first_purchase_nudge: &'static str,
    /// Added to cart, no purchase within a day
    pub tpl_cart_reminder: &'static str,
    /// VIP: revenue ≥ ₩1,000,000 in 12 months
    pub tpl_vip_revenue: &'static str,
    /// Low satisfaction or NPS detractors
    pub tpl_service_recovery: &'static str,
    /// Contract ends within 90 days
    pub tpl_renewal: &'static str,
    /// Discount hunters (buy only with a coupon)
    pub tpl_discount_hunters: &'static str,
    /// Sign-up
    pub ev_signup: &'static str,
    /// Visit
    pub ev_visit: &'static str,
    /// Product view
    pub ev_product_view: &'static str,
    /// Add to cart
    pub ev_cart_add: &'static str,
    /// Purchase
    pub ev_purchase: &'static str,
    /// Refund
    pub ev_refund: &'static str,
    /// Support ticket
    pub ev_support_ticket: &'static str,
    /// NPS response
    pub ev_nps_response: &'static str,
    /// Message sent
    pub ev_message_sent: &'static str,
    /// Message opened
    pub ev_message_opened: &'static str,
    /// Message clicked
    pub ev_message_clicked: &'static str,
    /// Contract start
    pub ev_contract_start: &'static str,
    /// Contract renewed
    pub ev_contract_renewed: &'static str,
    /// Contract ended
    pub ev_contract_ended: &'static str,
    /// Key performance indicators
    pub kpi_title: &'static str,
    /// Period shown
    pub kpi_period_select: &'static str,
    /// Period length
    pub kpi_granularity: &'static str,
    /// Churned after days without activity
    pub kpi_churn_days: &'static str,
    /// Previous: {0}
    pub kpi_previous: &'static str,
    /// Formula
    pub kpi_show_formula: &'static str,
    /// Open
    pub kpi_open: &'static str,
    /// {0} (so far)
    pub kpi_running: &'static str,
    /// {0}, last {1} periods: from {2} to {3}
    pub kpi_sparkline: &'static str,
    /// Active customers
    pub kpi_active: &'static str,
    /// New customers
    pub kpi_new: &'static str,
    /// Revenue
    pub kpi_revenue: &'static str,
    /// Average order value
    pub kpi_aov: &'static str,
    /// Customer lifetime value
    pub kpi_clv: &'static str,
    /// Churn rate
    pub kpi_churn: &'static str,
    /// Repeat purchase rate
    pub kpi_repeat: &'static str,
    /// Conversion rate
    pub kpi_conversion: &'static str,
    /// Retention rate
    pub kpi_retention: &'static str,
    /// NPS
    pub kpi_nps: &'static str,
    /// Customers with any activity in the period = {0}
    pub f_active: &'static str,
    /// Customers who signed up in the period = {0}
    pub f_new: &'static str,
    /// Purchases {0} + refunds {1} = {2}
    pub f_revenue: &'static str,
    /// Purchase revenue {0} ÷ orders {1} = {2}
    pub f_aov: &'static str,
    /// Customers with 2+ purchases {0} ÷ customers with a purchase {1} × 100 = {2}
    pub f_repeat: &'static str,
    /// Churned {0} ÷ active customers at the start {1} × 100 = {2}
    pub f_churn: &'static str,
    /// Purchases {0} ÷ visits {1} × 100 = {2}
    pub f_conversion: &'static str,
    /// (Active at the end {0} − new {1}) ÷ active at the start {2} × 100 = {3}
    pub f_retention: &'static str,
    /// (Promoters {0} − detractors {1}) ÷ respondents {2} × 100 = {3}
    pub f_nps: &'static str,
    /// Average purchase {0} × purchases per buyer per month {1} × expected months {2} = {3}
    pub f_clv: &'static str,
    /// — (the denominator is 0)
    pub f_undefined: &'static str,
    /// RFM: recency × frequency
    pub rfm_title: &'static str,
    /// Customers who bought in the last {0} days, scored 1–5 by quintile (5 = most recent, most frequent). Shading shows customers per cell.
    pub rfm_intro: &'static str,
    /// Recency score (R)
    pub rfm_recency: &'static str,
    /// Frequency score (F)
    pub rfm_frequency: &'static str,
    /// R{0} F{1}: {2} customers, {3}
    pub rfm_cell: &'static str,
    /// RFM segments
    pub rfm_segments: &'static str,
    /// Segment
    pub rfm_segment: &'static str,
    /// Customers
    pub rfm_customers: &'static str,
    /// Revenue
    pub rfm_revenue: &'static str,
    /// Share of revenue
    pub rfm_share: &'static str,
    /// No purchase in the window: {0} customers
    pub rfm_no_purchase: &'static str,
    /// Champions
    pub rfm_champions: &'static str,
    /// Loyal
    pub rfm_loyal: &'static str,
    /// Potential loyalists
    pub rfm_potential_loyalists: &'static str,
    /// New
    pub rfm_new: &'static str,
    /// Promising
    pub rfm_promising: &'static str,
    /// Need attention
    pub rfm_need_attention: &'static str,
    /// About to sleep
    pub rfm_about_to_sleep: &'static str,
    /// At risk
    pub rfm_at_risk: &'static str,
    /// Can't lose
    pub rfm_cant_lose: &'static str,
    /// Hibernating
    pub rfm_hibernating: &'static str,
    /// Other
    pub rfm_other: &'static str,
    /// Funnel
    pub funnel_title: &'static str,
    /// How many customers go from the first step through the last within the window, and where they drop off.
    pub funnel_intro: &'static str,
    /// Step {0}
    pub step_n: &'static str,
    /// Add step
    pub add_step: &'static str,
    /// Remove step {0}
    pub remove_step: &'static str,
    /// Conversion window (days)
    pub funnel_window: &'static str,
    /// Order of steps
    pub funnel_mode: &'static str,
    /// In order, other events in between allowed
    pub mode_ordered: &'static str,
    /// Strictly one right after another
    pub mode_strict: &'static str,
    /// Any order
    pub mode_any: &'static str,
    /// Customers at each step
    pub funnel_chart_title: &'static str,
    /// Step
    pub funnel_step: &'static str,
    /// Of step 1
    pub funnel_of_start: &'static str,
    /// Of previous step
    pub funnel_of_previous: &'static str,
    /// Dropped
    pub funnel_dropped: &'static str,
    /// Who dropped before “{0}”
    pub show_dropped: &'static str,
    /// Reached “{0}” but not “{1}”: {2} customers
    pub dropped_title: &'static str,
    /// Median time to convert: {0}
    pub median_convert: &'static str,
    /// Nobody converted within the window.
    pub nobody_converted: &'static str,
    /// {0} days
    pub dur_days: &'static str,
    /// {0} hours
    pub dur_hours: &'static str,
    /// {0} minutes
    pub dur_minutes: &'static str,
    /// Lifecycle
    pub lifecycle_title: &'static str,
    /// Per period: new customers, customers returning from the previous period, customers coming back after a pause, and customers who went quiet (below the line).
    pub lifecycle_intro: &'static str,
    /// New
    pub stage_new: &'static str,
    /// Returning
    pub stage_returning: &'static str,
    /// Resurrecting
    pub stage_resurrecting: &'static str,
    /// Dormant
    pub stage_dormant: &'static str,
}
