//! Texts of the journey designer page, in English and Korean (one file per feature).

use super::Locale;

/// One field per text; placeholders `{0}`, `{1}` are filled with [`super::fill`].
#[derive(Debug)]
pub struct JourneyDesignerTexts {
    /// Journey designer
    pub title: &'static str,
    /// Design a journey …
    pub intro: &'static str,
    /// Design a journey
    pub open_designer: &'static str,
}

static EN: JourneyDesignerTexts = JourneyDesignerTexts {
    title: "Journey designer",
    intro: "Design a journey (entry, waits, branches and messages), see from history whom it would have reached and how many messages it would send, then save it.",
    open_designer: "Design a journey",
};

static KO: JourneyDesignerTexts = JourneyDesignerTexts {
    title: "여정 설계",
    intro: "여정(진입, 대기, 분기, 메시지)을 설계하고, 과거 데이터로 누구에게 닿았을지와 메시지가 얼마나 나갔을지 확인한 뒤 저장하세요.",
    open_designer: "여정 설계하기",
};

pub fn journey_designer_texts(locale: Locale) -> &'static JourneyDesignerTexts {
    match locale {
        Locale::En => &EN,
        Locale::Ko => &KO,
    }
}
