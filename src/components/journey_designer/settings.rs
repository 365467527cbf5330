//! Journey-level settings (name, entry, re-entry, exit events, goal) and sending rules (caps per
//! channel, quiet hours, consent).

use leptos::prelude::*;

use super::fields::issues_list;
use super::rule_editor::{rule_editor, ENTRY};
use super::{channel_label, Designer};
use crate::app::use_settings;
use crate::components::segment_builder::options;
use crate::components::EventFilterPicker;
use crate::engine::filter::EventFilter;
use crate::engine::journey::{Cap, Channel, Entry, Goal, Journey, QuietHours, Reentry};
use crate::engine::segment_rule::Rule;
use crate::i18n::fill;
use crate::i18n::journey_designer_texts::{journey_designer_texts, JourneyDesignerTexts};
use crate::i18n::rule_sentence::attribute_label;
use crate::i18n::segments_texts;
use crate::model::AttributeType;

fn entry_kind(e: &Entry) -> &'static str {
    match e {
        Entry::Event { .. } => "event",
        Entry::Segment { .. } => "segment",
        Entry::Date { .. } => "date",
    }
}

fn reentry_kind(r: &Reentry) -> &'static str {
    match r {
        Reentry::Once => "once",
        Reentry::AfterFinish => "after_finish",
        Reentry::Cooldown { .. } => "cooldown",
    }
}

/// What the settings are built from (which controls show).
fn settings_shape(revision: u64, j: &Journey) -> (u64, &'static str, &'static str, bool, usize) {
    (
        revision,
        entry_kind(&j.entry),
        reentry_kind(&j.reentry),
        j.goal.is_some(),
        j.exit.len(),
    )
}

/// A change to a date entry's attribute, offset, yearly flag and hour.
type DateEdit = dyn FnOnce(&mut String, &mut i32, &mut bool, &mut u32);

/// `(value, label)` pairs as owned strings, for [`options`].
fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

