//! Korean personal and company names, e-mail addresses and phone numbers.
//!
//! Surname weights follow the share of the population carrying them (per mille, rounded), so that
//! 김, 이 and 박 dominate as they do in any Korean customer list.

use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::seq::IndexedRandom;
use rand::{Rng, RngExt};

/// (surname, romanisation used in e-mail addresses, weight in per mille of the population).
const SURNAMES: &[(&str, &str, u32)] = &[
    ("김", "kim", 215),
    ("이", "lee", 147),
    ("박", "park", 84),
    ("최", "choi", 47),
    ("정", "jung", 43),
    ("강", "kang", 24),
    ("조", "cho", 21),
    ("윤", "yoon", 21),
    ("장", "jang", 20),
    ("임", "lim", 17),
    ("한", "han", 15),
    ("오", "oh", 15),
    ("서", "seo", 15),
    ("신", "shin", 15),
    ("권", "kwon", 14),
    ("황", "hwang", 14),
    ("안", "ahn", 14),
    ("송", "song", 13),
    ("전", "jeon", 11),
    ("홍", "hong", 11),
    ("유", "yoo", 11),
    ("고", "ko", 9),
    ("문", "moon", 9),
    ("양", "yang", 9),
    ("손", "son", 9),
    ("배", "bae", 8),
    ("백", "baek", 8),
    ("허", "heo", 7),
    ("남", "nam", 6),
    ("심", "shim", 6),
    ("노", "noh", 6),
    ("하", "ha", 5),
    ("곽", "kwak", 4),
    ("성", "sung", 4),
    ("차", "cha", 4),
    ("주", "joo", 4),
    ("우", "woo", 4),
    ("구", "koo", 4),
    ("민", "min", 3),
    ("류", "ryu", 3),
    ("나", "na", 3),
    ("진", "jin", 3),
    ("지", "ji", 3),
    ("엄", "eom", 3),
    ("채", "chae", 3),
    ("원", "won", 3),
    ("천", "cheon", 2),
    ("방", "bang", 2),
    ("공", "kong", 2),
    ("현", "hyun", 2),
];

/// Two-syllable given names popular among people now aged roughly 20 to 55.
const MALE_NAMES: &[(&str, &str)] = &[
    ("민준", "minjun"),
    ("서준", "seojun"),
    ("도윤", "doyun"),
    ("예준", "yejun"),
    ("시우", "siwoo"),
    ("하준", "hajun"),
    ("주원", "juwon"),
    ("지호", "jiho"),
    ("지후", "jihoo"),
    ("준우", "junwoo"),
    ("준서", "junseo"),
    ("건우", "gunwoo"),
    ("현우", "hyunwoo"),
    ("우진", "woojin"),
    ("선우", "sunwoo"),
    ("민재", "minjae"),
    ("현준", "hyunjun"),
    ("연우", "yeonwoo"),
    ("정우", "jungwoo"),
    ("승우", "seungwoo"),
    ("승현", "seunghyun"),
    ("준혁", "junhyuk"),
    ("지환", "jihwan"),
    ("승민", "seungmin"),
    ("지훈", "jihoon"),
    ("성민", "sungmin"),
    ("동현", "donghyun"),
    ("상훈", "sanghoon"),
    ("재훈", "jaehoon"),
    ("영수", "youngsoo"),
    ("성호", "sungho"),
    ("정훈", "junghoon"),
    ("민수", "minsoo"),
    ("진우", "jinwoo"),
    ("태현", "taehyun"),
    ("재원", "jaewon"),
    ("병철", "byungchul"),
    ("동훈", "donghoon"),
    ("준영", "junyoung"),
    ("영민", "youngmin"),
];

const FEMALE_NAMES: &[(&str, &str)] = &[
    ("서연", "seoyeon"),
    ("서윤", "seoyoon"),
    ("지우", "jiwoo"),
    ("서현", "seohyun"),
    ("민서", "minseo"),
    ("하은", "haeun"),
    ("하윤", "hayoon"),
    ("윤서", "yoonseo"),
    ("지민", "jimin"),
    ("채원", "chaewon"),
    ("수아", "sua"),
    ("지윤", "jiyoon"),
    ("은서", "eunseo"),
    ("다은", "daeun"),
    ("예은", "yeeun"),
    ("수빈", "subin"),
    ("예린", "yerin"),
    ("지원", "jiwon"),
    ("유진", "yujin"),
    ("수진", "sujin"),
    ("민지", "minji"),
    ("지현", "jihyun"),
    ("은지", "eunji"),
    ("혜진", "hyejin"),
    ("지은", "jieun"),
    ("미영", "miyoung"),
    ("은영", "eunyoung"),
    ("현정", "hyunjung"),
    ("수연", "suyeon"),
    ("소연", "soyeon"),
    ("유나", "yuna"),
    ("가은", "gaeun"),
    ("예진", "yejin"),
    ("정은", "jungeun"),
    ("민경", "minkyung"),
    ("혜원", "hyewon"),
    ("나연", "nayeon"),
    ("선영", "sunyoung"),
    ("미정", "mijung"),
    ("보람", "boram"),
];

