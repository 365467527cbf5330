//! Editing a rule tree by position, as the segment builder does: add, remove, duplicate, move up
//! and down, move into the group above or out of the current group. Pure, so every move is
//! tested natively; each move returns where the moved rule ends up, so focus can follow it.
//!
//! Positions ([`RulePath`]) are child indexes from the root, which is always a group.

use crate::engine::rule_check::RulePath;
use crate::engine::segment_rule::Rule;

/// The builder always edits a group: a single rule becomes "all of [rule]" (same members).
pub fn as_root(rule: Rule) -> Rule {
    match rule {
        Rule::All { .. } | Rule::Any { .. } | Rule::None { .. } => rule,
        leaf => Rule::all(vec![leaf]),
    }
}

/// The children of a group; `None` for a single rule.
pub fn children(rule: &Rule) -> Option<&Vec<Rule>> {
    match rule {
        Rule::All { rules } | Rule::Any { rules } | Rule::None { rules } => Some(rules),
        _ => None,
    }
}

fn children_mut(rule: &mut Rule) -> Option<&mut Vec<Rule>> {
    match rule {
        Rule::All { rules } | Rule::Any { rules } | Rule::None { rules } => Some(rules),
        _ => None,
    }
}

pub fn is_group(rule: &Rule) -> bool {
    children(rule).is_some()
}

/// The rule at `path`.
pub fn get<'a>(root: &'a Rule, path: &[usize]) -> Option<&'a Rule> {
    path.iter()
        .try_fold(root, |rule, &i| children(rule).and_then(|c| c.get(i)))
}

/// The rule at `path`, to change in place.
pub fn get_mut<'a>(root: &'a mut Rule, path: &[usize]) -> Option<&'a mut Rule> {
    path.iter().try_fold(root, |rule, &i| {
        children_mut(rule).and_then(|c| c.get_mut(i))
    })
}

/// The parent group's children and the index of `path` in them.
fn siblings<'a>(root: &'a mut Rule, path: &[usize]) -> Option<(&'a mut Vec<Rule>, usize)> {
    let (&last, parent) = path.split_last()?;
    let rules = children_mut(get_mut(root, parent)?)?;
    (last < rules.len()).then_some((rules, last))
}

/// Appends `rule` to the group at `group`; returns its path.
pub fn add(root: &mut Rule, group: &[usize], rule: Rule) -> Option<RulePath> {
    let rules = children_mut(get_mut(root, group)?)?;
    rules.push(rule);
    let mut path = group.to_vec();
    path.push(rules.len() - 1);
    Some(path)
}

/// Removes the rule at `path`; returns the path that should take focus (the next sibling, else
/// the previous one, else the parent group).
pub fn remove(root: &mut Rule, path: &[usize]) -> Option<RulePath> {
    let (rules, i) = siblings(root, path)?;
    rules.remove(i);
    let parent = &path[..path.len() - 1];
    let mut next = parent.to_vec();
    if i < rules.len() {
        next.push(i);
    } else if i > 0 {
        next.push(i - 1);
    }
    Some(next)
}

/// Inserts a copy right after the rule; returns the copy's path.
pub fn duplicate(root: &mut Rule, path: &[usize]) -> Option<RulePath> {
    let (rules, i) = siblings(root, path)?;
    let copy = rules[i].clone();
    rules.insert(i + 1, copy);
    let mut next = path.to_vec();
    *next.last_mut()? = i + 1;
    Some(next)
}

pub fn can_move_up(path: &[usize]) -> bool {
    path.last().is_some_and(|&i| i > 0)
}

pub fn can_move_down(root: &Rule, path: &[usize]) -> bool {
    let Some((&i, parent)) = path.split_last() else {
        return false;
    };
    get(root, parent)
        .and_then(children)
        .is_some_and(|c| i + 1 < c.len())
}

/// Whether the rule right above is a group the rule can move into.
pub fn can_move_into(root: &Rule, path: &[usize]) -> bool {
    let Some((&i, parent)) = path.split_last() else {
        return false;
    };
    i > 0
        && get(root, parent)
            .and_then(children)
            .is_some_and(|c| c.get(i - 1).is_some_and(is_group))
}

/// Whether the rule sits in a nested group (not directly in the root).
pub fn can_move_out(path: &[usize]) -> bool {
    path.len() >= 2
}

pub fn move_up(root: &mut Rule, path: &[usize]) -> Option<RulePath> {
    let (rules, i) = siblings(root, path)?;
    if i == 0 {
        return None;
    }
    rules.swap(i, i - 1);
    let mut next = path.to_vec();
    *next.last_mut()? = i - 1;
    Some(next)
}

pub fn move_down(root: &mut Rule, path: &[usize]) -> Option<RulePath> {
    let (rules, i) = siblings(root, path)?;
    if i + 1 >= rules.len() {
        return None;
    }
    rules.swap(i, i + 1);
    let mut next = path.to_vec();
    *next.last_mut()? = i + 1;
    Some(next)
}

/// Moves the rule to the end of the group right above it.
pub fn move_into(root: &mut Rule, path: &[usize]) -> Option<RulePath> {
    if !can_move_into(root, path) {
        return None;
    }
    let (rules, i) = siblings(root, path)?;
    let rule = rules.remove(i);
    let target = children_mut(&mut rules[i - 1])?;
    target.push(rule);
    let mut next = path[..path.len() - 1].to_vec();
    next.push(i - 1);
    next.push(target.len() - 1);
    Some(next)
}

