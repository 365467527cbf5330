//! Shopping behaviour: sessions (visit → views → sometimes cart → sometimes purchase), coupons,
//! refunds, support tickets and NPS answers, with the feedback that makes unhappy customers leave.

use rand::seq::IndexedRandom;
use rand::RngExt;

use super::calendar::{day_start, is_quiet, local_day, month_of, DAY, HOUR, MINUTE};
use super::campaigns::Campaign;
use super::catalog::{Coupon, FOOD};
use super::event::{Channel, Kind, Props, Source, Topic};
use super::life::Life;
use super::population::Persona;

/// Share of cart adds that end in a purchase in normal times.
const CHECKOUT: f64 = 0.62;
/// In the last weeks before the snapshot, shoppers fill carts ahead of the November sale but buy less.
const LATE_CHECKOUT: f64 = 0.40;
const LATE_CART_LIFT: f64 = 1.25;
/// How far back from the snapshot "the last weeks" reach.
pub const LATE_WINDOW: i64 = 30 * DAY;

/// Share of sessions that leave after the landing page.
const BOUNCE: f64 = 0.32;
const REFUND_RATE: f64 = 0.03;
const DELIVERY_TICKET_RATE: f64 = 0.025;
const NPS_RESPONSE_RATE: f64 = 0.3;