fn parse_u32(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

#[component]
pub fn JourneySettings(d: Designer) -> impl IntoView {
    let app = use_settings();
    let shape = Memo::new(move |_| {
        let revision = d.revision.get();
        d.journey.with(|j| settings_shape(revision, j))
    });
    let body = move || {
        shape.with(|_| ());
        let locale = app.locale.get();
        let (t, tx, st) = (
            locale.texts(),
            journey_designer_texts(locale),
            segments_texts(locale),
        );
        let j = d.journey.get_untracked();
        let events = d.event_options(t);
        let properties = d.properties.get_value();
        let picker = |legend: String,
                      get: fn(&Journey, usize) -> Option<EventFilter>,
                      set: fn(&mut Journey, usize, EventFilter),
                      i: usize| {
            let value = Signal::derive(move || {
                d.journey
                    .with(|j| get(j, i))
                    .unwrap_or_else(|| EventFilter::of("purchase"))
            });
            let on_change = Callback::new(move |f: EventFilter| d.edit(|j| set(j, i, f)));
            view! { <EventFilterPicker legend value on_change events=events.clone() properties=properties.clone()/> }
        };

        // Entry.
        let kind = entry_kind(&j.entry);
        let on_kind = move |ev| {
            let chosen = event_target_value(&ev);
            let first_date = d.catalog.with_value(|c| {
                c.attributes
                    .iter()
                    .find(|a| a.kind == AttributeType::Date && !a.builtin)
                    .map(|a| a.name.clone())
            });
            d.focus.keep_current();
            // A segment entry opens its rule editor at once.
            d.open_rule
                .set((chosen == "segment").then(|| ENTRY.to_owned()));
            d.edit(|j| {
                j.entry = match chosen.as_str() {
                    "segment" => Entry::Segment {
                        rule: Rule::all(Vec::new()),
                    },
                    "date" => Entry::Date {
                        attribute: first_date.unwrap_or_default(),
                        offset_days: 0,
                        yearly: false,
                        hour: 9,
                    },
                    _ => Entry::Event {
                        event: EventFilter::of("signup"),
                    },
                }
            });
        };
        let entry_fields = match &j.entry {
            Entry::Event { .. } => picker(
                tx.entry_event_legend.to_owned(),
                |j, _| match &j.entry {
                    Entry::Event { event } => Some(event.clone()),
                    _ => None,
                },
                |j, _, f| {
                    if let Entry::Event { event } = &mut j.entry {
                        *event = f;
                    }
                },
                0,
            )
            .into_any(),
            Entry::Segment { .. } => rule_editor(
                d,
                ENTRY.to_owned(),
                (tx.entry_segment, tx.entry_segment.to_owned()),
            )
            .into_any(),
            Entry::Date {
                attribute,
                offset_days,
                yearly,
                hour,
            } => {
                let dates: Vec<String> = d.catalog.with_value(|c| {
                    c.attributes
                        .iter()
                        .filter(|a| a.kind == AttributeType::Date && !a.builtin)
                        .map(|a| a.name.clone())
                        .collect()
                });
                let edit_date = move |f: Box<DateEdit>| {
                    d.edit(|j| {
                        if let Entry::Date {
                            attribute,
                            offset_days,
                            yearly,
                            hour,
                        } = &mut j.entry
                        {
                            f(attribute, offset_days, yearly, hour);
                        }
                    })
                };
                let current = attribute.clone();
                view! {
                    {dates.is_empty().then(|| view! { <p class="jd-warning">{tx.no_date_attribute}</p> })}
                    <div class="jd-inline">
                        <label class="jd-field">{tx.date_attribute}
                            <select id="jd-entry-attribute" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                edit_date(Box::new(move |a, _, _, _| *a = v));
                            }>
                                {options(dates.iter().map(|a| (a.clone(), attribute_label(st, a))).collect(), &current)}
                            </select>
                        </label>
                        <label class="jd-field">{tx.offset_days}
                            <input type="number" step="1" id="jd-entry-offset" aria-describedby="jd-entry-offset-hint"
                                prop:value=offset_days.to_string() on:input=move |ev| {
                                    if let Ok(v) = event_target_value(&ev).trim().parse::<i32>() {
                                        edit_date(Box::new(move |_, o, _, _| *o = v));
                                    }
                                }/>
                        </label>
                        <label class="jd-field">{tx.hour}
                            <input type="number" min="0" max="23" step="1" id="jd-entry-hour" prop:value=hour.to_string()
                                on:input=move |ev| {
                                    if let Some(v) = parse_u32(&event_target_value(&ev)) {
                                        edit_date(Box::new(move |_, _, _, h| *h = v));
                                    }
                                }/>
                        </label>
                    </div>
                    <p class="crm-muted jd-hint" id="jd-entry-offset-hint">{tx.offset_hint}</p>
                    <label class="jd-check">
                        <input type="checkbox" id="jd-entry-yearly" prop:checked=*yearly on:change=move |ev| {
                            let v = event_target_checked(&ev);
                            edit_date(Box::new(move |_, _, y, _| *y = v));
                        }/>
                        {tx.yearly}
                    </label>
                }
                .into_any()
            }
        };

        // Re-entry.
        let re_kind = reentry_kind(&j.reentry);
        let cooldown = match j.reentry {
            Reentry::Cooldown { days } => days,
            _ => 7,
        };
        let on_reentry = move |ev| {
            let chosen = event_target_value(&ev);
            d.focus.keep_current();
            d.edit(|j| {
                j.reentry = match chosen.as_str() {
                    "after_finish" => Reentry::AfterFinish,
                    "cooldown" => Reentry::Cooldown { days: 7 },
                    _ => Reentry::Once,
                }
            });
        };

        // Exit events.
        let exits = (0..j.exit.len())
            .map(|i| {
                let label = fill(tx.exit_n, &[&(i + 1).to_string()]);
                let remove = fill(tx.remove_exit, &[&(i + 1).to_string()]);
                view! {
                    <div class="jd-exit-row">
                        {picker(label, |j, i| j.exit.get(i).cloned(), |j, i, f| {
                            if let Some(e) = j.exit.get_mut(i) {
                                *e = f;
                            }
                        }, i)}
                        <button type="button" class="crm-icon-button" aria-label=remove on:click=move |_| {
                            d.focus.move_to("jd-add-exit".to_owned());
                            d.edit(|j| { if i < j.exit.len() { j.exit.remove(i); } });
                        }>"×"</button>
                    </div>
                }
            })
            .collect_view();

        // Goal.
        let within = j.goal.as_ref().map(|g| g.within_days).unwrap_or(7);
        let goal_fields = j.goal.is_some().then(|| {
            view! {
                {picker(tx.goal_event.to_owned(), |j, _| j.goal.as_ref().map(|g| g.event.clone()), |j, _, f| {
                    if let Some(g) = &mut j.goal {
                        g.event = f;
                    }
                }, 0)}
                <label class="jd-field">{tx.within_days}
                    <input type="number" min="1" step="1" id="jd-goal-days" prop:value=within.to_string()
                        on:input=move |ev| {
                            if let Some(v) = parse_u32(&event_target_value(&ev)) {
                                d.edit(|j| { if let Some(g) = &mut j.goal { g.within_days = v; } });
                            }
                        }/>
                </label>
            }
        });
        d.focus.apply();
        let name = j.name.clone();
        view! {
            <label class="jd-field">{tx.name}
                <input type="text" id="jd-name" class="jd-name" prop:value=name
                    on:input=move |ev| { let v = event_target_value(&ev); d.edit(|j| j.name = v); }/>
            </label>
            <fieldset class="jd-fieldset">
                <legend>{tx.entry}</legend>
                <label class="jd-field">{tx.entry_type}
                    <select id="jd-entry-kind" on:change=on_kind>
                        {options(pairs(&[("event", tx.entry_event), ("segment", tx.entry_segment), ("date", tx.entry_date)]), kind)}
                    </select>
                </label>
                {entry_fields}
            </fieldset>
            <fieldset class="jd-fieldset">
                <legend>{tx.reentry}</legend>
                <div class="jd-inline">
                    <label class="jd-field">{tx.reentry}
                        <select id="jd-reentry" on:change=on_reentry>
                            {options(pairs(&[("once", tx.reentry_once), ("after_finish", tx.reentry_after_finish), ("cooldown", tx.reentry_cooldown)]), re_kind)}
                        </select>
                    </label>
                    {(re_kind == "cooldown").then(|| view! {
                        <label class="jd-field">{tx.cooldown_days}
                            <input type="number" min="0" step="1" id="jd-cooldown" prop:value=cooldown.to_string()
                                on:input=move |ev| {
                                    if let Some(days) = parse_u32(&event_target_value(&ev)) {
                                        d.edit(|j| j.reentry = Reentry::Cooldown { days });
                                    }
                                }/>
                        </label>
                    })}
                </div>
            </fieldset>
            <fieldset class="jd-fieldset">
                <legend>{tx.exit_title}</legend>
                <p class="crm-muted jd-hint">{tx.exit_hint}</p>
                {exits}
                <button type="button" class="crm-secondary" id="jd-add-exit" on:click=move |_| {
                    d.focus.keep_current();
                    d.edit(|j| j.exit.push(EventFilter::of("purchase")));
                }>"+ "{tx.add_exit}</button>
            </fieldset>
            <fieldset class="jd-fieldset">
                <legend>{tx.goal_title}</legend>
                <label class="jd-check">
                    <input type="checkbox" id="jd-has-goal" prop:checked=j.goal.is_some() on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        d.focus.keep_current();
                        d.edit(|j| {
                            j.goal = on.then(|| Goal { event: EventFilter::of("purchase"), within_days: 7 });
                        });
                    }/>
                    {tx.has_goal}
                </label>
                {goal_fields}
            </fieldset>
        }
    };
    let tx = move || journey_designer_texts(app.locale.get());
    view! {
        <section class="crm-card jd-settings" aria-labelledby="jd-settings-title">
            <h2 id="jd-settings-title" tabindex="-1">{move || tx().settings_title}</h2>
            {body}
            {issues_list(d, None, "", tx)}
        </section>
    }
}

