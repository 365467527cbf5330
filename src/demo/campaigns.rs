//! CRM messages: the campaign calendar, triggered journeys (welcome, first order, cart reminder,
//! win-back, birthday, renewal) and how customers respond to what they receive.
//!
//! Sends respect the Korean quiet hours for advertising (21:00–08:00) except a misconfigured push
//! cart reminder, so "messages sent mostly between 08:00 and 21:00" holds and the exception shows.

use chrono::Datelike;
use rand::RngExt;
use rand_distr::{Distribution, Exp};

use super::calendar::{self, date_of, day_start, local_day, DAY, HOUR, MINUTE};
use super::catalog::Coupon;
use super::event::{Channel, Kind, Props, Source};
use super::life::Life;

/// Every campaign name the demo uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Campaign {
    Welcome,
    FirstOrder,
    CartRemind,
    Winback,
    Birthday,
    Renewal,
    BizLetter,
    NewArrivals,
    Chuseok2025,
    SaleFesta2025,
    BlackFriday,
    YearEnd,
    Seollal2026,
    SpringSale,
    MayFamilyMonth,
    SummerSale,
    Chuseok2026,
    SaleFesta2026,
}

/// What a message offers and how strongly people respond to it.
#[derive(Debug, Clone, Copy)]
struct Offer {
    coupon: Option<Coupon>,
    /// Click probability once opened, for active and for dormant customers.
    click: f64,
    click_dormant: f64,
    /// Multiplies the purchase propensity of the session a click starts.
    boost: f64,
    /// Chance that a dormant customer who clicks becomes active again for a while.
    revive: f64,
}

impl Campaign {
    pub fn name(self) -> &'static str {
        match self {
            Campaign::Welcome => "welcome",
            Campaign::FirstOrder => "first_order",
            Campaign::CartRemind => "cart_remind",
            Campaign::Winback => "winback",
            Campaign::Birthday => "birthday",
            Campaign::Renewal => "renewal",
            Campaign::BizLetter => "biz_letter",
            Campaign::NewArrivals => "new_arrivals",
            Campaign::Chuseok2025 => "chuseok_2025",
            Campaign::SaleFesta2025 => "sale_festa_2025",
            Campaign::BlackFriday => "black_friday",
            Campaign::YearEnd => "year_end",
            Campaign::Seollal2026 => "seollal_2026",
            Campaign::SpringSale => "spring_sale",
            Campaign::MayFamilyMonth => "may_family_month",
            Campaign::SummerSale => "summer_sale",
            Campaign::Chuseok2026 => "chuseok_2026",
            Campaign::SaleFesta2026 => "sale_festa_2026",
        }
    }

    fn offer(self) -> Offer {
        let plain = Offer {
            coupon: None,
            click: 0.15,
            click_dormant: 0.04,
            boost: 1.5,
            revive: 0.05,
        };
        match self {
            Campaign::Welcome => Offer {
                click: 0.25,
                boost: 1.3,
                ..plain
            },
            Campaign::FirstOrder => Offer {
                coupon: Some(Coupon::Welcome10),
                click: 0.22,
                boost: 2.0,
                ..plain
            },
            Campaign::CartRemind => Offer {
                coupon: Some(Coupon::Cart5),
                click: 0.3,
                boost: 2.5,
                ..plain
            },
            Campaign::Winback => Offer {
                coupon: Some(Coupon::Comeback20),
                click: 0.12,
                click_dormant: 0.1,
                boost: 2.0,
                revive: 0.3,
            },
            Campaign::Birthday => Offer {
                coupon: Some(Coupon::Bday10),
                click: 0.25,
                click_dormant: 0.08,
                ..plain
            },
            Campaign::SaleFesta2025 | Campaign::BlackFriday | Campaign::SaleFesta2026 => Offer {
                coupon: Some(Coupon::Sale10),
                click: 0.2,
                boost: 1.8,
                ..plain
            },
            // The family-month offer is generous and aimed squarely at lapsed customers.
            Campaign::MayFamilyMonth => Offer {
                coupon: Some(Coupon::Family15),
                click: 0.3,
                click_dormant: 0.45,
                boost: 2.2,
                revive: 0.55,
            },
            _ => plain,
        }
    }
}

/// Who a broadcast is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Shoppers,
    Businesses,
}

/// A scheduled send to a share of the consenting audience.
#[derive(Debug, Clone, Copy)]
pub struct Broadcast {
    pub at: i64,
    pub campaign: Campaign,
    pub channel: Channel,
    pub audience: Audience,
    /// Share of eligible active / dormant customers targeted (marketers mostly target the active).
    pub share_active: f64,
    pub share_dormant: f64,
}

