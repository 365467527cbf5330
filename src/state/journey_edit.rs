//! Pure editing operations of the journey designer: add a step after an outlet (with a fresh
//! id), relink an outlet, delete a step, set the start, add or remove split paths, and order the
//! steps for display (graph order from `start`, unreachable ones after). Tested natively; the
//! designer's views only call these.

use crate::engine::filter::EventFilter;
use crate::engine::journey::{Channel, Entry, Journey, Node, SendingRules, SplitPath, Step};
use crate::engine::segment_rule::{Rule, Span};

/// The step kinds a marketer can add, in the order the designer offers them.
pub const KINDS: [&str; 6] = ["message", "delay", "wait", "branch", "split", "exit"];

/// A new journey: entered at sign-up, no steps yet.
pub fn blank() -> Journey {
    Journey {
        name: String::new(),
        entry: Entry::Event {
            event: EventFilter::of("signup"),
        },
        reentry: Default::default(),
        exit: Vec::new(),
        goal: None,
        rules: SendingRules::default(),
        seed: 0,
        start: String::new(),
        nodes: Vec::new(),
    }
}

/// A new step of `kind` with sensible defaults (`None` for an unknown kind).
pub fn new_step(kind: &str) -> Option<Step> {
    Some(match kind {
        "delay" => Step::Delay {
            duration: Span::days(1),
            next: None,
        },
        "wait" => Step::Wait {
            event: EventFilter::of("purchase"),
            timeout: Span::days(1),
            next: None,
            timeout_next: None,
        },
        "branch" => Step::Branch {
            condition: Rule::all(Vec::new()),
            yes: None,
            no: None,
        },
        "split" => Step::Split {
            paths: vec![
                SplitPath {
                    label: "A".into(),
                    percent: 50.0,
                    next: None,
                },
                SplitPath {
                    label: "B".into(),
                    percent: 50.0,
                    next: None,
                },
            ],
            control_percent: 0.0,
        },
        "message" => Step::Message {
            channel: Channel::Kakao,
            name: String::new(),
            content: String::new(),
            advertising: false,
            next: None,
        },
        "exit" => Step::Exit,
        _ => return None,
    })
}

/// An id not used yet: the kind, then `kind_2`, `kind_3` …
pub fn fresh_id(journey: &Journey, kind: &str) -> String {
    if journey.node(kind).is_none() {
        return kind.to_owned();
    }
    (2..)
        .map(|n| format!("{kind}_{n}"))
        .find(|id| journey.node(id).is_none())
        .unwrap_or_else(|| kind.to_owned())
}

/// The link of outlet `outlet` (in [`Step::outlets`] order) of a step.
pub fn link_mut(step: &mut Step, outlet: usize) -> Option<&mut Option<String>> {
    match step {
        Step::Delay { next, .. } | Step::Message { next, .. } => (outlet == 0).then_some(next),
        Step::Wait {
            next, timeout_next, ..
        } => match outlet {
            0 => Some(next),
            1 => Some(timeout_next),
            _ => None,
        },
        Step::Branch { yes, no, .. } => match outlet {
            0 => Some(yes),
            1 => Some(no),
            _ => None,
        },
        Step::Split { paths, .. } => paths.get_mut(outlet).map(|p| &mut p.next),
        Step::Exit => None,
    }
}

/// Points outlet `outlet` of node `node` at `target` (`None`: the journey ends there).
pub fn relink(journey: &mut Journey, node: &str, outlet: usize, target: Option<String>) {
    if let Some(ix) = journey.node_index(node) {
        if let Some(link) = link_mut(&mut journey.nodes[ix].step, outlet) {
            *link = target;
        }
    }
}

/// Adds a step of `kind` after outlet `outlet` of node `after` (or, with `None`, as the new
/// start, before the old one). What the outlet led to now follows the new step's first outlet.
/// Returns the new id.
pub fn add_after(
    journey: &mut Journey,
    after: Option<(&str, usize)>,
    kind: &str,
) -> Option<String> {
    let mut step = new_step(kind)?;
    let id = fresh_id(journey, kind);
    let (old_target, position) = match after {
        Some((node, outlet)) => {
            let ix = journey.node_index(node)?;
            let link = link_mut(&mut journey.nodes[ix].step, outlet)?;
            (link.replace(id.clone()), ix + 1)
        }
        None => {
            let old = (!journey.start.is_empty()).then(|| journey.start.clone());
            journey.start = id.clone();
            (old, 0)
        }
    };
    if let Some(link) = link_mut(&mut step, 0) {
        *link = old_target;
    }
    journey.nodes.insert(
        position,
        Node {
            id: id.clone(),
            step,
        },
    );
    Some(id)
}

