//! One customer's life, simulated day by day: when they come, what they do, when they drift away.
//!
//! Every customer is simulated on their own ChaCha8 stream, so a customer's story does not change
//! when another customer's does (only e-mail and company names are made unique across customers).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp};

use super::calendar::{self, day_start, local_day, weekday, DAY, HOUR};
use super::event::{DemoEvent, Kind, Props, Source};
use super::population::{Persona, Profile};
use super::World;

/// No visit for this long makes a customer dormant: campaigns target them differently.
pub const DORMANT_AFTER: i64 = 60 * DAY;
/// Activity fades out over this long before a customer's active phase ends.
const FADE: i64 = 30 * DAY;
/// Dormant customers still drop by now and then, at this fraction of their former rate.
const DORMANT_RATE: f64 = 0.02;

/// Mean active phase of a B2B account at risk.
const AT_RISK_ACCOUNT_DAYS: f64 = 240.0;

/// The evolving state of one simulated customer.
#[derive(Debug)]
pub struct Life<'w> {
    pub w: &'w World,
    pub rng: ChaCha8Rng,
    pub index: u32,
    pub p: Profile,
    pub events: Vec<DemoEvent>,
    /// End of the active phase; afterwards the customer is (mostly) gone.
    pub active_until: i64,
    pub last_visit: i64,
    pub purchases: u32,
    pub coupon_purchases: u32,
    pub gift_buyer: bool,
    /// Last refund or support ticket: recent trouble sours NPS answers.
    pub trouble_at: i64,
    pub satisfaction: Option<u8>,
    /// Time and score of the last NPS answer.
    pub last_nps: Option<(i64, u8)>,
    pub last_cart_remind: i64,
    /// `last_visit` at the time the last win-back message went out (one per lapse).
    pub winback_for: i64,
    pub may_clicked: bool,
    /// Coupon a clicked message handed out, usable until the given instant.
    pub coupon_until: Option<(super::catalog::Coupon, i64)>,
    pub contract: Option<super::b2b::Contract>,
}

impl<'w> Life<'w> {
    /// Starts a life; `rng` is the customer's own stream, already used to draw the profile.
    pub fn new(w: &'w World, index: u32, rng: ChaCha8Rng, p: Profile) -> Self {
        let created = p.created;
        let mut life = Self {
            w,
            rng,
            index,
            events: Vec::new(),
            // Both set below, once the stream has drawn the lifespan.
            active_until: created,
            last_visit: created,
            purchases: 0,
            coupon_purchases: 0,
            gift_buyer: false,
            trouble_at: i64::MIN / 2,
            satisfaction: None,
            last_nps: None,
            last_cart_remind: i64::MIN / 2,
            winback_for: i64::MIN,
            may_clicked: false,
            coupon_until: None,
            contract: None,
            p,
        };
        let from = created.max(w.start);
        // Accounts at risk drift away within months; everyone else lives by their persona.
        let at_risk = life.p.b2b.as_ref().is_some_and(|b| !b.healthy);
        let mean = if at_risk {
            AT_RISK_ACCOUNT_DAYS
        } else {
            life.p.persona.lifespan_days()
        };
        let lifespan = life.draw_days(mean);
        life.active_until = from + lifespan;
        // Long-standing customers were last seen some time before tracking began.
        if life.p.legacy {
            life.last_visit = w.start - life.rng.random_range(0..40 * DAY);
        }
        life
    }