impl Life<'_> {
    /// The visit in which the customer signs up; the welcome message follows.
    pub fn signup_session(&mut self) {
        let t = self.p.created;
        if self.p.persona == Persona::DiscountHunter {
            self.coupon_until = Some((Coupon::Flash50, t + 14 * DAY));
        }
        let boost = if self.p.persona == Persona::DiscountHunter {
            1.6
        } else {
            1.0
        };
        self.session(t, self.p.channel.source(), None, boost);
        self.welcome(t);
    }

    /// Probability that a session ends in a purchase, before campaign boosts.
    fn purchase_propensity(&self) -> f64 {
        match self.p.persona {
            Persona::OneOff => {
                if self.purchases == 0 {
                    0.32
                } else {
                    0.04
                }
            }
            Persona::Casual => 0.14,
            Persona::Regular => 0.2,
            Persona::Loyal => 0.24,
            Persona::Vip => 0.32,
            // They came for the coupon: one order with it, then hardly ever again.
            Persona::DiscountHunter => {
                if self.purchases == 0 {
                    0.5
                } else {
                    0.01
                }
            }
            Persona::Business => 0.02,
        }
    }

    /// One session starting at `t`. `coupon` is what a clicked message offered; `boost` its pull.
    pub fn session(&mut self, t: i64, source: Source, coupon: Option<Coupon>, boost: f64) {
        if !self.emit(t, Kind::Visit, None, Props::Visit(source)) {
            return;
        }
        self.last_visit = self.last_visit.max(t);
        // About a third of sessions bounce without looking at a product (message clicks rarely do).
        if self
            .rng
            .random_bool(if matches!(source, Source::Message(_)) {
                0.1
            } else {
                BOUNCE
            })
        {
            return;
        }
        let mut now = t;
        let mut views = 1;
        while views < 6 && self.rng.random_bool(0.36) {
            views += 1;
        }
        let mut product = 0;
        for _ in 0..views {
            now += self.rng.random_range(15..150);
            product = self.w.catalog.pick(&mut self.rng, self.p.favourite);
            let category = self.w.catalog.category_of(product);
            self.emit(
                now,
                Kind::ProductView,
                None,
                Props::Product { product, category },
            );
        }
        let late = now >= self.w.as_of - LATE_WINDOW;
        let p_buy = (self.purchase_propensity() * boost).min(0.85);
        let (checkout, lift) = if late {
            (LATE_CHECKOUT, LATE_CART_LIFT)
        } else {
            (CHECKOUT, 1.0)
        };
        if !self.rng.random_bool((p_buy / CHECKOUT * lift).min(0.95)) {
            return;
        }
        now += self.rng.random_range(20..120);
        let category = self.w.catalog.category_of(product);
        self.emit(
            now,
            Kind::CartAdd,
            None,
            Props::Product { product, category },
        );
        if self.rng.random_bool(checkout) {
            now += self.rng.random_range(MINUTE..15 * MINUTE);
            self.purchase(now, product, coupon);
        } else {
            self.cart_abandoned(now);
        }
    }

    /// The coupon used on an order at `t`, if any.
    fn pick_coupon(&mut self, t: i64, offered: Option<Coupon>) -> Option<Coupon> {
        if let Some(c) = offered {
            return Some(c);
        }
        if let Some((c, until)) = self.coupon_until {
            if t <= until {
                self.coupon_until = None;
                if self.rng.random_bool(0.9) {
                    return Some(c);
                }
            }
        }
        // November is the month of the big sales (Korea Sale Festa, Black Friday).
        let in_sale = month_of(t) == 11;
        if self.purchases == 0 && !self.p.legacy && self.rng.random_bool(0.2) {
            Some(Coupon::Welcome10)
        } else if in_sale && self.rng.random_bool(0.25) {
            Some(Coupon::Sale10)
        } else {
            None
        }
    }

    /// An order at `t` for `product` (and whatever else the basket holds).
    pub fn purchase(&mut self, t: i64, product: u16, offered: Option<Coupon>) {
        let coupon = self.pick_coupon(t, offered);
        let category = self.w.catalog.category_of(product);
        let value =
            self.w
                .catalog
                .order_amount(&mut self.rng, product, self.p.persona.basket(), coupon);
        self.record_purchase(t, category, value, coupon);
    }

    /// Records an order and what may follow it: delivery trouble, a refund, an NPS survey answer.
    pub fn record_purchase(&mut self, t: i64, category: u8, value: i64, coupon: Option<Coupon>) {
        let order = self.purchases;
        if !self.emit(
            t,
            Kind::Purchase,
            Some(value),
            Props::Purchase {
                order,
                category,
                coupon,
            },
        ) {
            return;
        }
        self.purchases += 1;
        if coupon.is_some() {
            self.coupon_purchases += 1;
        }
        let month = month_of(t);
        if category == FOOD && matches!(month, 1 | 2 | 9) {
            self.gift_buyer = true;
        }
        if self.p.persona == Persona::DiscountHunter && self.purchases == 1 {
            let gone = t + self.draw_days(10.0);
            self.active_until = self.active_until.min(gone);
        }
        if self.rng.random_bool(DELIVERY_TICKET_RATE) {
            let day = local_day(t) + self.rng.random_range(2..5);
            let at = self.w.clock.shopper_time(&mut self.rng, day);
            self.ticket(at, Topic::Delivery);
        }
        if self.rng.random_bool(REFUND_RATE) {
            self.refund(t, order, value);
        }
        // Surveys go out after the 1st, 3rd and every 10th order; about a third answer.
        let surveyed = matches!(self.purchases, 1 | 3) || self.purchases.is_multiple_of(10);
        if surveyed && self.rng.random_bool(NPS_RESPONSE_RATE) {
            let day = local_day(t) + 7;
            let at = self.w.clock.shopper_time(&mut self.rng, day);
            self.nps(at);
        }
    }

    /// A full or partial refund a few days after the order, usually after a ticket.
    fn refund(&mut self, ordered: i64, order: u32, value: i64) {
        let asked_day = local_day(ordered) + self.rng.random_range(1..6);
        if self.rng.random_bool(0.7) {
            let asked = self.w.clock.shopper_time(&mut self.rng, asked_day);
            let topic = match self.rng.random_range(0..3u8) {
                0 => Topic::Refund,
                1 => Topic::Exchange,
                _ => Topic::Product,
            };
            self.ticket(asked, topic);
        }
        // The shop processes refunds in office hours, a few days after the request.
        let day = asked_day + self.rng.random_range(1..5);
        let at = self.w.clock.office_time(&mut self.rng, day);
        let amount = if self.rng.random_bool(0.6) {
            value
        } else {
            (value * self.rng.random_range(30..=70) / 100 / 100 * 100).max(100)
        };
        if self.emit(at, Kind::Refund, Some(-amount), Props::Refund { order }) {
            self.trouble_at = self.trouble_at.max(at);
        }
    }

    /// A support ticket; half the time the customer rates the help (the `satisfaction` attribute).
    pub fn ticket(&mut self, at: i64, topic: Topic) {
        if !self.emit(at, Kind::SupportTicket, None, Props::Ticket(topic)) {
            return;
        }
        self.trouble_at = self.trouble_at.max(at);
        if self.rng.random_bool(0.5) {
            // (rating, weight): trouble with an order is rated lower than a question answered.
            let weights: [(u8, u32); 5] = match topic {
                Topic::Refund | Topic::Delivery | Topic::Exchange | Topic::Product => {
                    [(1, 15), (2, 20), (3, 25), (4, 25), (5, 15)]
                }
                _ => [(1, 5), (2, 10), (3, 20), (4, 35), (5, 30)],
            };
            let score = weights
                .choose_weighted(&mut self.rng, |w| w.1)
                .expect("weights are positive")
                .0;
            self.satisfaction = Some(score);
        }
    }

    /// An NPS answer. Recent trouble makes detractors; detractors tend to leave soon after.
    pub fn nps(&mut self, at: i64) {
        let troubled = at - self.trouble_at < 45 * DAY;
        let healthy_account = self.p.b2b.as_ref().map(|b| b.healthy);
        // (promoters, passives) in percent; the rest are detractors.
        let (promoters, passives) = match (troubled, healthy_account, self.p.persona) {
            (_, Some(false), _) => (10, 30),
            (true, _, _) => (15, 25),
            (_, Some(true), _) => (55, 35),
            (_, _, Persona::Loyal | Persona::Vip) => (65, 25),
            _ => (45, 32),
        };
        let roll = self.rng.random_range(0..100);
        let score: u8 = if roll < promoters {
            self.rng.random_range(9..=10)
        } else if roll < promoters + passives {
            self.rng.random_range(7..=8)
        } else {
            // Detractors mostly answer 5 or 6, a few go all the way down.
            [6, 6, 6, 5, 5, 4, 3, 2, 1, 0][self.rng.random_range(0..10)]
        };
        if !self.emit(at, Kind::NpsResponse, None, Props::Nps(score)) {
            return;
        }
        self.last_nps = Some((at, score));
        if score <= 6 && self.rng.random_bool(0.65) {
            let gone = at + self.rng.random_range(5 * DAY..40 * DAY);
            self.active_until = self.active_until.min(gone);
        } else if score >= 9 && self.rng.random_bool(0.35) {
            self.active_until += self.draw_days(90.0);
        }
    }

    /// A cart left behind: a reminder an hour later, respecting quiet hours (mostly).
    fn cart_abandoned(&mut self, at: i64) {
        // The journey caps reminders at one a week and skips carts under review by the shop.
        if self.p.b2b.is_some() || at - self.last_cart_remind < 7 * DAY || self.rng.random_bool(0.3)
        {
            return;
        }
        let Some(channel) = self.preferred(&[Channel::Kakao, Channel::Sms, Channel::Push]) else {
            return;
        };
        self.last_cart_remind = at;
        let mut send = at + HOUR + self.rng.random_range(0..20 * MINUTE);
        // A misconfigured push journey ignores quiet hours now and then: something to discover.
        let ignores_quiet_hours = channel == Channel::Push && self.rng.random_bool(0.2);
        if is_quiet(send) && !ignores_quiet_hours {
            send = self.next_daytime(send);
        }
        self.send(send, channel, Campaign::CartRemind);
    }

    /// The first instant at or after `t` outside quiet hours (08:00–21:00), with a little jitter.
    pub fn next_daytime(&mut self, t: i64) -> i64 {
        if !is_quiet(t) {
            return t;
        }
        let mut day = local_day(t);
        if t >= day_start(day) + 21 * HOUR {
            day += 1;
        }
        day_start(day) + 8 * HOUR + self.rng.random_range(0..45 * MINUTE)
    }
}

impl Persona {
    /// Basket size relative to one item, in percent: big spenders buy more per order.
    pub fn basket(self) -> u32 {
        match self {
            Persona::Vip => 360,
            Persona::Loyal => 130,
            Persona::Regular => 110,
            _ => 100,
        }
    }
}