/// Moves the rule out of its group, right after that group.
pub fn move_out(root: &mut Rule, path: &[usize]) -> Option<RulePath> {
    if !can_move_out(path) {
        return None;
    }
    let group = &path[..path.len() - 1];
    let rule = {
        let (rules, i) = siblings(root, path)?;
        rules.remove(i)
    };
    let (outer, g) = siblings(root, group)?;
    outer.insert(g + 1, rule);
    let mut next = group.to_vec();
    *next.last_mut()? = g + 1;
    Some(next)
}

/// Changes a group's kind (all / any / none), keeping its rules.
pub fn set_group_kind(rule: &mut Rule, kind: &str) {
    let rules = children_mut(rule).map(std::mem::take).unwrap_or_default();
    *rule = match kind {
        "any" => Rule::any(rules),
        "none" => Rule::none(rules),
        _ => Rule::all(rules),
    };
}

/// "all", "any" or "none" for a group.
pub fn group_kind(rule: &Rule) -> &'static str {
    match rule {
        Rule::Any { .. } => "any",
        Rule::None { .. } => "none",
        _ => "all",
    }
}

/// A path as people count: `[1, 0]` → "2.1".
pub fn path_label(path: &[usize]) -> String {
    path.iter()
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// A path as an element id part: `[1, 0]` → "1-0", the root → "root".
pub fn path_id(path: &[usize]) -> String {
    if path.is_empty() {
        return "root".to_owned();
    }
    path.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::segment_rule::ATTR_NAME;

    fn leaf(name: &str) -> Rule {
        Rule::Segment { id: name.into() }
    }

    fn names(rule: &Rule) -> String {
        match rule {
            Rule::Segment { id } => id.clone(),
            group => format!(
                "{}({})",
                group_kind(group),
                children(group)
                    .map(|c| c.iter().map(names).collect::<Vec<_>>().join(" "))
                    .unwrap_or_default()
            ),
        }
    }

    #[test]
    fn moves_keep_every_rule_and_report_where_it_went() {
        let mut root = as_root(leaf("a"));
        assert_eq!(names(&root), "all(a)");
        assert_eq!(add(&mut root, &[], Rule::any(vec![])), Some(vec![1]));
        assert_eq!(add(&mut root, &[1], leaf("b")), Some(vec![1, 0]));
        assert_eq!(add(&mut root, &[], leaf("c")), Some(vec![2]));
        assert_eq!(names(&root), "all(a any(b) c)");
        // c into the group above it.
        assert!(can_move_into(&root, &[2]));
        assert!(!can_move_into(&root, &[1]));
        assert_eq!(move_into(&mut root, &[2]), Some(vec![1, 1]));
        assert_eq!(names(&root), "all(a any(b c))");
        assert_eq!(move_up(&mut root, &[1, 1]), Some(vec![1, 0]));
        assert_eq!(names(&root), "all(a any(c b))");
        assert!(!can_move_up(&[1, 0]));
        assert_eq!(move_up(&mut root, &[1, 0]), None);
        assert_eq!(move_down(&mut root, &[1, 1]), None);
        assert!(can_move_down(&root, &[1, 0]));
        // Out of the group: right after it.
        assert!(can_move_out(&[1, 0]) && !can_move_out(&[1]));
        assert_eq!(move_out(&mut root, &[1, 0]), Some(vec![2]));
        assert_eq!(names(&root), "all(a any(b) c)");
        assert_eq!(duplicate(&mut root, &[1]), Some(vec![2]));
        assert_eq!(names(&root), "all(a any(b) any(b) c)");
        // Groups move like rules, with their contents; nesting has no limit.
        assert_eq!(move_into(&mut root, &[2]), Some(vec![1, 1]));
        assert_eq!(move_into(&mut root, &[1, 1]), None, "b is not a group");
        assert_eq!(
            add(&mut root, &[1, 1], Rule::none(vec![leaf("d")])),
            Some(vec![1, 1, 1])
        );
        assert_eq!(names(&root), "all(a any(b any(b none(d))) c)");
        assert_eq!(get(&root, &[1, 1, 1, 0]), Some(&leaf("d")));
        // Removing gives focus to the next rule, else the previous, else the group.
        assert_eq!(remove(&mut root, &[1, 1, 1, 0]), Some(vec![1, 1, 1]));
        assert_eq!(remove(&mut root, &[2]), Some(vec![1]));
        assert_eq!(remove(&mut root, &[0]), Some(vec![0]));
        assert_eq!(names(&root), "all(any(b any(b none())))");
        assert_eq!(remove(&mut root, &[0, 1, 1]), Some(vec![0, 1, 0]));
        assert_eq!(remove(&mut root, &[9]), None);
        set_group_kind(&mut root, "none");
        assert_eq!(group_kind(&root), "none");
        assert_eq!(path_label(&[1, 0]), "2.1");
        assert_eq!(path_id(&[1, 0]), "1-0");
        assert_eq!(path_id(&[]), "root");
        let attr = Rule::Attribute {
            attribute: ATTR_NAME.into(),
            test: crate::engine::segment_rule::AttributeTest::Exists,
        };
        assert!(!is_group(&attr));
    }
}