/// The campaign calendar between `start` and `as_of`, in time order.
pub fn calendar(start: i64, as_of: i64) -> Vec<Broadcast> {
    use Campaign::*;
    use Channel::*;
    let seasonal = |at, campaign, channel| Broadcast {
        at,
        campaign,
        channel,
        audience: Audience::Shoppers,
        share_active: 0.35,
        share_dormant: 0.05,
    };
    let may = |at, channel| Broadcast {
        at,
        campaign: MayFamilyMonth,
        channel,
        audience: Audience::Shoppers,
        share_active: 1.0,
        share_dormant: 1.0,
    };
    let at = calendar::at;
    let mut list = vec![
        seasonal(at(2025, 9, 24, 10, 0), Chuseok2025, Kakao),
        seasonal(at(2025, 11, 3, 11, 0), SaleFesta2025, Email),
        seasonal(at(2025, 11, 27, 19, 0), BlackFriday, Push),
        seasonal(at(2025, 12, 15, 11, 0), YearEnd, Email),
        seasonal(at(2026, 2, 5, 10, 0), Seollal2026, Kakao),
        seasonal(at(2026, 3, 16, 12, 0), SpringSale, Sms),
        // Family month: Children's Day (5/5) and Parents' Day (5/8), in four waves over every channel.
        may(at(2026, 5, 1, 10, 0), Kakao),
        may(at(2026, 5, 6, 18, 30), Sms),
        may(at(2026, 5, 7, 12, 0), Push),
        may(at(2026, 5, 20, 11, 0), Email),
        seasonal(at(2026, 7, 8, 11, 0), SummerSale, Email),
        seasonal(at(2026, 9, 10, 10, 0), Chuseok2026, Kakao),
        seasonal(at(2026, 11, 2, 11, 0), SaleFesta2026, Email),
    ];
    // New arrivals in the app on the first Monday of every month; a letter to business clients each quarter.
    let mut day = local_day(start);
    while day_start(day) < as_of {
        let date = date_of(day);
        if date.day() <= 7 && calendar::weekday(day) == 0 {
            list.push(Broadcast {
                at: day_start(day) + 12 * HOUR,
                campaign: NewArrivals,
                channel: InApp,
                audience: Audience::Shoppers,
                share_active: 0.15,
                share_dormant: 0.0,
            });
        }
        if date.day() <= 7 && calendar::weekday(day) == 1 && date.month().is_multiple_of(3) {
            list.push(Broadcast {
                at: day_start(day) + 10 * HOUR,
                campaign: BizLetter,
                channel: Email,
                audience: Audience::Businesses,
                share_active: 1.0,
                share_dormant: 1.0,
            });
        }
        day += 1;
    }
    list.retain(|b| b.at >= start && b.at < as_of);
    list.sort_by_key(|b| b.at);
    list
}

impl Channel {
    /// Share of messages opened, for an engaged recipient.
    fn open_rate(self) -> f64 {
        match self {
            Channel::Email => 0.22,
            Channel::Sms => 0.35,
            Channel::Push => 0.12,
            Channel::InApp => 0.3,
            Channel::Kakao => 0.4,
        }
    }

    /// Mean time from send to open, in minutes.
    fn open_delay_minutes(self) -> f64 {
        match self {
            Channel::Email => 150.0,
            Channel::Sms => 15.0,
            Channel::Push => 10.0,
            Channel::InApp => 2.0,
            Channel::Kakao => 40.0,
        }
    }
}