    /// A stream of its own for every customer: seed, then stream `index + 1` (0 is the population's).
    pub fn stream(seed: u64, index: u32) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(u64::from(index) + 1);
        rng
    }

    /// An exponentially distributed duration with the given mean, in seconds.
    pub fn draw_days(&mut self, mean_days: f64) -> i64 {
        let exp = Exp::new(1.0 / mean_days).expect("mean is positive");
        (exp.sample(&mut self.rng) * DAY as f64) as i64
    }

    /// Records an event if it happened within the customer's lifetime and before the snapshot.
    pub fn emit(&mut self, at: i64, kind: Kind, value: Option<i64>, props: Props) -> bool {
        if at < self.p.created || at >= self.w.as_of {
            return false;
        }
        self.events.push(DemoEvent {
            at,
            customer: self.index,
            kind,
            value,
            props,
        });
        true
    }

    pub fn is_dormant(&self, t: i64) -> bool {
        t - self.last_visit > DORMANT_AFTER
    }

    /// Expected sessions on local `day`, from persona, season, weekday and where they are in their life.
    fn rate(&self, day: i64) -> f64 {
        let t = day_start(day) + 12 * HOUR;
        let mut rate = self.p.persona.rate()
            * self.w.activity
            * season(calendar::month_key(day))
            * calendar::WEEKDAY_FACTOR[weekday(day)];
        let age = t - self.p.created;
        if !self.p.legacy && age < 7 * DAY {
            rate *= 2.0;
        } else if !self.p.legacy && age < 30 * DAY {
            rate *= 1.3;
        }
        if t >= self.active_until {
            rate *= DORMANT_RATE;
        } else if t > self.active_until - FADE {
            rate *= 0.2 + 0.8 * (self.active_until - t) as f64 / FADE as f64;
        }
        if let Some(c) = &self.contract {
            rate *= c.activity(t);
        }
        rate
    }

    /// Runs the whole life from signup (or the start of tracking) to the snapshot.
    pub fn run(&mut self) {
        let created = self.p.created;
        self.emit(created, Kind::Signup, None, Props::None);
        if self.p.b2b.is_some() {
            self.open_contract();
        }
        if !self.p.legacy {
            self.signup_session();
        }
        let first = local_day(created.max(self.w.start));
        let last = local_day(self.w.as_of - 1);
        let mut next_broadcast = self
            .w
            .broadcasts
            .partition_point(|b| b.at < created.max(self.w.start));
        for day in first..=last {
            while let Some(b) = self.w.broadcasts.get(next_broadcast) {
                if local_day(b.at) > day {
                    break;
                }
                next_broadcast += 1;
                self.broadcast(*b);
            }
            self.daily_triggers(day);
            if self.contract.is_some() {
                self.contract_day(day);
            }
            let rate = self.rate(day);
            if self.rng.random_bool(rate.min(0.9)) {
                let t = self.session_time(day);
                let source = self.organic_source();
                self.session(t, source, None, 1.0);
                if self.rng.random_bool((rate * 0.4).min(0.5)) {
                    let later = t + self.rng.random_range(2 * HOUR..8 * HOUR);
                    self.session(later, Source::Direct, None, 1.0);
                }
            }
        }
    }

    fn session_time(&mut self, day: i64) -> i64 {
        if self.p.b2b.is_some() {
            self.w.clock.office_time(&mut self.rng, day)
        } else {
            self.w.clock.shopper_time(&mut self.rng, day)
        }
    }

    fn organic_source(&mut self) -> Source {
        match self.rng.random_range(0..100u8) {
            0..=39 => Source::Direct,
            40..=69 => Source::Naver,
            70..=77 => Source::Google,
            78..=87 => Source::Instagram,
            88..=94 => Source::Kakao,
            _ => Source::Referral,
        }
    }
}

impl Persona {
    /// Sessions per day while active.
    pub fn rate(self) -> f64 {
        match self {
            Persona::OneOff => 0.035,
            Persona::Casual => 0.028,
            Persona::Regular => 0.055,
            Persona::Loyal => 0.1,
            Persona::Vip => 0.2,
            Persona::DiscountHunter => 0.05,
            Persona::Business => 0.04,
        }
    }

    /// Mean length of the active phase.
    pub fn lifespan_days(self) -> f64 {
        match self {
            Persona::OneOff => 21.0,
            Persona::Casual => 120.0,
            Persona::Regular => 300.0,
            Persona::Loyal => 700.0,
            Persona::Vip => 1000.0,
            Persona::DiscountHunter => 20.0,
            Persona::Business => 2000.0,
        }
    }
}

/// Relative shop traffic by month: the autumn holidays and November sales are busy, June and August quiet.
pub fn season(month_key: i32) -> f64 {
    match month_key.rem_euclid(12) + 1 {
        10 => 1.05,
        11 => 1.3,
        12 => 1.2,
        1 | 4 => 0.95,
        5 => 1.1,
        6 | 8 => 0.9,
        _ => 1.0,
    }
}
