//! The sources' three journeys (DOMAIN.md, "Journeys"), ready to open in the designer and
//! backtest:
//! - `win_back`: customers who have visited before but not in 14 days get a message (A: Kakao,
//!   B: email, with a 10% control group), then a push reminder if they do not come back within 7
//!   days; the goal is a visit within 14 days.
//! - `signup_coupon`: a coupon right after signup, and an SMS two days later unless they bought;
//!   the goal is a purchase within 7 days.
//! - `cart_consultation`: an hour after a cart add, a consultation offer, then a coupon a day
//!   later; a purchase ends the journey and is its goal (within 7 days).
//!
//! Names are translated by the UI (by `id`); contents are Korean, for the demo's customers.

use super::journey::Journey;

/// A named starting point for a journey.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyTemplate {
    /// Stable id, also the key of its translated name.
    pub id: &'static str,
    pub journey: Journey,
}

const WIN_BACK: &str = r#"{
  "name": "Win-back after 14 days without a visit",
  "entry": {"type": "segment", "rule": {"rule": "all", "rules": [
    {"rule": "performed", "event": {"event": "visit"}},
    {"rule": "not_performed", "event": {"event": "visit"}, "window": {"last_days": 14}}
  ]}},
  "reentry": {"mode": "after_finish"},
  "goal": {"event": {"event": "visit"}, "within_days": 14},
  "rules": {"caps": {"kakao": {"per_day": 1, "per_week": 2}, "email": {"per_day": 1, "per_week": 3},
                     "push": {"per_day": 2, "per_week": 5}}},
  "start": "split",
  "nodes": [
    {"id": "split", "type": "split", "paths": [
      {"label": "A", "percent": 45, "next": "kakao"},
      {"label": "B", "percent": 45, "next": "email"}], "control_percent": 10},
    {"id": "kakao", "type": "message", "channel": "kakao", "name": "We miss you (Kakao)",
     "content": "{{name}}님, 요즘 뜸하셨네요! 새로 들어온 상품을 확인해 보세요.", "advertising": true,
     "next": "wait_visit"},
    {"id": "email", "type": "message", "channel": "email", "name": "We miss you (email)",
     "content": "{{name}}님, 다시 찾아주시면 10% 할인 쿠폰을 드려요.", "advertising": true,
     "next": "wait_visit"},
    {"id": "wait_visit", "type": "wait", "event": {"event": "visit"}, "timeout": {"days": 7},
     "next": "back", "timeout_next": "push"},
    {"id": "push", "type": "message", "channel": "push", "name": "Last reminder",
     "content": "{{name}}님, 쿠폰이 곧 만료돼요.", "advertising": true, "next": "done"},
    {"id": "back", "type": "exit"},
    {"id": "done", "type": "exit"}
  ]
}"#;

const SIGNUP_COUPON: &str = r#"{
  "name": "Signup coupon and day-2 SMS",
  "entry": {"type": "event", "event": {"event": "signup"}},
  "reentry": {"mode": "once"},
  "goal": {"event": {"event": "purchase"}, "within_days": 7},
  "rules": {"caps": {"sms": {"per_day": 1, "per_week": 2}}},
  "start": "coupon",
  "nodes": [
    {"id": "coupon", "type": "message", "channel": "kakao", "name": "Welcome coupon",
     "content": "{{name}}님, 가입을 환영해요! 첫 구매 15% 쿠폰을 드려요.", "advertising": true,
     "next": "two_days"},
    {"id": "two_days", "type": "delay", "duration": {"days": 2}, "next": "bought"},
    {"id": "bought", "type": "branch",
     "condition": {"rule": "performed", "event": {"event": "purchase"}},
     "yes": "done", "no": "sms"},
    {"id": "sms", "type": "message", "channel": "sms", "name": "Day-2 reminder",
     "content": "{{name}}님, 웰컴 쿠폰이 곧 만료돼요. 지금 사용해 보세요.", "advertising": true,
     "next": "done"},
    {"id": "done", "type": "exit"}
  ]
}"#;

const CART_CONSULTATION: &str = r#"{
  "name": "Cart: consultation offer and coupon",
  "entry": {"type": "event", "event": {"event": "cart_add"}},
  "reentry": {"mode": "cooldown", "days": 7},
  "exit": [{"event": "purchase"}],
  "goal": {"event": {"event": "purchase"}, "within_days": 7},
  "rules": {"caps": {"kakao": {"per_day": 1, "per_week": 3}, "email": {"per_day": 1, "per_week": 3}}},
  "start": "hour",
  "nodes": [
    {"id": "hour", "type": "delay", "duration": {"hours": 1}, "next": "consult"},
    {"id": "consult", "type": "message", "channel": "kakao", "name": "Consultation offer",
     "content": "{{name}}님, 고민 중인 상품이 있으신가요? 상담사가 도와드릴게요.", "advertising": true,
     "next": "day"},
    {"id": "day", "type": "delay", "duration": {"days": 1}, "next": "coupon"},
    {"id": "coupon", "type": "message", "channel": "email", "name": "Cart coupon",
     "content": "{{name}}님, 장바구니 상품 5% 쿠폰이 도착했어요.", "advertising": true,
     "next": "done"},
    {"id": "done", "type": "exit"}
  ]
}"#;

/// The three source journeys, in the order DOMAIN.md tells them.
pub fn templates() -> Vec<JourneyTemplate> {
    [
        ("win_back", WIN_BACK),
        ("signup_coupon", SIGNUP_COUPON),
        ("cart_consultation", CART_CONSULTATION),
    ]
    .into_iter()
    .filter_map(|(id, json)| {
        // Constant text, checked by the tests below: a failure here is a bug, not bad input.
        serde_json::from_str(json)
            .ok()
            .map(|journey| JourneyTemplate { id, journey })
    })
    .collect()
}

/// The template with this id.
pub fn template(id: &str) -> Option<JourneyTemplate> {
    templates().into_iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_three_parse() {
        let ids: Vec<&str> = templates().iter().map(|t| t.id).collect();
        assert_eq!(ids, vec!["win_back", "signup_coupon", "cart_consultation"]);
        assert_eq!(
            template("signup_coupon").map(|t| t.journey.nodes.len()),
            Some(5)
        );
        assert!(template("nope").is_none());
    }
}
