//! The address a message shows: without the query, whose cursors and timestamps only make a
//! long, unreadable line (`…/events?limit=5000&cursor=3137…` → `…/events`).

/// `url` without its query string and fragment.
pub fn shown_url(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    &url[..end]
}

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn drops_the_query_and_fragment_only() {
        assert_eq!(
            shown_url("http://127.0.0.1:8787/events?limit=5000&cursor=3137"),
            "http://127.0.0.1:8787/events"
        );
        assert_eq!(shown_url("/demo/meta.json"), "/demo/meta.json");
        assert_eq!(shown_url("https://x.example/a#b"), "https://x.example/a");
        assert_eq!(shown_url(""), "");
        assert_eq!(shown_url("?only=query"), "");
    }
}
