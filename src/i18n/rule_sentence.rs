//! A segment rule read back as one sentence in Korean or English ("Customers who did not do
//! “Visit” in the last 14 days" / "최근 14일 동안 ‘방문’이 없는 고객"), so a marketer can check
//! what they built. Korean particles (이/가, 을/를, 은/는, (으)로) follow the final consonant of
//! the word before them.

use super::segments_texts::SegmentsTexts;
use super::{event_label, format, segments_texts, Locale, Texts};
use crate::engine::filter::{EventFilter, Literal, PropertyCondition, ValueTest};
use crate::engine::segment_rule::{
    Aggregate, AttributeTest, CompareOp, Comparison, Rule, Span, Window, ATTR_CONSENT_PREFIX,
    ATTR_CREATED_AT, ATTR_EMAIL, ATTR_NAME, ATTR_PHONE,
};

/// What a sentence needs besides the rule.
pub struct SentenceContext<'a> {
    pub locale: Locale,
    /// The dataset's currency, for sums of purchase values.
    pub currency: &'a str,
    /// The display name of a referenced segment id (a saved segment's name, a template's name).
    pub segment_name: &'a dyn Fn(&str) -> String,
}

/// The display name of an attribute: translated for built-ins, as named otherwise.
pub fn attribute_label(t: &SegmentsTexts, name: &str) -> String {
    match name {
        ATTR_CREATED_AT => t.attr_created_at.to_owned(),
        ATTR_NAME => t.attr_name.to_owned(),
        ATTR_EMAIL => t.attr_email.to_owned(),
        ATTR_PHONE => t.attr_phone.to_owned(),
        _ => match name.strip_prefix(ATTR_CONSENT_PREFIX) {
            Some("email") => t.attr_consent_email.to_owned(),
            Some("sms") => t.attr_consent_sms.to_owned(),
            Some("push") => t.attr_consent_push.to_owned(),
            Some("kakao") => t.attr_consent_kakao.to_owned(),
            _ => name.to_owned(),
        },
    }
}

/// The whole sentence for `rule`.
pub fn rule_sentence(rule: &Rule, cx: &SentenceContext) -> String {
    let body = clause(rule, cx, true);
    match cx.locale {
        Locale::En if body.is_empty() => "All customers".to_owned(),
        Locale::Ko if body.is_empty() => "모든 고객".to_owned(),
        Locale::En => format!("Customers who {body}"),
        Locale::Ko => format!("{body} 고객"),
    }
}

/// Whether the last syllable of `word` ends in a consonant (and whether that is ㄹ), reading
/// digits and Latin letters as Koreans say them. Closing quotes and brackets are skipped.
fn final_consonant(word: &str) -> Option<(bool, bool)> {
    let c = word
        .chars()
        .rev()
        .find(|c| c.is_alphanumeric() || ('\u{AC00}'..='\u{D7A3}').contains(c))?;
    if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        let jong = (c as u32 - 0xAC00) % 28;
        return Some((jong != 0, jong == 8));
    }
    Some(match c.to_ascii_lowercase() {
        // 영 일 삼 육 칠 팔 / 십 백 천: digits read with a final consonant.
        '0' | '3' | '6' => (true, false),
        '1' | '7' | '8' => (true, true),
        '2' | '4' | '5' | '9' => (false, false),
        // 엘 / 알 end in ㄹ; 엠, 엔 in other consonants.
        'l' | 'r' => (true, true),
        'm' | 'n' => (true, false),
        _ => (false, false),
    })
}

/// `word` + the particle that fits it: `pair` is (after a consonant, after a vowel), e.g.
/// ("이", "가"), ("을", "를"), ("은", "는"), ("으로", "로").
pub fn with_particle(word: &str, pair: (&str, &str)) -> String {
    let particle = match final_consonant(word) {
        // (으)로 takes 로 after ㄹ.
        Some((true, true)) if pair.1 == "로" => pair.1,
        Some((true, _)) => pair.0,
        _ => pair.1,
    };
    format!("{word}{particle}")
}

const SUBJECT: (&str, &str) = ("이", "가");
const OBJECT: (&str, &str) = ("을", "를");

