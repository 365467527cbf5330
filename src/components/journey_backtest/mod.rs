//! The parts of the journey backtest view ([`super::journey_backtest_view`]): the per-step table,
//! the per-channel table, the message-pressure calendar and the saved journeys replayed
//! alongside for caps. Every count is a button that asks the view to list its customers.

pub mod calendar_heatmap;
pub mod channels_table;
pub mod saved_journeys;
pub mod steps_table;

use leptos::prelude::*;

use crate::engine::backtest::Selection;
use crate::i18n::fill;
use crate::i18n::journey_backtest_texts::JourneyBacktestTexts;
pub use crate::state::backtest_labels::channel_name;

/// A count the user opened: the engine's selection and its translated name.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub select: Selection,
    pub label: String,
}

/// A count that lists its customers when pressed (a plain `0` when there is nobody to list).
pub fn count_button(
    bt: &JourneyBacktestTexts,
    shown: String,
    count: usize,
    pick: Pick,
    on_pick: Callback<Pick>,
) -> AnyView {
    if count == 0 {
        return view! { <span>{shown}</span> }.into_any();
    }
    // The name is the visible number with hidden words around it (so it reads, and matches, as
    // "Kakao, Sent: 886 — list the customers").
    let name = fill(bt.open_list, &[&pick.label, "\u{0}"]);
    let (before, after) = name.split_once('\u{0}').unwrap_or((&name, ""));
    let (before, after) = (before.to_owned(), after.to_owned());
    view! {
        <button type="button" class="crm-link-button crm-bt-count" on:click=move |_| on_pick.run(pick.clone())>
            <span class="crm-visually-hidden">{before}</span>{shown}<span class="crm-visually-hidden">{after}</span>
        </button>
    }
    .into_any()
}
