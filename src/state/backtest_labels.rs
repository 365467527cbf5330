//! Names the journey backtest view gives to what the engine counts: steps ("Message · Kakao ·
//! Welcome coupon", "Delay · 2 days"), ways out ("yes", "path A", "control group"), channels,
//! message statuses and the journey's sending rules in one sentence. Pure, tested natively.

use crate::engine::backtest::MessageStatus;
use crate::engine::journey::{Channel, Journey, SendingRules, Step, CONTROL_OUTLET};
use crate::i18n::journey_backtest_texts::JourneyBacktestTexts;
use crate::i18n::{event_label, fill, format, Texts};

/// A channel's name.
pub fn channel_name(bt: &JourneyBacktestTexts, channel: Channel) -> &'static str {
    match channel {
        Channel::Email => bt.ch_email,
        Channel::Sms => bt.ch_sms,
        Channel::Push => bt.ch_push,
        Channel::InApp => bt.ch_in_app,
        Channel::Kakao => bt.ch_kakao,
    }
}

/// A message status as the channel table's column names it.
pub fn status_name(bt: &JourneyBacktestTexts, status: MessageStatus) -> &'static str {
    match status {
        MessageStatus::Attempted => bt.col_attempted,
        MessageStatus::Sent => bt.col_sent,
        MessageStatus::SkippedConsent => bt.col_skipped,
        MessageStatus::DeferredQuietHours => bt.col_deferred,
        MessageStatus::HeldByCap => bt.col_held,
        MessageStatus::Pending => bt.col_pending,
        MessageStatus::Cancelled => bt.col_cancelled,
    }
}

/// A readable duration: whole days, else whole hours, else minutes ("1 day", "2 days").
fn span_text(t: &Texts, bt: &JourneyBacktestTexts, seconds: i64) -> String {
    let (n, one, many) = if seconds > 0 && seconds % 86_400 == 0 {
        (seconds / 86_400, bt.one_day, t.dur_days)
    } else if seconds > 0 && seconds % 3_600 == 0 {
        (seconds / 3_600, bt.one_hour, t.dur_hours)
    } else {
        (seconds / 60, bt.one_minute, t.dur_minutes)
    };
    if n == 1 {
        one.to_owned()
    } else {
        fill(many, &[&format::integer(n)])
    }
}

/// What a step is, for a marketer: "Message · Kakao · Welcome coupon", "Delay · 2 days".
pub fn step_name(t: &Texts, bt: &JourneyBacktestTexts, journey: &Journey, id: &str) -> String {
    let Some(node) = journey.node(id) else {
        return id.to_owned();
    };
    match &node.step {
        Step::Message { channel, name, .. } => {
            let channel = channel_name(bt, *channel);
            if name.trim().is_empty() {
                format!("{} · {channel}", bt.kind_message)
            } else {
                format!("{} · {channel} · {}", bt.kind_message, name.trim())
            }
        }
        Step::Delay { duration, .. } => {
            format!(
                "{} · {}",
                bt.kind_delay,
                span_text(t, bt, duration.seconds())
            )
        }
        Step::Wait { event, timeout, .. } => format!(
            "{} · {} ≤ {}",
            bt.kind_wait,
            event_label(t, &event.event),
            span_text(t, bt, timeout.seconds())
        ),
        Step::Branch { .. } => bt.kind_branch.to_owned(),
        Step::Split { .. } => bt.kind_split.to_owned(),
        Step::Exit => bt.kind_exit.to_owned(),
    }
}

/// An outlet's name: "then", "yes", "path A", "control group" …
pub fn outlet_name(bt: &JourneyBacktestTexts, outlet: &str, from_split: bool) -> String {
    match outlet {
        CONTROL_OUTLET if from_split => bt.out_control.to_owned(),
        "next" if !from_split => bt.out_next.to_owned(),
        "event" if !from_split => bt.out_event.to_owned(),
        "timeout" if !from_split => bt.out_timeout.to_owned(),
        "yes" if !from_split => bt.out_yes.to_owned(),
        "no" if !from_split => bt.out_no.to_owned(),
        label => fill(bt.out_path, &[label]),
    }
}

