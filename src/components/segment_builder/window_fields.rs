//! When a behaviour rule looks: ever, the last N days, within N days after signup, or between
//! two dates.

use leptos::prelude::*;

use super::{control_id, options, Builder};
use crate::engine::segment_rule::{Rule, Window};
use crate::i18n::segments_texts::SegmentsTexts;
use crate::state::rule_ops;

fn window_mut(rule: &mut Rule) -> Option<&mut Window> {
    match rule {
        Rule::Performed { window, .. }
        | Rule::NotPerformed { window, .. }
        | Rule::FirstPerformed { window, .. }
        | Rule::LastPerformed { window, .. }
        | Rule::Aggregate { window, .. }
        | Rule::Sequence { window, .. }
        | Rule::NotFollowedBy { window, .. } => Some(window),
        _ => None,
    }
}

pub fn window_view(
    b: Builder,
    path: Vec<usize>,
    rule: &Rule,
    name: &str,
    st: &'static SegmentsTexts,
) -> AnyView {
    let mut probe = rule.clone();
    let Some(window) = window_mut(&mut probe).cloned() else {
        return ().into_any();
    };
    let kinds: Vec<(String, String)> = [
        ("ever", st.win_ever),
        ("last_days", st.win_last),
        ("after_signup_days", st.win_after_signup),
        ("between", st.win_between),
    ]
    .into_iter()
    .map(|(k, l)| (k.to_owned(), l.to_owned()))
    .collect();
    let kind_path = path.clone();
    let on_kind = move |ev: leptos::ev::Event| {
        let kind = event_target_value(&ev);
        b.focus.keep_current();
        b.edit(&kind_path, |r| {
            if let Some(w) = window_mut(r) {
                *w = rule_ops::window_of_kind(&kind, w);
            }
        });
    };
    let detail = match &window {
        Window::Ever => ().into_any(),
        Window::LastDays(days) | Window::AfterSignupDays(days) => {
            let days_path = path.clone();
            view! {
                <label class="crm-field crm-narrow">
                    <span>{st.f_days}</span>
                    <input type="number" min="1" step="1" id=control_id(&path, "window-days")
                        aria-label=format!("{} ({}): {name}", st.f_when, st.f_days)
                        prop:value=days.to_string()
                        on:input=move |ev| {
                            let n = rule_ops::parse_days(&event_target_value(&ev));
                            b.edit(&days_path, |r| match window_mut(r) {
                                Some(Window::LastDays(d)) | Some(Window::AfterSignupDays(d)) => *d = n,
                                _ => {}
                            });
                        }/>
                </label>
            }
            .into_any()
        }
        Window::Between { from, to } => {
            let (from_path, to_path) = (path.clone(), path.clone());
            view! {
                <label class="crm-field">
                    <span>{st.f_from}</span>
                    <input type="date" id=control_id(&path, "window-from")
                        aria-label=format!("{}: {name}", st.f_from)
                        prop:value=from.clone()
                        on:input=move |ev| {
                            let d = event_target_value(&ev);
                            b.edit(&from_path, |r| if let Some(Window::Between { from, .. }) = window_mut(r) { *from = d });
                        }/>
                </label>
                <label class="crm-field">
                    <span>{st.f_to}</span>
                    <input type="date" id=control_id(&path, "window-to")
                        aria-label=format!("{}: {name}", st.f_to)
                        prop:value=to.clone()
                        on:input=move |ev| {
                            let d = event_target_value(&ev);
                            b.edit(&to_path, |r| if let Some(Window::Between { to, .. }) = window_mut(r) { *to = d });
                        }/>
                </label>
            }
            .into_any()
        }
    };
    view! {
        <label class="crm-field">
            <span>{st.f_when}</span>
            <select id=control_id(&path, "window") aria-label=format!("{}: {name}", st.f_when) on:change=on_kind>
                {options(kinds, rule_ops::window_kind(&window))}
            </select>
        </label>
        {detail}
    }
    .into_any()
}