fn clause(rule: &Rule, cx: &SentenceContext, top: bool) -> String {
    let en = cx.locale == Locale::En;
    let group = |rules: &[Rule], joiner_en: &str, joiner_ko: &str| {
        let parts: Vec<String> = rules
            .iter()
            .map(|r| clause(r, cx, false))
            .filter(|s| !s.is_empty())
            .collect();
        let joined = parts.join(if en { joiner_en } else { joiner_ko });
        if top || parts.len() < 2 {
            joined
        } else {
            format!("({joined})")
        }
    };
    match rule {
        Rule::All { rules } => group(rules, " and ", ", "),
        Rule::Any { rules } => group(rules, " or ", " 또는 "),
        Rule::None { rules } => {
            let inner: Vec<String> = rules.iter().map(|r| clause(r, cx, false)).collect();
            if inner.is_empty() {
                return String::new();
            }
            if en {
                format!("are not among those who {}", inner.join(" or "))
            } else {
                format!("[{}] 조건에 해당하지 않는", inner.join(" 또는 "))
            }
        }
        Rule::Attribute { attribute, test } => attribute_clause(attribute, test, cx),
        Rule::Performed {
            event,
            count,
            window,
        } => {
            let ev = event_text(event, cx);
            let w = window_text(window, cx);
            let times = count_text(count, cx);
            if en {
                join(&["did", &ev, &times, &w])
            } else {
                join(&[&w, &with_particle(&ev, OBJECT), &times, "한"])
            }
        }
        Rule::NotPerformed { event, window } => {
            let ev = event_text(event, cx);
            let w = window_text(window, cx);
            if en {
                join(&["did not do", &ev, &w])
            } else {
                join(&[&w, &with_particle(&ev, SUBJECT), "없는"])
            }
        }
        Rule::Sequence {
            first,
            then,
            within,
            window,
        } => {
            let (a, b) = (event_text(first, cx), event_text(then, cx));
            let (w, span) = (window_text(window, cx), span_text(within, cx));
            if en {
                join(&["did", &a, &w, "and then", &b, "within", &span])
            } else {
                join(&[
                    &w,
                    &a,
                    "후",
                    &span,
                    "안에",
                    &with_particle(&b, OBJECT),
                    "한",
                ])
            }
        }
        Rule::NotFollowedBy {
            first,
            then,
            within,
            window,
        } => {
            let (a, b) = (event_text(first, cx), event_text(then, cx));
            let (w, span) = (window_text(window, cx), span_text(within, cx));
            if en {
                join(&["did", &a, &w, "and no", &b, "within", &span, "after it"])
            } else {
                join(&[
                    &w,
                    &a,
                    "후",
                    &span,
                    "안에",
                    &with_particle(&b, SUBJECT),
                    "없는",
                ])
            }
        }
        Rule::FirstPerformed { event, window } | Rule::LastPerformed { event, window } => {
            let first = matches!(rule, Rule::FirstPerformed { .. });
            let ev = event_text(event, cx);
            let w = window_text(window, cx);
            match (en, first) {
                (true, true) => join(&["did", &ev, "for the first time", &w]),
                (true, false) => join(&["last did", &ev, &w]),
                (false, true) => join(&[&w, &with_particle(&ev, OBJECT), "처음 한"]),
                (false, false) => join(&[&w, &with_particle(&ev, OBJECT), "마지막으로 한"]),
            }
        }
        Rule::Aggregate {
            event,
            aggregate,
            compare,
            window,
        } => {
            let t = segments_texts(cx.locale);
            let measure = match aggregate {
                Aggregate::Count => t.agg_count,
                Aggregate::Sum => t.agg_sum,
                Aggregate::Avg => t.agg_avg,
                Aggregate::Min => t.agg_min,
                Aggregate::Max => t.agg_max,
            };
            let ev = event_text(event, cx);
            let w = window_text(window, cx);
            let amount = if *aggregate == Aggregate::Count {
                format::decimal(compare.value, decimals(compare.value))
            } else {
                format::money(compare.value, cx.currency, cx.locale)
            };
            let cmp = compare_text(compare.op, &amount, cx.locale);
            if en {
                join(&["have a", &measure.to_lowercase(), "of", &ev, &w, "of", &cmp])
            } else {
                join(&[
                    &w,
                    &ev,
                    &with_particle(measure, SUBJECT),
                    &format!("{cmp}인"),
                ])
            }
        }
        Rule::Segment { id } => {
            let name = quote((cx.segment_name)(id), cx.locale);
            if en {
                format!("are in the segment {name}")
            } else {
                format!("{name} 세그먼트에 속한")
            }
        }
    }
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote(text: String, locale: Locale) -> String {
    match locale {
        Locale::En => format!("“{text}”"),
        Locale::Ko => format!("‘{text}’"),
    }
}

fn decimals(x: f64) -> usize {
    if x.fract() == 0.0 {
        0
    } else {
        2
    }
}

fn number(x: f64) -> String {
    format::decimal(x, decimals(x))
}

fn texts(locale: Locale) -> &'static Texts {
    locale.texts()
}