/// Removes node `id`; links to it become empty. If it was the start, the start moves to what it
/// led to first (or the first remaining step).
pub fn delete(journey: &mut Journey, id: &str) {
    let Some(ix) = journey.node_index(id) else {
        return;
    };
    let removed = journey.nodes.remove(ix);
    for node in &mut journey.nodes {
        let count = node.step.outlets().len();
        for outlet in 0..count {
            if let Some(link) = link_mut(&mut node.step, outlet) {
                if link.as_deref() == Some(id) {
                    *link = None;
                }
            }
        }
    }
    if journey.start == id {
        let followed = removed
            .step
            .outlets()
            .into_iter()
            .find_map(|(_, t)| t.filter(|t| *t != id).map(str::to_owned));
        journey.start = followed
            .or_else(|| journey.nodes.first().map(|n| n.id.clone()))
            .unwrap_or_default();
    }
}

/// Makes node `id` the first step.
pub fn set_start(journey: &mut Journey, id: &str) {
    if journey.node(id).is_some() {
        journey.start = id.to_owned();
    }
}

/// A label for a new split path: the next letter not used yet.
fn next_label(paths: &[SplitPath]) -> String {
    ('A'..='Z')
        .map(String::from)
        .chain((1..).map(|n| format!("P{n}")))
        .find(|l| paths.iter().all(|p| p.label != *l))
        .unwrap_or_default()
}

/// Adds a path (0 %) to split `id`.
pub fn add_path(journey: &mut Journey, id: &str) {
    if let Some(ix) = journey.node_index(id) {
        if let Step::Split { paths, .. } = &mut journey.nodes[ix].step {
            let label = next_label(paths);
            paths.push(SplitPath {
                label,
                percent: 0.0,
                next: None,
            });
        }
    }
}

/// Removes path `path` of split `id`.
pub fn remove_path(journey: &mut Journey, id: &str, path: usize) {
    if let Some(ix) = journey.node_index(id) {
        if let Step::Split { paths, .. } = &mut journey.nodes[ix].step {
            if path < paths.len() {
                paths.remove(path);
            }
        }
    }
}

/// Node indexes in display order: depth-first from `start` following outlets in order
/// (reachable, `true`), then the others in journey order (`false`).
pub fn display_order(journey: &Journey) -> Vec<(usize, bool)> {
    let mut seen = vec![false; journey.nodes.len()];
    let mut out = Vec::with_capacity(journey.nodes.len());
    let mut stack: Vec<usize> = journey.node_index(&journey.start).into_iter().collect();
    while let Some(ix) = stack.pop() {
        if seen[ix] {
            continue;
        }
        seen[ix] = true;
        out.push((ix, true));
        let targets: Vec<usize> = journey.nodes[ix]
            .step
            .outlets()
            .into_iter()
            .filter_map(|(_, t)| t.and_then(|t| journey.node_index(t)))
            .collect();
        stack.extend(targets.into_iter().rev());
    }
    for (ix, s) in seen.iter().enumerate() {
        if !s {
            out.push((ix, false));
        }
    }
    out
}

