//! Writes one view's settings into the URL (replacing the history entry, so Back leaves the
//! page) while keeping the parameters of the other views on the same page: the Journeys page
//! holds paths, funnel and relationship views that share one query string.
//!
//! # Usage
//!
//! ```ignore
//! let write = use_url_params_writer("/journeys", &paths_view::PARAMS);
//! Effect::new(move |_| write.run(settings.get().to_params()));
//! ```

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::use_settings;

/// A callback that replaces the parameters named in `own` with the given ones (those not given
/// are removed) and leaves every other parameter as it is.
pub fn use_url_params_writer(
    route: &'static str,
    own: &'static [&'static str],
) -> Callback<Vec<(&'static str, String)>> {
    let app = use_settings();
    let navigate = use_navigate();
    let query = use_query_map();
    Callback::new(move |params: Vec<(&'static str, String)>| {
        let current = query.get_untracked();
        let encode = |s: &str| String::from(js_sys::encode_uri_component(s));
        let kept = current
            .latest_values()
            .filter(|(k, _)| !own.contains(&k.as_ref()))
            .map(|(k, v)| (k.to_string(), v.to_string()));
        let all: Vec<String> = kept
            .chain(params.into_iter().map(|(k, v)| (k.to_owned(), v)))
            .map(|(k, v)| format!("{}={}", encode(&k), encode(&v)))
            .collect();
        let mut url = app.href(route);
        if !all.is_empty() {
            url.push('?');
            url.push_str(&all.join("&"));
        }
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    })
}