fn event_text(filter: &EventFilter, cx: &SentenceContext) -> String {
    let name = if filter.event.is_empty() {
        "?".to_owned()
    } else {
        event_label(texts(cx.locale), &filter.event)
    };
    let mut out = quote(name, cx.locale);
    if !filter.conditions.is_empty() {
        let conditions: Vec<String> = filter
            .conditions
            .iter()
            .map(|c| condition_text(c, cx.locale))
            .collect();
        out = match cx.locale {
            Locale::En => format!("{out} with {}", conditions.join(" and ")),
            // Korean puts what describes the event before it: "score가 6 이하인 ‘NPS 응답’".
            Locale::Ko => format!("{} {out}", conditions.join(", ")),
        };
    }
    out
}

fn literal(value: &Literal, locale: Locale) -> String {
    let t = segments_texts(locale);
    match value {
        Literal::Bool(true) => t.yes.to_owned(),
        Literal::Bool(false) => t.no.to_owned(),
        Literal::Number(x) => number(*x),
        Literal::Text(s) => quote(s.clone(), locale),
    }
}

fn literals(values: &[Literal], locale: Locale) -> String {
    values
        .iter()
        .map(|v| literal(v, locale))
        .collect::<Vec<_>>()
        .join(", ")
}

fn condition_text(c: &PropertyCondition, locale: Locale) -> String {
    let key = if c.property.is_empty() {
        "?"
    } else {
        c.property.as_str()
    };
    let en = locale == Locale::En;
    let cmp = |op: CompareOp, x: f64| compare_text(op, &number(x), locale);
    let rest = match &c.test {
        ValueTest::Eq { value } => {
            if en {
                format!("= {}", literal(value, locale))
            } else {
                format!("{}인", literal(value, locale))
            }
        }
        ValueTest::Ne { value } => {
            if en {
                format!("≠ {}", literal(value, locale))
            } else {
                format!("{} 아닌", with_particle(&literal(value, locale), SUBJECT))
            }
        }
        ValueTest::In { values } => {
            if en {
                format!("in {}", literals(values, locale))
            } else {
                format!("{} 중 하나인", literals(values, locale))
            }
        }
        ValueTest::NotIn { values } => {
            if en {
                format!("not in {}", literals(values, locale))
            } else {
                format!("{} 어느 것도 아닌", literals(values, locale))
            }
        }
        ValueTest::Gt { value } => cmp(CompareOp::Gt, *value) + if en { "" } else { "인" },
        ValueTest::Gte { value } => cmp(CompareOp::Gte, *value) + if en { "" } else { "인" },
        ValueTest::Lt { value } => cmp(CompareOp::Lt, *value) + if en { "" } else { "인" },
        ValueTest::Lte { value } => cmp(CompareOp::Lte, *value) + if en { "" } else { "인" },
        ValueTest::Contains { value } => {
            if en {
                format!("containing {}", quote(value.clone(), locale))
            } else {
                format!(
                    "{} 포함하는",
                    with_particle(&quote(value.clone(), locale), OBJECT)
                )
            }
        }
        ValueTest::StartsWith { value } => {
            if en {
                format!("starting with {}", quote(value.clone(), locale))
            } else {
                format!(
                    "{} 시작하는",
                    with_particle(&quote(value.clone(), locale), ("으로", "로"))
                )
            }
        }
        ValueTest::Exists => (if en { "present" } else { "있는" }).to_owned(),
        ValueTest::NotExists => (if en { "absent" } else { "없는" }).to_owned(),
    };
    if en {
        format!("{key} {rest}")
    } else {
        format!("{} {rest}", with_particle(key, SUBJECT))
    }
}

