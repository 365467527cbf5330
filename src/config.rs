//! Settings and where they come from.
//!
//! In order: attributes on the host element (`data-api`, `data-locale`, `data-timezone`,
//! `data-currency`, `data-base-path`), then `config.json` next to `index.html`, then defaults.
//! A bad value never stops the app: it is reported and the next source is used.

use serde::Deserialize;

use crate::engine::Zone;
use crate::i18n::Locale;

/// One source of settings; every field optional. `config.json` has exactly these keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SettingsLayer {
    /// Backend base URL; absent means the bundled demo data.
    pub api: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
    pub currency: Option<String>,
    pub base_path: Option<String>,
    /// Seconds one request to the backend may take (`data-request-timeout`); a number or a
    /// string of digits in `config.json`.
    #[serde(deserialize_with = "number_or_string")]
    pub request_timeout: Option<String>,
}

/// Accepts `3`, `"3"` or `null`.
fn number_or_string<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(serde_json::Number),
        Text(String),
    }
    Ok(Option::<Raw>::deserialize(de)?.map(|raw| match raw {
        Raw::Number(n) => n.to_string(),
        Raw::Text(t) => t,
    }))
}

impl SettingsLayer {
    /// Reads `config.json`. Unknown keys are ignored so newer files work with older apps.
    pub fn from_json(bytes: &[u8]) -> Result<SettingsLayer, String> {
        serde_json::from_slice(bytes).map_err(|e| format!("config.json: {e}"))
    }
}

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The bundled demo dataset, read from `demo/` beside the app.
    Demo,
    /// A backend implementing the JSON contract at this base URL.
    Backend(String),
}

/// The settings in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub source: DataSource,
    pub locale: Locale,
    /// `None` until set: the dataset's own zone is used, else Asia/Seoul.
    pub zone: Option<Zone>,
    /// ISO 4217 code to display money in; `None` uses the dataset's currency.
    pub currency: Option<String>,
    /// The path the app is served under (`""` at the site root, `/portal/crm` when embedded).
    pub base_path: String,
    /// The time limit of one request; `None`: the default (30 s).
    pub request_timeout: Option<std::time::Duration>,
    /// Problems found while reading the settings, shown to the user.
    pub warnings: Vec<String>,
}

impl Settings {
    /// The zone analyses use: the setting, else the dataset's, else Asia/Seoul.
    pub fn zone_or(&self, dataset_zone: &str) -> Zone {
        self.zone
            .or_else(|| Zone::parse(dataset_zone).ok())
            .unwrap_or_default()
    }
}

/// Combines the sources, first one wins per field. `browser_languages` are the browser's
/// preferred languages (`navigator.languages`), used when no source sets the locale.
pub fn resolve(layers: &[SettingsLayer], browser_languages: &[String]) -> Settings {
    let mut warnings = Vec::new();

    let source = first_valid(layers, |l| l.api.as_deref(), parse_api, &mut warnings)
        .map(DataSource::Backend)
        .unwrap_or(DataSource::Demo);
    let locale = first_valid(
        layers,
        |l| l.locale.as_deref(),
        Locale::parse,
        &mut warnings,
    )
    .unwrap_or_else(|| Locale::from_browser(browser_languages));
    let zone = first_valid(
        layers,
        |l| l.timezone.as_deref(),
        Zone::parse,
        &mut warnings,
    );
    let currency = first_valid(
        layers,
        |l| l.currency.as_deref(),
        parse_currency,
        &mut warnings,
    );
    let base_path = first_valid(
        layers,
        |l| l.base_path.as_deref(),
        parse_base_path,
        &mut warnings,
    )
    .unwrap_or_default();
    let request_timeout = first_valid(
        layers,
        |l| l.request_timeout.as_deref(),
        parse_request_timeout,
        &mut warnings,
    );

    Settings {
        source,
        locale,
        zone,
        currency,
        base_path,
        request_timeout,
        warnings,
    }
}

/// The first value among the layers that parses; each bad one adds a warning.
fn first_valid<T>(
    layers: &[SettingsLayer],
    field: impl Fn(&SettingsLayer) -> Option<&str>,
    parse: impl Fn(&str) -> Result<T, String>,
    warnings: &mut Vec<String>,
) -> Option<T> {
    for layer in layers {
        let Some(raw) = field(layer).map(str::trim).filter(|raw| !raw.is_empty()) else {
            continue;
        };
        match parse(raw) {
            Ok(value) => return Some(value),
            Err(problem) => warnings.push(problem),
        }
    }
    None
}

fn parse_api(raw: &str) -> Result<String, String> {
    let ok = raw.starts_with("https://") || raw.starts_with("http://") || raw.starts_with('/');
    if ok && !raw.contains(char::is_whitespace) {
        Ok(raw.trim_end_matches('/').to_owned())
    } else {
        Err(format!(
            "api {raw:?} is not an http(s) URL or an absolute path"
        ))
    }
}

