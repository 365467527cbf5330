//! The answer to "do these customers come back more often than the others?" above a breakdown's
//! tables (worded by `i18n::retention_answer`).

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::retention::RetentionResult;
use crate::i18n::cohorts_texts::cohorts_texts;
use crate::i18n::retention_answer::answer_sentence;

/// The answer as a highlighted note above the tables.
#[component]
pub fn RetentionAnswer(
    result: RetentionResult,
    value: bool,
    return_event: String,
    currency: String,
) -> impl IntoView {
    let app = use_settings();
    let locale = app.locale.get_untracked();
    let ct = cohorts_texts(locale);
    answer_sentence(
        app.t(),
        ct,
        &result,
        value,
        &return_event,
        &currency,
        locale,
    )
    .map(|sentence| {
        view! {
            <section class="crm-card crm-answer" aria-labelledby="crm-answer-title">
                <h2 id="crm-answer-title">{ct.answer_title}</h2>
                <p class="crm-answer-sentence">{sentence}</p>
            </section>
        }
    })
}