/// "at least 3" / "3 이상".
fn compare_text(op: CompareOp, amount: &str, locale: Locale) -> String {
    match locale {
        Locale::En => {
            let word = match op {
                CompareOp::Eq => "exactly",
                CompareOp::Ne => "other than",
                CompareOp::Gt => "more than",
                CompareOp::Gte => "at least",
                CompareOp::Lt => "less than",
                CompareOp::Lte => "at most",
            };
            format!("{word} {amount}")
        }
        Locale::Ko => {
            let word = match op {
                CompareOp::Eq => "",
                CompareOp::Ne => " 외",
                CompareOp::Gt => " 초과",
                CompareOp::Gte => " 이상",
                CompareOp::Lt => " 미만",
                CompareOp::Lte => " 이하",
            };
            format!("{amount}{word}")
        }
    }
}

fn count_text(count: &Comparison, cx: &SentenceContext) -> String {
    if *count == Comparison::at_least_once() {
        return String::new();
    }
    let n = number(count.value);
    match cx.locale {
        Locale::En => {
            let times = if count.value == 1.0 { "time" } else { "times" };
            format!("{} {times}", compare_text(count.op, &n, cx.locale))
        }
        Locale::Ko => compare_text(count.op, &format!("{n}회"), cx.locale),
    }
}

fn days(n: u32, locale: Locale) -> String {
    match locale {
        Locale::En if n == 1 => "1 day".to_owned(),
        Locale::En => format!("{} days", format::integer(i64::from(n))),
        Locale::Ko => format!("{}일", format::integer(i64::from(n))),
    }
}

fn span_text(span: &Span, cx: &SentenceContext) -> String {
    let en = cx.locale == Locale::En;
    let mut parts = Vec::new();
    if span.days > 0 {
        parts.push(days(span.days, cx.locale));
    }
    if span.hours > 0 {
        parts.push(match (en, span.hours) {
            (true, 1) => "1 hour".to_owned(),
            (true, h) => format!("{h} hours"),
            (false, h) => format!("{h}시간"),
        });
    }
    if span.minutes > 0 {
        parts.push(if en {
            format!("{} minutes", span.minutes)
        } else {
            format!("{}분", span.minutes)
        });
    }
    if parts.is_empty() {
        parts.push(days(0, cx.locale));
    }
    parts.join(" ")
}

fn window_text(window: &Window, cx: &SentenceContext) -> String {
    let en = cx.locale == Locale::En;
    match window {
        Window::Ever => String::new(),
        Window::LastDays(n) => {
            if en {
                format!("in the last {}", days(*n, cx.locale))
            } else {
                format!("최근 {} 동안", days(*n, cx.locale))
            }
        }
        Window::AfterSignupDays(n) => {
            if en {
                format!("within {} after signing up", days(*n, cx.locale))
            } else {
                format!("가입 후 {} 안에", days(*n, cx.locale))
            }
        }
        Window::Between { from, to } => {
            if en {
                format!("from {from} until before {to}")
            } else {
                format!("{from}부터 {to} 전까지")
            }
        }
    }
}