/// The journey's sending rules in one sentence: quiet hours, consent, caps per channel.
pub fn rules_sentence(bt: &JourneyBacktestTexts, rules: &SendingRules) -> String {
    let quiet = match &rules.quiet_hours {
        Some(q) => fill(bt.rules_quiet, &[&q.start, &q.end]),
        None => bt.rules_no_quiet.to_owned(),
    };
    let consent = if rules.respect_consent {
        bt.rules_consent
    } else {
        bt.rules_no_consent
    };
    let caps: Vec<String> = rules
        .caps
        .iter()
        .filter(|(_, cap)| cap.per_day.is_some() || cap.per_week.is_some())
        .map(|(channel, cap)| {
            let limits: Vec<String> = [
                cap.per_day
                    .map(|n| fill(bt.cap_day, &[&format::count(n as usize)])),
                cap.per_week
                    .map(|n| fill(bt.cap_week, &[&format::count(n as usize)])),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!("{} {}", channel_name(bt, *channel), limits.join(", "))
        })
        .collect();
    let caps = if caps.is_empty() {
        bt.rules_no_caps.to_owned()
    } else {
        fill(bt.rules_caps, &[&caps.join("; ")])
    };
    fill(bt.rules, &[&format!("{quiet}; {consent}; {caps}")])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::journey_templates::template;
    use crate::i18n::journey_backtest_texts::journey_backtest_texts;
    use crate::i18n::Locale;

    #[test]
    fn steps_and_ways_out_read_as_a_marketer_says_them() {
        let (t, bt) = (Locale::En.texts(), journey_backtest_texts(Locale::En));
        let signup = template("signup_coupon").expect("template").journey;
        assert_eq!(
            step_name(t, bt, &signup, "coupon"),
            "Message · Kakao · Welcome coupon"
        );
        assert_eq!(step_name(t, bt, &signup, "two_days"), "Delay · 2 days");
        assert_eq!(step_name(t, bt, &signup, "bought"), "Branch");
        assert_eq!(step_name(t, bt, &signup, "done"), "Exit");
        assert_eq!(step_name(t, bt, &signup, "nope"), "nope");
        let win = template("win_back").expect("template").journey;
        assert_eq!(
            step_name(t, bt, &win, "wait_visit"),
            "Wait for event · Visit ≤ 7 days"
        );
        assert_eq!(step_name(t, bt, &win, "split"), "A/B split");
        let cart = template("cart_consultation").expect("template").journey;
        assert_eq!(step_name(t, bt, &cart, "hour"), "Delay · 1 hour");
        assert_eq!(step_name(t, bt, &cart, "day"), "Delay · 1 day");
        assert_eq!(outlet_name(bt, "yes", false), "yes");
        assert_eq!(outlet_name(bt, "timeout", false), "timed out");
        assert_eq!(outlet_name(bt, "A", true), "path A");
        // A split path may be called "yes": it is still a path.
        assert_eq!(outlet_name(bt, "yes", true), "path yes");
        assert_eq!(outlet_name(bt, "control", true), "control group");
        let ko = journey_backtest_texts(Locale::Ko);
        assert_eq!(
            step_name(Locale::Ko.texts(), ko, &signup, "two_days"),
            "대기 · 2일"
        );
        assert_eq!(status_name(bt, MessageStatus::HeldByCap), "Held by cap");
        assert_eq!(channel_name(ko, Channel::Kakao), "카카오톡");
    }

    #[test]
    fn rules_in_one_sentence() {
        let bt = journey_backtest_texts(Locale::En);
        let win = template("win_back").expect("template").journey;
        assert_eq!(
            rules_sentence(bt, &win.rules),
            "Sending rules: no advertising between 21:00 and 08:00 (customer’s time); only to \
             customers who consented; caps Email 1 a day, 3 a week; Push 2 a day, 5 a week; Kakao \
             1 a day, 2 a week."
        );
        let plain = SendingRules {
            quiet_hours: None,
            respect_consent: false,
            ..SendingRules::default()
        };
        assert_eq!(
            rules_sentence(bt, &plain),
            "Sending rules: no quiet hours; consent not checked; no frequency caps."
        );
    }
}
