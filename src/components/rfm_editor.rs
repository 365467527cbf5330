//! The RFM editor: the purchase window, quintiles or your own cut points, and each named
//! segment's name and R / F ranges. Every change goes to the engine, which says what is wrong
//! with an impossible setting (shown above the grid).

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::rfm::{RfmCutPoints, RfmCuts, RfmSpec, MAX_WINDOW_DAYS};
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, rfm_segment_name};

/// Which of the three threshold lists a cut input edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dimension {
    Recency,
    Frequency,
    Monetary,
}

/// Explicit thresholds equal to `points` (the engine's cuts in effect), so switching from
/// quintiles to your own cut points starts from the same scores. A score nobody reached takes
/// its neighbour's value.
fn thresholds_from(points: Option<&RfmCutPoints>) -> RfmCuts {
    let fill_gaps = |values: [Option<f64>; 4], default: [f64; 4]| -> Vec<f64> {
        let mut out = Vec::with_capacity(4);
        let mut last = None;
        for (i, v) in values.iter().enumerate() {
            let v = v.or(last).unwrap_or(default[i]);
            out.push(v);
            last = Some(v);
        }
        out
    };
    match points {
        Some(p) => RfmCuts::Thresholds {
            recency_days: fill_gaps(p.recency_days, [30.0, 90.0, 180.0, 270.0]),
            frequency: fill_gaps(p.frequency, [2.0, 3.0, 5.0, 8.0]),
            monetary: fill_gaps(p.monetary, [100_000.0, 300_000.0, 600_000.0, 1_000_000.0]),
        },
        None => RfmCuts::Thresholds {
            recency_days: vec![30.0, 90.0, 180.0, 270.0],
            frequency: vec![2.0, 3.0, 5.0, 8.0],
            monetary: vec![100_000.0, 300_000.0, 600_000.0, 1_000_000.0],
        },
    }
}