impl Life<'_> {
    fn consents_to(&self, channel: Channel) -> bool {
        let c = self.p.consent;
        match channel {
            Channel::Email => c.email,
            Channel::Sms => c.sms,
            Channel::Push => c.push,
            Channel::InApp => self.p.app_user,
            Channel::Kakao => c.kakao,
        }
    }

    /// The first of `channels` (in order of preference) the customer may be messaged on.
    pub fn preferred(&self, channels: &[Channel]) -> Option<Channel> {
        channels.iter().copied().find(|&c| self.consents_to(c))
    }

    /// Sends a message and plays out the customer's reaction: open, click, a visit, maybe an order.
    pub fn send(&mut self, at: i64, channel: Channel, campaign: Campaign) {
        // Lean benchmark datasets (activity below 1) send proportionally fewer messages.
        if !self.rng.random_bool(self.w.activity.min(1.0)) {
            return;
        }
        let props = Props::Message { channel, campaign };
        if !self.emit(at, Kind::MessageSent, None, props) {
            return;
        }
        let offer = campaign.offer();
        let dormant = self.is_dormant(at);
        // Lapsed customers ignore most messages, but not a family-month offer.
        let open = channel.open_rate()
            * if dormant && campaign != Campaign::MayFamilyMonth {
                0.7
            } else {
                1.0
            };
        if !self.rng.random_bool(open) {
            return;
        }
        let delay = Exp::new(1.0 / channel.open_delay_minutes())
            .expect("positive mean")
            .sample(&mut self.rng);
        let opened = at + 5 + ((delay * MINUTE as f64) as i64).min(2 * DAY);
        if !self.emit(opened, Kind::MessageOpened, None, props) {
            return;
        }
        let click = if dormant {
            offer.click_dormant
        } else {
            offer.click
        };
        if !self.rng.random_bool(click) {
            return;
        }
        let clicked = opened + self.rng.random_range(5..180);
        if !self.emit(clicked, Kind::MessageClicked, None, props) {
            return;
        }
        if campaign == Campaign::MayFamilyMonth {
            self.may_clicked = true;
        }
        if dormant && self.rng.random_bool(offer.revive) {
            let until = clicked + self.draw_days(60.0);
            self.active_until = self.active_until.max(until);
        }
        if let Some(c) = offer.coupon {
            // The coupon stays in the wallet for a week if not used right away.
            self.coupon_until = Some((c, clicked + 7 * DAY));
        }
        let visit = clicked + self.rng.random_range(2..20);
        self.session(visit, Source::Message(channel), None, offer.boost);
    }

    /// A scheduled campaign reaching this customer, if they are in its audience.
    pub fn broadcast(&mut self, b: Broadcast) {
        let business = self.p.b2b.is_some();
        if b.at <= self.p.created
            || business != (b.audience == Audience::Businesses)
            || !self.consents_to(b.channel)
            || (b.campaign == Campaign::MayFamilyMonth && self.may_clicked)
        {
            return;
        }
        let share = if self.is_dormant(b.at) {
            b.share_dormant
        } else {
            b.share_active
        };
        if self.rng.random_bool(share) {
            // Large sends go out in batches over twenty minutes.
            let at = b.at + self.rng.random_range(0..20 * MINUTE);
            self.send(at, b.channel, b.campaign);
        }
    }

    /// The welcome message right after signup (deferred to the morning at night).
    pub fn welcome(&mut self, signed_up: i64) {
        let Some(channel) = self.preferred(&[Channel::Kakao, Channel::Email]) else {
            return;
        };
        let at = signed_up + self.rng.random_range(MINUTE..5 * MINUTE);
        let at = self.next_daytime(at);
        self.send(at, channel, Campaign::Welcome);
    }

    /// Journeys that fire on a given day: first-order nudge, win-back, birthday, renewal reminders.
    pub fn daily_triggers(&mut self, day: i64) {
        let morning = day_start(day) + 10 * HOUR;
        if self.p.b2b.is_some() {
            if let Some(end) = self
                .contract
                .as_ref()
                .filter(|c| !c.ended)
                .map(|c| c.term_end)
            {
                let left = local_day(end) - day;
                if (left == 90 || left == 30) && self.p.consent.email {
                    let at = morning + self.rng.random_range(0..30 * MINUTE);
                    self.send(at, Channel::Email, Campaign::Renewal);
                }
            }
            return;
        }
        // Day 2 after signup without an order: a nudge with the welcome coupon.
        if !self.p.legacy
            && day == local_day(self.p.created) + 2
            && self.purchases == 0
            && self.p.consent.sms
        {
            let at = day_start(day) + 11 * HOUR + self.rng.random_range(0..30 * MINUTE);
            self.send(at, Channel::Sms, Campaign::FirstOrder);
        }
        // 45 days without a visit: one win-back message per lapse.
        if morning - self.last_visit >= 45 * DAY && self.winback_for != self.last_visit {
            if let Some(channel) = self.preferred(&[Channel::Email, Channel::Kakao]) {
                self.winback_for = self.last_visit;
                let at = morning + self.rng.random_range(0..30 * MINUTE);
                self.send(at, channel, Campaign::Winback);
            }
        }
        if let Some(birthday) = self.p.birthday {
            let today = date_of(day);
            if today.month() == birthday.month() && today.day() == birthday.day() {
                if let Some(channel) = self.preferred(&[Channel::Kakao, Channel::Email]) {
                    let at = day_start(day) + 9 * HOUR + self.rng.random_range(0..30 * MINUTE);
                    self.send(at, channel, Campaign::Birthday);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_is_sorted_and_sends_in_daytime() {
        let start = calendar::at(2025, 9, 1, 0, 0);
        let as_of = calendar::at(2026, 11, 16, 0, 0);
        let list = super::calendar(start, as_of);
        assert!(list.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(list
            .iter()
            .all(|b| !calendar::is_quiet(b.at) && !calendar::is_quiet(b.at + 20 * MINUTE)));
        assert_eq!(
            list.iter()
                .filter(|b| b.campaign == Campaign::MayFamilyMonth)
                .count(),
            4
        );
        assert!(list.iter().any(|b| b.channel == Channel::InApp));
    }
}