/// A rule as the journey keeps it: a root `all` group of one rule is that rule.
pub fn simplify_rule(rule: Rule) -> Rule {
    match rule {
        Rule::All { mut rules } if rules.len() == 1 => rules.remove(0),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::journey_templates::template;

    fn ids(j: &Journey) -> Vec<String> {
        display_order(j)
            .into_iter()
            .map(|(ix, _)| j.nodes[ix].id.clone())
            .collect()
    }

    #[test]
    fn builds_the_signup_journey_step_by_step() {
        let mut j = blank();
        let coupon = add_after(&mut j, None, "message").expect("added");
        assert_eq!(coupon, "message");
        assert_eq!(j.start, "message");
        let delay = add_after(&mut j, Some((&coupon, 0)), "delay").expect("added");
        let branch = add_after(&mut j, Some((&delay, 0)), "branch").expect("added");
        let done = add_after(&mut j, Some((&branch, 0)), "exit").expect("added");
        let sms = add_after(&mut j, Some((&branch, 1)), "message").expect("added");
        assert_eq!(sms, "message_2");
        relink(&mut j, &sms, 0, Some(done.clone()));
        assert_eq!(
            ids(&j),
            vec!["message", "delay", "branch", "exit", "message_2"]
        );
        assert!(display_order(&j).iter().all(|(_, r)| *r));
        assert_eq!(
            j.node("message_2").map(|n| n.step.outlets()),
            Some(vec![("next", Some("exit"))])
        );
        // Same graph shape as the template.
        let t = template("signup_coupon").expect("template").journey;
        let kinds = |j: &Journey| {
            display_order(j)
                .into_iter()
                .map(|(ix, _)| j.nodes[ix].step.kind())
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds(&j), kinds(&t));
    }

    #[test]
    fn inserting_keeps_what_followed() {
        let mut j = blank();
        let a = add_after(&mut j, None, "message").expect("added");
        let x = add_after(&mut j, Some((&a, 0)), "exit").expect("added");
        let d = add_after(&mut j, Some((&a, 0)), "delay").expect("added");
        assert_eq!(ids(&j), vec![a.clone(), d.clone(), x.clone()]);
        // A new first step leads to the old one.
        let w = add_after(&mut j, None, "wait").expect("added");
        assert_eq!(j.start, w);
        assert_eq!(ids(&j), vec![w, a, d, x]);
        assert!(add_after(&mut j, None, "teleport").is_none());
        assert!(add_after(&mut j, Some(("nope", 0)), "delay").is_none());
    }

    #[test]
    fn deleting_empties_links_and_moves_the_start() {
        let mut j = template("signup_coupon").expect("template").journey;
        delete(&mut j, "sms");
        assert_eq!(
            j.node("bought").map(|n| n.step.outlets()),
            Some(vec![("yes", Some("done")), ("no", None)])
        );
        delete(&mut j, "coupon");
        assert_eq!(j.start, "two_days");
        set_start(&mut j, "done");
        assert_eq!(j.start, "done");
        set_start(&mut j, "nope");
        assert_eq!(j.start, "done");
        // two_days and bought are now unreachable, listed after.
        assert_eq!(display_order(&j), vec![(2, true), (0, false), (1, false)]);
        delete(&mut j, "done");
        delete(&mut j, "two_days");
        delete(&mut j, "bought");
        assert!(j.nodes.is_empty());
        assert_eq!(j.start, "");
        assert!(display_order(&j).is_empty());
    }

    #[test]
    fn loops_and_joins_are_shown_once() {
        let mut j = template("win_back").expect("template").journey;
        assert_eq!(
            ids(&j),
            vec![
                "split",
                "kakao",
                "wait_visit",
                "back",
                "push",
                "done",
                "email"
            ]
        );
        relink(&mut j, "push", 0, Some("split".into()));
        assert_eq!(ids(&j).len(), 7);
    }

    #[test]
    fn split_paths() {
        let mut j = blank();
        let s = add_after(&mut j, None, "split").expect("added");
        add_path(&mut j, &s);
        remove_path(&mut j, &s, 0);
        remove_path(&mut j, &s, 9);
        let labels: Vec<String> = match &j.nodes[0].step {
            Step::Split { paths, .. } => paths.iter().map(|p| p.label.clone()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(labels, vec!["B", "C"]);
        add_path(&mut j, &s);
        assert_eq!(j.nodes[0].step.outlets()[2].0, "A");
    }

    #[test]
    fn fresh_ids_and_rules() {
        let j = template("signup_coupon").expect("template").journey;
        assert_eq!(fresh_id(&j, "delay"), "delay");
        assert_eq!(fresh_id(&j, "coupon"), "coupon_2");
        let leaf = Rule::Segment { id: "x".into() };
        assert_eq!(simplify_rule(Rule::all(vec![leaf.clone()])), leaf);
        let two = Rule::all(vec![leaf.clone(), leaf]);
        assert_eq!(simplify_rule(two.clone()), two);
        assert!(new_step("exit").is_some());
        assert!(KINDS
            .iter()
            .all(|k| new_step(k).map(|s| s.kind()) == Some(*k)));
    }
}