fn parse_currency(raw: &str) -> Result<String, String> {
    if raw.len() == 3 && raw.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(raw.to_ascii_uppercase())
    } else {
        Err(format!(
            "currency {raw:?} is not an ISO 4217 code such as KRW"
        ))
    }
}

/// Whole seconds from 1 to 600.
fn parse_request_timeout(raw: &str) -> Result<std::time::Duration, String> {
    match raw.parse::<u64>() {
        Ok(seconds @ 1..=600) => Ok(std::time::Duration::from_secs(seconds)),
        _ => Err(format!(
            "request_timeout {raw:?} is not a number of seconds from 1 to 600"
        )),
    }
}

/// `/portal/crm/` → `/portal/crm`; `/` → `""`.
fn parse_base_path(raw: &str) -> Result<String, String> {
    if !raw.starts_with('/') || raw.contains(['?', '#', ' ']) {
        return Err(format!("base path {raw:?} must be a path starting with /"));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(api: Option<&str>, locale: Option<&str>, timezone: Option<&str>) -> SettingsLayer {
        SettingsLayer {
            api: api.map(Into::into),
            locale: locale.map(Into::into),
            timezone: timezone.map(Into::into),
            ..SettingsLayer::default()
        }
    }

    #[test]
    fn element_attributes_win_over_config_json() {
        let attrs = layer(None, Some("en"), None);
        let file = layer(
            Some("https://crm.example.com/api/"),
            Some("ko"),
            Some("Europe/Berlin"),
        );
        let s = resolve(&[attrs, file], &["ko-KR".into()]);
        assert_eq!(s.locale, Locale::En);
        assert_eq!(
            s.source,
            DataSource::Backend("https://crm.example.com/api".into())
        );
        assert_eq!(s.zone.map(|z| z.name()), Some("Europe/Berlin"));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn defaults_follow_the_browser_and_demo_data() {
        let s = resolve(&[], &["ko-KR".into(), "en-US".into()]);
        assert_eq!(s.locale, Locale::Ko);
        assert_eq!(s.source, DataSource::Demo);
        assert_eq!(s.zone_or("not a zone").name(), "Asia/Seoul");
        assert_eq!(s.base_path, "");
        assert_eq!(resolve(&[], &["en-GB".into()]).locale, Locale::En);
    }

    #[test]
    fn bad_values_warn_and_fall_through() {
        let attrs = SettingsLayer {
            timezone: Some("Mars/Base".into()),
            base_path: Some("portal".into()),
            currency: Some("원화".into()),
            api: Some("javascript:alert(1)".into()),
            ..SettingsLayer::default()
        };
        let file = layer(None, None, Some("Asia/Tokyo"));
        let s = resolve(&[attrs, file], &[]);
        assert_eq!(s.zone.map(|z| z.name()), Some("Asia/Tokyo"));
        assert_eq!(s.base_path, "");
        assert_eq!(s.currency, None);
        assert_eq!(s.source, DataSource::Demo);
        assert_eq!(s.warnings.len(), 4, "{:?}", s.warnings);
    }

    #[test]
    fn base_path_is_normalised() {
        let s = resolve(
            &[SettingsLayer {
                base_path: Some("/portal/crm/".into()),
                ..SettingsLayer::default()
            }],
            &[],
        );
        assert_eq!(s.base_path, "/portal/crm");
    }

    #[test]
    fn config_json_is_parsed_leniently_but_safely() {
        let layer = SettingsLayer::from_json(br#"{"locale":"ko","future_key":1}"#).expect("valid");
        assert_eq!(layer.locale.as_deref(), Some("ko"));
        assert!(SettingsLayer::from_json(br#"{"locale":5}"#).is_err());
        assert!(SettingsLayer::from_json(b"<html>").is_err());
    }

    #[test]
    fn request_timeout_is_whole_seconds_from_a_number_or_a_string() {
        let file = SettingsLayer::from_json(br#"{"request_timeout":3}"#).expect("valid");
        assert_eq!(file.request_timeout.as_deref(), Some("3"));
        let s = resolve(&[file], &[]);
        assert_eq!(s.request_timeout, Some(std::time::Duration::from_secs(3)));
        let text = SettingsLayer::from_json(br#"{"request_timeout":"45"}"#).expect("valid");
        assert_eq!(
            resolve(&[text], &[]).request_timeout,
            Some(std::time::Duration::from_secs(45))
        );
        assert_eq!(resolve(&[], &[]).request_timeout, None);
        for bad in ["0", "601", "2.5", "soon"] {
            let layer = SettingsLayer {
                request_timeout: Some(bad.into()),
                ..SettingsLayer::default()
            };
            let s = resolve(&[layer], &[]);
            assert_eq!(s.request_timeout, None, "{bad}");
            assert_eq!(s.warnings.len(), 1, "{bad}: {:?}", s.warnings);
        }
        assert!(SettingsLayer::from_json(br#"{"request_timeout":[1]}"#).is_err());
    }
}