#[component]
pub fn RfmEditor(
    spec: RwSignal<RfmSpec>,
    cut_points: Signal<Option<RfmCutPoints>>,
) -> impl IntoView {
    let app = use_settings();
    let own = move || spec.with(|s| matches!(s.cuts, RfmCuts::Thresholds { .. }));
    let cut_rows = move || {
        let d = dashboard_texts(app.locale.get());
        let RfmCuts::Thresholds {
            recency_days,
            frequency,
            monetary,
        } = spec.with(|s| s.cuts.clone())
        else {
            return ().into_any();
        };
        [
            (Dimension::Recency, d.rfm_cut_recency, "R", recency_days),
            (Dimension::Frequency, d.rfm_cut_frequency, "F", frequency),
            (Dimension::Monetary, d.rfm_cut_monetary, "M", monetary),
        ]
        .into_iter()
        .map(|(dimension, legend, letter, values)| {
            let inputs = values
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let label = fill(d.rfm_cut_input, &[letter, &(i + 1).to_string()]);
                    view! {
                        <input type="number" min="0" step="any" class="crm-cut-input" aria-label=label
                            prop:value=value.to_string()
                            on:change=move |ev| {
                                let Ok(v) = event_target_value(&ev).trim().parse::<f64>() else { return };
                                spec.update(|s| {
                                    if let RfmCuts::Thresholds { recency_days, frequency, monetary } = &mut s.cuts {
                                        let list = match dimension {
                                            Dimension::Recency => recency_days,
                                            Dimension::Frequency => frequency,
                                            Dimension::Monetary => monetary,
                                        };
                                        if let Some(slot) = list.get_mut(i) {
                                            *slot = v;
                                        }
                                    }
                                });
                            }/>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="crm-cut-row">
                    <legend>{legend}</legend>
                    {inputs}
                </fieldset>
            }
        })
        .collect_view()
        .into_any()
    };
    let segment_rows = move || {
        let t = app.t();
        let d = dashboard_texts(app.locale.get());
        let segments = spec.with(|s| s.segments.clone());
        segments
            .iter()
            .enumerate()
            .map(|(i, segment)| {
                let shown = rfm_segment_name(t, &segment.name);
                let range = |template: &str, value: u8, set: fn(&mut [u8; 2], &mut [u8; 2], u8)| {
                    let label = fill(template, &[&shown]);
                    view! {
                        <input type="number" min="1" max="5" class="crm-score-input" aria-label=label
                            prop:value=value.to_string()
                            on:change=move |ev| {
                                if let Ok(v) = event_target_value(&ev).trim().parse::<u8>() {
                                    spec.update(|s| {
                                        if let Some(seg) = s.segments.get_mut(i) {
                                            let (mut r, mut f) = (seg.r, seg.f);
                                            set(&mut r, &mut f, v);
                                            seg.r = r;
                                            seg.f = f;
                                        }
                                    });
                                }
                            }/>
                    }
                };
                view! {
                    <tr>
                        <td>
                            <input type="text" aria-label=fill(d.rfm_name_of, &[&(i + 1).to_string()])
                                prop:value=shown.clone()
                                on:change=move |ev| {
                                    let name = event_target_value(&ev).trim().to_owned();
                                    spec.update(|s| {
                                        if let Some(seg) = s.segments.get_mut(i) {
                                            // Keeping the translated default keeps the built-in key.
                                            if name != rfm_segment_name(t, &seg.name) {
                                                seg.name = name.clone();
                                            }
                                        }
                                    });
                                }/>
                        </td>
                        <td>
                            {range(d.rfm_r_min, segment.r[0], |r, _, v| r[0] = v)}
                            " – "
                            {range(d.rfm_r_max, segment.r[1], |r, _, v| r[1] = v)}
                        </td>
                        <td>
                            {range(d.rfm_f_min, segment.f[0], |_, f, v| f[0] = v)}
                            " – "
                            {range(d.rfm_f_max, segment.f[1], |_, f, v| f[1] = v)}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <details class="crm-rfm-editor">
            <summary>{move || dashboard_texts(app.locale.get()).rfm_edit}</summary>
            <div class="crm-kpi-controls">
                <label class="crm-field">
                    <span>{move || dashboard_texts(app.locale.get()).rfm_window}</span>
                    <input type="number" min="1" max=MAX_WINDOW_DAYS.to_string()
                        aria-label=move || dashboard_texts(app.locale.get()).rfm_window
                        prop:value=move || spec.with(|s| s.window_days.to_string())
                        on:change=move |ev| {
                            if let Ok(days) = event_target_value(&ev).trim().parse::<u32>() {
                                spec.update(|s| s.window_days = days.clamp(1, MAX_WINDOW_DAYS));
                            }
                        }/>
                </label>
                <label class="crm-field">
                    <span>{move || dashboard_texts(app.locale.get()).rfm_cut_method}</span>
                    <select aria-label=move || dashboard_texts(app.locale.get()).rfm_cut_method on:change=move |ev| {
                        let cuts = if event_target_value(&ev) == "own" {
                            thresholds_from(cut_points.get_untracked().as_ref())
                        } else {
                            RfmCuts::Quintiles
                        };
                        spec.update(|s| s.cuts = cuts);
                    }>
                        <option value="quintiles" selected=move || !own()>{move || dashboard_texts(app.locale.get()).rfm_quintiles}</option>
                        <option value="own" selected=own>{move || dashboard_texts(app.locale.get()).rfm_own_cuts}</option>
                    </select>
                </label>
            </div>
            {cut_rows}
            <table class="crm-table crm-rfm-ranges">
                <caption>{move || dashboard_texts(app.locale.get()).rfm_segment_ranges}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || dashboard_texts(app.locale.get()).rfm_name}</th>
                        <th scope="col">{move || dashboard_texts(app.locale.get()).rfm_r_range}</th>
                        <th scope="col">{move || dashboard_texts(app.locale.get()).rfm_f_range}</th>
                    </tr>
                </thead>
                <tbody>{segment_rows}</tbody>
            </table>
            <button type="button" class="crm-button" on:click=move |_| spec.set(RfmSpec::default())>
                {move || dashboard_texts(app.locale.get()).rfm_reset}
            </button>
        </details>
    }
}