fn attribute_clause(attribute: &str, test: &AttributeTest, cx: &SentenceContext) -> String {
    let t = segments_texts(cx.locale);
    let name = if attribute.is_empty() {
        "?".to_owned()
    } else {
        attribute_label(t, attribute)
    };
    let en = cx.locale == Locale::En;
    let consent = attribute.starts_with(ATTR_CONSENT_PREFIX);
    // Consent reads naturally as "gave / did not give" it.
    if consent {
        let given = match test {
            AttributeTest::Eq {
                value: Literal::Bool(b),
            } => Some(*b),
            AttributeTest::Ne {
                value: Literal::Bool(b),
            } => Some(!*b),
            _ => None,
        };
        if let Some(given) = given {
            return match (en, given) {
                (true, true) => format!("gave {}", name.to_lowercase()),
                (true, false) => format!("did not give {}", name.to_lowercase()),
                (false, true) => format!("{} 있는", with_particle(&name, SUBJECT)),
                (false, false) => format!("{} 없는", with_particle(&name, SUBJECT)),
            };
        }
    }
    let q = |s: &str| quote(s.to_owned(), cx.locale);
    let list = |values: &[String]| values.iter().map(|v| q(v)).collect::<Vec<_>>().join(", ");
    let (en_rest, ko_rest): (String, String) = match test {
        AttributeTest::Exists => ("set".into(), "있는".into()),
        AttributeTest::NotExists => ("not set".into(), "없는".into()),
        AttributeTest::Eq { value } => (
            format!("equal to {}", literal(value, cx.locale)),
            format!("{}인", literal(value, cx.locale)),
        ),
        AttributeTest::Ne { value } => (
            format!("other than {}", literal(value, cx.locale)),
            format!(
                "{} 아닌",
                with_particle(&literal(value, cx.locale), SUBJECT)
            ),
        ),
        AttributeTest::In { values } => (
            format!("one of {}", literals(values, cx.locale)),
            format!("{} 중 하나인", literals(values, cx.locale)),
        ),
        AttributeTest::NotIn { values } => (
            format!("none of {}", literals(values, cx.locale)),
            format!("{} 어느 것도 아닌", literals(values, cx.locale)),
        ),
        AttributeTest::Contains { value } => (
            format!("containing {}", q(value)),
            format!("{} 포함하는", with_particle(&q(value), OBJECT)),
        ),
        AttributeTest::StartsWith { value } => (
            format!("starting with {}", q(value)),
            format!("{} 시작하는", with_particle(&q(value), ("으로", "로"))),
        ),
        AttributeTest::Gt { value } => num_pair(CompareOp::Gt, *value),
        AttributeTest::Gte { value } => num_pair(CompareOp::Gte, *value),
        AttributeTest::Lt { value } => num_pair(CompareOp::Lt, *value),
        AttributeTest::Lte { value } => num_pair(CompareOp::Lte, *value),
        AttributeTest::Between { min, max } => (
            format!("between {} and {}", number(*min), number(*max)),
            format!("{}~{}인", number(*min), number(*max)),
        ),
        AttributeTest::ListHas { value } => (
            format!("including {}", q(value)),
            format!("{} 포함하는", with_particle(&q(value), OBJECT)),
        ),
        AttributeTest::ListHasAny { values } => (
            format!("including any of {}", list(values)),
            format!("{} 중 하나라도 포함하는", list(values)),
        ),
        AttributeTest::ListHasNone { values } => (
            format!("including none of {}", list(values)),
            format!("{} 중 어느 것도 포함하지 않는", list(values)),
        ),
        AttributeTest::Before { date } => (format!("before {date}"), format!("{date} 이전인")),
        AttributeTest::After { date } => (format!("on or after {date}"), format!("{date} 이후인")),
        AttributeTest::InLastDays { days: n } => (
            format!("in the last {}", days(*n, Locale::En)),
            format!("최근 {} 이내인", days(*n, Locale::Ko)),
        ),
        AttributeTest::InNextDays { days: n } => (
            format!("in the next {}", days(*n, Locale::En)),
            format!("앞으로 {} 이내인", days(*n, Locale::Ko)),
        ),
        AttributeTest::MoreThanDaysAgo { days: n } => (
            format!("more than {} ago", days(*n, Locale::En)),
            format!("{}보다 이전인", days(*n, Locale::Ko)),
        ),
        AttributeTest::AnniversaryInNextDays { days: n } => (
            format!("with its anniversary in the next {}", days(*n, Locale::En)),
            format!("기념일이 앞으로 {} 이내인", days(*n, Locale::Ko)),
        ),
    };
    if en {
        format!("have {name} {en_rest}")
    } else if matches!(test, AttributeTest::AnniversaryInNextDays { .. }) {
        format!("{name}의 {ko_rest}")
    } else {
        format!("{} {ko_rest}", with_particle(&name, SUBJECT))
    }
}

