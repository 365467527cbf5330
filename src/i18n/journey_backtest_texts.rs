//! Texts of the journey backtest view, in English and Korean (one file per feature).

use super::Locale;

/// One field per text; placeholders `{0}`, `{1}` are filled with [`super::fill`].
#[derive(Debug)]
pub struct JourneyBacktestTexts {
    /// Backtest on history
    pub title: &'static str,
    /// Days of history
    pub days: &'static str,
    /// Run backtest
    pub run: &'static str,
    /// Entries
    pub entries: &'static str,
}

static EN: JourneyBacktestTexts = JourneyBacktestTexts {
    title: "Backtest on history",
    days: "Days of history",
    run: "Run backtest",
    entries: "Entries",
};

static KO: JourneyBacktestTexts = JourneyBacktestTexts {
    title: "과거 데이터로 백테스트",
    days: "과거 일수",
    run: "백테스트 실행",
    entries: "진입",
};

pub fn journey_backtest_texts(locale: Locale) -> &'static JourneyBacktestTexts {
    match locale {
        Locale::En => &EN,
        Locale::Ko => &KO,
    }
}
