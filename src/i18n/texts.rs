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
}