#[component]
pub fn SendingRulesEditor(d: Designer) -> impl IntoView {
    let app = use_settings();
    let shape = Memo::new(move |_| {
        let revision = d.revision.get();
        d.journey
            .with(|j| (revision, j.rules.quiet_hours.is_some()))
    });
    let body = move || {
        shape.with(|_| ());
        let tx = journey_designer_texts(app.locale.get());
        let j = d.journey.get_untracked();
        let cap_input = move |channel: Channel, per_week: bool, current: Option<u32>| {
            let name = channel_label(tx, channel);
            let label = fill(
                if per_week {
                    tx.cap_week_label
                } else {
                    tx.cap_day_label
                },
                &[name],
            );
            let id = format!(
                "jd-cap-{}-{}",
                channel.name(),
                if per_week { "week" } else { "day" }
            );
            view! {
                <input type="number" min="0" step="1" id=id aria-label=label placeholder=tx.no_cap
                    prop:value=current.map(|n| n.to_string()).unwrap_or_default()
                    on:input=move |ev| {
                        let value = parse_u32(&event_target_value(&ev));
                        d.edit(|j| {
                            let cap = j.rules.caps.entry(channel).or_insert_with(Cap::default);
                            if per_week { cap.per_week = value } else { cap.per_day = value }
                            if cap.per_day.is_none() && cap.per_week.is_none() {
                                j.rules.caps.remove(&channel);
                            }
                        });
                    }/>
            }
        };
        let rows = Channel::ALL
            .into_iter()
            .map(|c| {
                let cap = j.rules.caps.get(&c).copied().unwrap_or_default();
                view! {
                    <tr>
                        <th scope="row">{channel_label(tx, c)}</th>
                        <td>{cap_input(c, false, cap.per_day)}</td>
                        <td>{cap_input(c, true, cap.per_week)}</td>
                    </tr>
                }
            })
            .collect_view();
        let quiet = j.rules.quiet_hours.clone();
        let quiet_fields = quiet.clone().map(|q| {
            view! {
                <div class="jd-inline">
                    <label class="jd-field">{tx.quiet_start}
                        <input type="time" id="jd-quiet-start" prop:value=q.start on:input=move |ev| {
                            let v = event_target_value(&ev);
                            d.edit(|j| { if let Some(q) = &mut j.rules.quiet_hours { q.start = v; } });
                        }/>
                    </label>
                    <label class="jd-field">{tx.quiet_end}
                        <input type="time" id="jd-quiet-end" prop:value=q.end on:input=move |ev| {
                            let v = event_target_value(&ev);
                            d.edit(|j| { if let Some(q) = &mut j.rules.quiet_hours { q.end = v; } });
                        }/>
                    </label>
                </div>
            }
        });
        let zone_choices = zone_attribute_choices(
            d,
            &j.rules.time_zone_attribute,
            tx,
            app.zone.get_untracked().name(),
        );
        let zone_hint = fill(tx.zone_hint, &[app.zone.get_untracked().name()]);
        d.focus.apply();
        view! {
            <table class="jd-caps">
                <caption>{tx.caps_caption}</caption>
                <thead><tr><th scope="col">{tx.channel}</th><th scope="col">{tx.per_day}</th><th scope="col">{tx.per_week}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <fieldset class="jd-fieldset">
                <legend>{tx.quiet_hours}</legend>
                <label class="jd-check">
                    <input type="checkbox" id="jd-quiet-on" prop:checked=quiet.is_some() aria-describedby="jd-quiet-hint"
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            d.focus.keep_current();
                            d.edit(|j| j.rules.quiet_hours = on.then(QuietHours::default));
                        }/>
                    {tx.quiet_hours}
                </label>
                <p class="crm-muted jd-hint" id="jd-quiet-hint">{tx.quiet_hint}</p>
                {quiet_fields}
            </fieldset>
            <label class="jd-check">
                <input type="checkbox" id="jd-consent" prop:checked=j.rules.respect_consent aria-describedby="jd-consent-hint"
                    on:change=move |ev| { let on = event_target_checked(&ev); d.edit(|j| j.rules.respect_consent = on); }/>
                {tx.respect_consent}
            </label>
            <p class="crm-muted jd-hint" id="jd-consent-hint">{tx.consent_hint}</p>
            <label class="jd-field">{tx.zone_attribute}
                <select id="jd-zone-attribute" aria-describedby="jd-zone-hint" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    d.edit(|j| j.rules.time_zone_attribute = v);
                }>
                    {options(zone_choices, &j.rules.time_zone_attribute)}
                </select>
            </label>
            <p class="crm-muted jd-hint" id="jd-zone-hint">{zone_hint}</p>
        }
    };
    let tx = move || journey_designer_texts(app.locale.get());
    view! {
        <section class="crm-card jd-rules" aria-labelledby="jd-rules-title">
            <h2 id="jd-rules-title" tabindex="-1">{move || tx().rules_title}</h2>
            {body}
            {issues_list(d, None, "rules", tx)}
        </section>
    }
}

/// The choices for the customers' time-zone attribute: none (everyone in the app's zone), the
/// data's own text attributes, and the journey's current one if the data lacks it (a journey made
/// for another dataset keeps its setting until the marketer changes it).
fn zone_attribute_choices(
    d: Designer,
    current: &str,
    tx: &JourneyDesignerTexts,
    app_zone: &str,
) -> Vec<(String, String)> {
    let mut choices = vec![(String::new(), fill(tx.zone_none, &[app_zone]))];
    d.catalog.with_value(|c| {
        choices.extend(
            c.attributes
                .iter()
                .filter(|a| a.kind == AttributeType::Text && !a.builtin)
                .map(|a| (a.name.clone(), a.name.clone())),
        )
    });
    if !current.is_empty() && !choices.iter().any(|(key, _)| key == current) {
        choices.push((current.to_owned(), fill(tx.zone_missing, &[current])));
    }
    choices
}
