//! The B2B arm: companies subscribe to the shop's employee-benefits mall for a number of seats.
//! Contracts start, renew or end; account health drives activity, NPS and the renewal decision,
//! so contracts ending soon come with mixed risk signals (some accounts quiet, some unhappy).

use chrono::{Datelike, Months};
use rand::RngExt;

use super::calendar::{self, date_of, day_start, local_day, DAY, HOUR, MINUTE};
use super::catalog::FOOD;
use super::event::{Kind, Plan, Props, Source, Topic};
use super::life::Life;

/// The current (or last) contract term of an account.
#[derive(Debug, Clone)]
pub struct Contract {
    pub plan: Plan,
    pub seats: u32,
    pub months: u32,
    pub term_start: i64,
    pub term_end: i64,
    pub ended: bool,
}

impl Contract {
    /// Activity multiplier: an account whose contract ended hardly comes back.
    pub fn activity(&self, t: i64) -> f64 {
        if self.ended && t >= self.term_end {
            0.05
        } else {
            1.0
        }
    }
}

/// Contract value in KRW: a yearly fee per seat, pro rata for the term, rounded to 10,000.
pub fn contract_amount(plan: Plan, seats: u32, months: u32) -> i64 {
    let per_seat_year: i64 = match plan {
        Plan::Basic => 60_000,
        Plan::Pro => 96_000,
        Plan::Enterprise => 144_000,
    };
    let amount = per_seat_year * i64::from(seats) * i64::from(months) / 12;
    (amount + 5_000) / 10_000 * 10_000
}

/// `t` moved by whole calendar months (same local time of day).
pub fn add_months(t: i64, months: u32) -> i64 {
    let day = local_day(t);
    let date = date_of(day)
        .checked_add_months(Months::new(months))
        .expect("dates stay in range");
    day_start(calendar::day_of(date)) + (t - day_start(day))
}

impl Life<'_> {
    /// Signs the first contract, shortly after the account was created.
    pub fn open_contract(&mut self) {
        let Some(account) = self.p.b2b.as_ref() else {
            return;
        };
        let (plan, seats, months, start) = (
            account.plan,
            account.seats,
            account.months,
            account.first_start,
        );
        self.emit(
            start,
            Kind::ContractStart,
            Some(contract_amount(plan, seats, months)),
            Props::Contract(plan),
        );
        self.contract = Some(Contract {
            plan,
            seats,
            months,
            term_start: start,
            term_end: add_months(start, months),
            ended: false,
        });
    }

    /// What an account does on a given day beyond ordinary visits.
    pub fn contract_day(&mut self, day: i64) {
        let Some(contract) = self.contract.clone() else {
            return;
        };
        let healthy = self.p.b2b.as_ref().is_some_and(|b| b.healthy);
        if contract.ended {
            return;
        }
        if local_day(contract.term_end) == day {
            self.renew_or_end(contract);
            return;
        }
        let date = date_of(day);
        let active = day_start(day) < self.active_until;
        // Quarterly relationship survey.
        if matches!(date.month(), 1 | 4 | 7 | 10) && date.day() == 15 && self.rng.random_bool(0.55)
        {
            let at = self.w.clock.office_time(&mut self.rng, day);
            self.nps(at);
        }
        let ticket_rate = if healthy { 0.003 } else { 0.009 };
        if self.rng.random_bool(ticket_rate) {
            let topic = [
                Topic::Invoice,
                Topic::Seats,
                Topic::Account,
                Topic::Delivery,
                Topic::Contract,
            ][self.rng.random_range(0..5)];
            let at = self.w.clock.office_time(&mut self.rng, day);
            self.ticket(at, topic);
        }
        // Holiday gift sets for the staff before Chuseok and Seollal.
        let gift_season =
            (date.month() == 9 && date.day() <= 15) || (date.month() == 2 && date.day() <= 10);
        if gift_season && active && self.rng.random_bool(if healthy { 0.02 } else { 0.008 }) {
            let at = self.w.clock.office_time(&mut self.rng, day);
            self.bulk_order(at, contract.seats);
        }
    }

    /// An order of gift sets for every seat.
    fn bulk_order(&mut self, at: i64, seats: u32) {
        if !self.emit(at, Kind::Visit, None, Props::Visit(Source::Direct)) {
            return;
        }
        self.last_visit = self.last_visit.max(at);
        let product = self.w.catalog.pick_in(&mut self.rng, FOOD);
        let viewed = at + self.rng.random_range(30..300);
        self.emit(
            viewed,
            Kind::ProductView,
            None,
            Props::Product {
                product,
                category: FOOD,
            },
        );
        let carted = viewed + self.rng.random_range(60..600);
        self.emit(
            carted,
            Kind::CartAdd,
            None,
            Props::Product {
                product,
                category: FOOD,
            },
        );
        let per_seat = i64::from(self.rng.random_range(15..=40u32)) * 1_000;
        let value = per_seat * i64::from(seats);
        let ordered = carted + self.rng.random_range(2 * MINUTE..20 * MINUTE);
        self.record_purchase(ordered, FOOD, value, None);
    }

    /// At the end of a term: renew (maybe with more seats or a bigger plan) or let it end.
    fn renew_or_end(&mut self, contract: Contract) {
        let healthy = self.p.b2b.as_ref().is_some_and(|b| b.healthy);
        let end = contract.term_end;
        let mut p = if healthy { 0.9 } else { 0.35 };
        if end - self.last_visit > 60 * DAY {
            p *= 0.5;
        }
        if self
            .last_nps
            .is_some_and(|(at, score)| score <= 6 && end - at < 180 * DAY)
        {
            p *= 0.6;
        }
        let at = end.max(day_start(local_day(end)) + 9 * HOUR);
        let renewed = self.rng.random_bool(p);
        let next = if renewed {
            let plan = match contract.plan {
                Plan::Basic if self.rng.random_bool(0.12) => Plan::Pro,
                Plan::Pro if self.rng.random_bool(0.08) => Plan::Enterprise,
                plan => plan,
            };
            let seats = (contract.seats * self.rng.random_range(90..=130) / 100).max(5);
            let amount = contract_amount(plan, seats, contract.months);
            self.emit(
                at,
                Kind::ContractRenewed,
                Some(amount),
                Props::Contract(plan),
            );
            Contract {
                plan,
                seats,
                term_start: end,
                term_end: add_months(end, contract.months),
                ..contract
            }
        } else {
            self.emit(
                at,
                Kind::ContractEnded,
                None,
                Props::Contract(contract.plan),
            );
            self.active_until = self.active_until.min(end + 7 * DAY);
            Contract {
                ended: true,
                ..contract
            }
        };
        self.contract = Some(next);
    }
}