fn num_pair(op: CompareOp, x: f64) -> (String, String) {
    (
        compare_text(op, &number(x), Locale::En),
        format!("{}인", compare_text(op, &number(x), Locale::Ko)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::segment_templates::template;

    fn say(rule: &Rule, locale: Locale) -> String {
        let names = |id: &str| format!("seg:{id}");
        rule_sentence(
            rule,
            &SentenceContext {
                locale,
                currency: "KRW",
                segment_name: &names,
            },
        )
    }

    #[test]
    fn particles_follow_the_final_consonant() {
        assert_eq!(with_particle("방문", SUBJECT), "방문이");
        assert_eq!(with_particle("구매", SUBJECT), "구매가");
        assert_eq!(with_particle("‘구매’", OBJECT), "‘구매’를");
        assert_eq!(with_particle("‘가입’", OBJECT), "‘가입’을");
        assert_eq!(with_particle("서울", ("으로", "로")), "서울로");
        assert_eq!(with_particle("부산항", ("으로", "로")), "부산항으로");
        assert_eq!(with_particle("tier", SUBJECT), "tier이");
        assert_eq!(with_particle("plan", SUBJECT), "plan이");
        assert_eq!(with_particle("city", SUBJECT), "city가");
        assert_eq!(with_particle("6", OBJECT), "6을");
        assert_eq!(with_particle("2", OBJECT), "2를");
        assert_eq!(
            with_particle("이메일 수신 동의", SUBJECT),
            "이메일 수신 동의가"
        );
    }

    #[test]
    fn templates_read_as_sentences_in_both_languages() {
        let win_back = template("win_back").expect("template").rule;
        assert_eq!(
            say(&win_back, Locale::En),
            "Customers who did not do “Visit” in the last 14 days"
        );
        assert_eq!(
            say(&win_back, Locale::Ko),
            "최근 14일 동안 ‘방문’이 없는 고객"
        );
        let vip = template("vip_revenue").expect("template").rule;
        assert_eq!(
            say(&vip, Locale::En),
            "Customers who have a total value of “Purchase” in the last 365 days of at least ₩1,000,000"
        );
        assert!(say(&vip, Locale::Ko).starts_with("최근 365일 동안 ‘구매’ 값 합계가"));
        let recovery = template("service_recovery").expect("template").rule;
        assert_eq!(
            say(&recovery, Locale::En),
            "Customers who did “NPS response” with score at most 6 in the last 180 days or have satisfaction at most 2"
        );
        assert_eq!(
            say(&recovery, Locale::Ko),
            "최근 180일 동안 score가 6 이하인 ‘NPS 응답’을 한 또는 satisfaction이 2 이하인 고객"
        );
    }

    #[test]
    fn the_done_when_segment_reads_naturally() {
        let rule: Rule = serde_json::from_str(
            r#"{"rule":"all","rules":[
                {"rule":"attribute","attribute":"$created_at","op":"in_last_days","days":60},
                {"rule":"not_followed_by","first":{"event":"signup"},"then":{"event":"purchase"},"within":{"days":7}},
                {"rule":"attribute","attribute":"$consent.email","op":"eq","value":true},
                {"rule":"any","rules":[{"rule":"segment","id":"vip"},{"rule":"performed","event":{"event":"visit"},"count":{"op":"gte","value":3}}]}
            ]}"#,
        )
        .expect("rule");
        assert_eq!(
            say(&rule, Locale::En),
            "Customers who have Signup date in the last 60 days and did “Sign-up” and no “Purchase” within 7 days after it and gave email consent and (are in the segment “seg:vip” or did “Visit” at least 3 times)"
        );
        assert_eq!(
            say(&rule, Locale::Ko),
            "가입일이 최근 60일 이내인, ‘가입’ 후 7일 안에 ‘구매’가 없는, 이메일 수신 동의가 있는, (‘seg:vip’ 세그먼트에 속한 또는 ‘방문’을 3회 이상 한) 고객"
        );
        assert_eq!(say(&Rule::all(vec![]), Locale::En), "All customers");
    }
}