/// Parts of company names in the style of small and mid-sized Korean firms.
const COMPANY_HEADS: &[&str] = &[
    "한빛",
    "누리",
    "미래",
    "새솔",
    "다온",
    "하늘",
    "푸른",
    "가람",
    "바른",
    "온누리",
    "새봄",
    "대한",
    "동방",
    "한결",
    "아름",
    "드림",
    "제일",
    "그린",
    "세움",
    "나래",
    "한울",
    "다솜",
    "빛나래",
    "우리",
    "태평양",
];
const COMPANY_TAILS: &[&str] = &[
    "상사",
    "테크",
    "물산",
    "유통",
    "푸드",
    "컴퍼니",
    "산업",
    "솔루션",
    "디자인",
    "네트웍스",
    "리테일",
    "코리아",
    "시스템",
    "오피스",
    "건설",
    "제약",
    "바이오",
    "모빌리티",
];

/// Only reserved example domains, so that no real mailbox can ever be written to.
const DOMAINS: &[(&str, u32)] = &[
    ("example.com", 50),
    ("example.co.kr", 32),
    ("example.net", 18),
];

/// A generated person.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    /// Given name and surname romanised, used to build the e-mail address.
    given_roman: &'static str,
    surname_roman: &'static str,
}

/// Draws people, companies and contact details.
#[derive(Debug)]
pub struct NameBook {
    surnames: WeightedIndex<u32>,
    domains: WeightedIndex<u32>,
}

impl Default for NameBook {
    fn default() -> Self {
        Self::new()
    }
}

impl NameBook {
    pub fn new() -> Self {
        Self {
            surnames: WeightedIndex::new(SURNAMES.iter().map(|s| s.2))
                .expect("surname weights are positive"),
            domains: WeightedIndex::new(DOMAINS.iter().map(|d| d.1))
                .expect("domain weights are positive"),
        }
    }

    pub fn person<R: Rng + ?Sized>(&self, rng: &mut R, female: bool) -> Person {
        let (surname, surname_roman, _) = SURNAMES[self.surnames.sample(rng)];
        let pool = if female { FEMALE_NAMES } else { MALE_NAMES };
        let (given, given_roman) = *pool.choose(rng).expect("name pools are not empty");
        Person {
            name: format!("{surname}{given}"),
            given_roman,
            surname_roman,
        }
    }

    /// An address such as `minjun.kim42@example.com`; the caller makes it unique.
    pub fn email<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        person: &Person,
        birth_year: i32,
        work: bool,
    ) -> String {
        let (g, s) = (person.given_roman, person.surname_roman);
        let local = match rng.random_range(0..5u8) {
            0 => format!("{g}.{s}"),
            1 => format!("{g}.{s}{}", rng.random_range(1..100u32)),
            2 => format!("{s}{g}{:02}", birth_year.rem_euclid(100)),
            3 => format!("{g}_{s}"),
            _ => format!("{}{s}{}", &g[..1], rng.random_range(10..1000u32)),
        };
        let domain = if work {
            "example.co.kr"
        } else {
            DOMAINS[self.domains.sample(rng)].0
        };
        format!("{local}@{domain}")
    }

    /// A company name such as `㈜한빛상사`; the caller makes it unique.
    pub fn company<R: Rng + ?Sized>(&self, rng: &mut R) -> String {
        let head = COMPANY_HEADS.choose(rng).expect("not empty");
        let tail = COMPANY_TAILS.choose(rng).expect("not empty");
        if rng.random_bool(0.8) {
            format!("㈜{head}{tail}")
        } else {
            format!("주식회사 {head}{tail}")
        }
    }
}

/// A Korean mobile number, `010-XXXX-XXXX`.
pub fn phone<R: Rng + ?Sized>(rng: &mut R) -> String {
    format!(
        "010-{}-{:04}",
        rng.random_range(2000..10000u32),
        rng.random_range(0..10000u32)
    )
}

/// Makes `candidate` unique among `taken` by appending a number before the `@` (or at the end).
pub fn make_unique(taken: &mut std::collections::HashSet<String>, candidate: String) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    let (head, tail) = match candidate.find('@') {
        Some(at) => candidate.split_at(at),
        None => (candidate.as_str(), ""),
    };
    (2..)
        .map(|n| format!("{head}{n}{tail}"))
        .find(|c| taken.insert(c.clone()))
        .expect("an unused suffix exists")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn names_are_hangul_and_emails_use_example_domains() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let book = NameBook::new();
        for i in 0..200 {
            let p = book.person(&mut rng, i % 2 == 0);
            assert_eq!(p.name.chars().count(), 3, "{}", p.name);
            assert!(
                p.name.chars().all(|c| ('가'..='힣').contains(&c)),
                "{}",
                p.name
            );
            let email = book.email(&mut rng, &p, 1990, false);
            assert!(
                email.ends_with("@example.com")
                    || email.ends_with("@example.co.kr")
                    || email.ends_with("@example.net")
            );
        }
    }

    #[test]
    fn unique_appends_a_number_before_the_domain() {
        let mut taken = std::collections::HashSet::new();
        assert_eq!(
            make_unique(&mut taken, "a@example.com".into()),
            "a@example.com"
        );
        assert_eq!(
            make_unique(&mut taken, "a@example.com".into()),
            "a2@example.com"
        );
        assert_eq!(make_unique(&mut taken, "㈜한빛상사".into()), "㈜한빛상사");
        assert_eq!(make_unique(&mut taken, "㈜한빛상사".into()), "㈜한빛상사2");
    }
}
