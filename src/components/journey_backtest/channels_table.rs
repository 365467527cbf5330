//! Per channel: what would have happened to the journey's messages (sent, skipped for consent,
//! deferred by quiet hours, held by caps, pending, cancelled). Channels without any message are
//! left out.

use leptos::prelude::*;

use super::{count_button, Pick};
use crate::app::use_settings;
use crate::engine::backtest::{ChannelCount, MessageStatus, Selection};
use crate::engine::journey::SendingRules;
use crate::i18n::journey_backtest_texts::journey_backtest_texts;
use crate::i18n::{fill, format};
use crate::state::backtest_labels::{channel_name, rules_sentence, status_name};

/// The columns, in order, with their count.
pub const COLUMNS: [MessageStatus; 7] = [
    MessageStatus::Attempted,
    MessageStatus::Sent,
    MessageStatus::SkippedConsent,
    MessageStatus::DeferredQuietHours,
    MessageStatus::HeldByCap,
    MessageStatus::Pending,
    MessageStatus::Cancelled,
];

fn value(c: &ChannelCount, status: MessageStatus) -> usize {
    match status {
        MessageStatus::Attempted => c.attempted,
        MessageStatus::Sent => c.sent,
        MessageStatus::SkippedConsent => c.skipped_consent,
        MessageStatus::DeferredQuietHours => c.deferred_quiet_hours,
        MessageStatus::HeldByCap => c.held_by_cap,
        MessageStatus::Pending => c.pending,
        MessageStatus::Cancelled => c.cancelled,
    }
}

#[component]
pub fn BacktestChannelsTable(
    channels: Vec<ChannelCount>,
    /// The edited journey's rules, told under the table.
    rules: SendingRules,
    on_pick: Callback<Pick>,
) -> impl IntoView {
    let app = use_settings();
    move || {
        let bt = journey_backtest_texts(app.locale.get());
        let used: Vec<&ChannelCount> = channels.iter().filter(|c| c.attempted > 0).collect();
        if used.is_empty() {
            return view! {
                <h3>{bt.channels_title}</h3>
                <p class="crm-notice">{bt.no_messages}</p>
                <p class="crm-muted crm-bt-note crm-bt-rules">{rules_sentence(bt, &rules)}</p>
            }
            .into_any();
        }
        let rows = used
            .iter()
            .map(|c| {
                let name = channel_name(bt, c.channel);
                let cells = COLUMNS
                    .iter()
                    .map(|&status| {
                        let n = value(c, status);
                        let pick = Pick {
                            select: Selection::Channel { channel: c.channel, status },
                            label: fill(bt.pick_channel, &[name, status_name(bt, status)]),
                        };
                        view! { <td class="crm-num">{count_button(bt, format::count(n), n, pick, on_pick)}</td> }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{name}</th>{cells}</tr> }
            })
            .collect_view();
        let heads = COLUMNS
            .iter()
            .map(|&s| view! { <th scope="col" class="crm-num">{status_name(bt, s)}</th> })
            .collect_view();
        view! {
            <h3>{bt.channels_title}</h3>
            <div class="crm-table-wrap">
                <table class="crm-table crm-bt-channels">
                    <caption>{bt.channels_caption}</caption>
                    <thead><tr><th scope="col">{bt.col_channel}</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="crm-bt-rules">{rules_sentence(bt, &rules)}</p>
            <p class="crm-muted crm-bt-note">{bt.channels_note}</p>
        }
        .into_any()
    }
}
