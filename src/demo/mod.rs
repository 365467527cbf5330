//! Seeded generator of the demo and benchmark datasets (native only).
//!
//! The demo is a Korean online shop with a B2B arm, built so that the stories a CRM marketer looks
//! for are really in the data (see `docs/data-format.md`). The same seed gives the same bytes on
//! every machine: randomness comes only from ChaCha8 streams, one per customer, and the writer
//! emits records in a fixed order.

mod b2b;
mod calendar;
mod campaigns;
mod catalog;
mod event;
mod life;
mod names;
mod population;
mod shop;
mod write;

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use event::{DemoEvent, Kind, Props};
pub use write::{to_bytes, write_dir, DatasetFiles};

use crate::model::{Customer, Event, Meta, FORMAT_VERSION};
use campaigns::Broadcast;
use catalog::Catalog;
use life::Life;
use names::NameBook;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorConfig {
    pub seed: u64,
    pub customers: usize,
    /// Start of tracking: behaviour is recorded from here on.
    pub start: DateTime<FixedOffset>,
    /// The snapshot instant (`meta.as_of`); nothing happens at or after it.
    pub as_of: DateTime<FixedOffset>,
    /// Share of customers that are B2B accounts.
    pub b2b_share: f64,
    /// Scales visits and campaign reach: 1.0 for the demo, lower for lean benchmark datasets.
    pub activity: f64,
}

impl GeneratorConfig {
    /// The committed demo dataset in `public/demo/`.
    pub fn demo() -> Self {
        Self {
            seed: 20_261_116,
            customers: 6_000,
            start: calendar::to_datetime(calendar::at(2025, 9, 1, 0, 0)),
            as_of: calendar::to_datetime(calendar::at(2026, 11, 16, 0, 0)),
            b2b_share: 0.05,
            activity: 1.0,
        }
    }

    /// A benchmark dataset of any size over the demo's period: about ten events per customer,
    /// so 100,000 customers make roughly a million events.
    pub fn synthetic(customers: usize, seed: u64) -> Self {
        Self {
            seed,
            customers,
            activity: 0.3,
            ..Self::demo()
        }
    }
}

/// A generated dataset: what `meta.json`, `customers.json` and `events.json` hold.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub meta: Meta,
    pub customers: Vec<Customer>,
    /// Sorted by time; the event at index `i` has id `e{i+1:07}`. Compact, see [`DemoEvent`].
    pub events: Vec<DemoEvent>,
}

impl Dataset {
    /// The event at `index` as a whole `model::Event`.
    pub fn event(&self, index: usize) -> Event {
        let e = &self.events[index];
        e.to_event(index, &self.customers[e.customer as usize].id)
    }
}

/// The shared, read-only world every customer lives in.
#[derive(Debug)]
pub(crate) struct World {
    pub start: i64,
    pub as_of: i64,
    pub activity: f64,
    pub catalog: Catalog,
    pub clock: calendar::Clock,
    pub names: NameBook,
    pub broadcasts: Vec<Broadcast>,
}

/// Generates the dataset described by `config`. An `as_of` not after `start` gives no customers.
pub fn generate(config: &GeneratorConfig) -> Dataset {
    let (start, as_of) = (config.start.timestamp(), config.as_of.timestamp());
    let customers = if as_of > start { config.customers } else { 0 };
    // Stream 0 draws the world and the signups; customer i lives on stream i + 1.
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let world = World {
        start,
        as_of,
        // Keeps every derived probability within [0, 1] whatever the caller passes.
        activity: config.activity.clamp(0.0, 10.0),
        catalog: Catalog::new(&mut rng),
        clock: calendar::Clock::new(),
        names: NameBook::new(),
        broadcasts: campaigns::calendar(start, as_of),
    };
    let signups = population::signups(
        &world,
        customers,
        config.b2b_share.clamp(0.0, 1.0),
        &mut rng,
    );

    let mut records = Vec::with_capacity(signups.len());
    let mut events = Vec::new();
    let mut orders = Vec::with_capacity(signups.len());
    let mut emails = HashSet::new();
    let mut companies = HashSet::new();
    for (i, signup) in signups.iter().enumerate() {
        let index = u32::try_from(i).expect("fewer than 4 billion customers");
        let mut rng = Life::stream(config.seed, index);
        let mut profile = population::profile(&world, &mut rng, signup);
        profile.email = profile.email.map(|e| names::make_unique(&mut emails, e));
        if let Some(account) = profile.b2b.as_mut() {
            for _ in 0..8 {
                if !companies.contains(&account.company) {
                    break;
                }
                account.company = world.names.company(&mut rng);
            }
            account.company =
                names::make_unique(&mut companies, std::mem::take(&mut account.company));
        }
        let mut life = Life::new(&world, index, rng, profile);
        life.run();
        records.push(population::record(&life, format!("C{:05}", i + 1)));
        orders.push(life.purchases);
        events.append(&mut life.events);
    }
    // Stable: events at the same second keep customer order, then the order they happened in.
    events.sort_by_key(|e| e.at);
    number_orders(&mut events, &orders);

    let meta = Meta {
        v: FORMAT_VERSION,
        currency: "KRW".to_string(),
        time_zone: "Asia/Seoul".to_string(),
        as_of: Some(config.as_of.with_timezone(&calendar::kst())),
        event_types: Kind::ALL.iter().map(|k| k.meta()).collect(),
        attributes: population::attribute_meta(),
        capabilities: None,
    };
    Dataset {
        meta,
        customers: records,
        events,
    }
}

/// Replaces each customer's own order numbers by shop-wide ones, in time order (`O0000001` first).
fn number_orders(events: &mut [DemoEvent], orders_per_customer: &[u32]) {
    let mut base = Vec::with_capacity(orders_per_customer.len());
    let mut total = 0usize;
    for &n in orders_per_customer {
        base.push(total);
        total += n as usize;
    }
    let mut numbers = vec![0u32; total];
    let mut next = 0u32;
    for e in events.iter_mut() {
        let slot = |order: u32| base[e.customer as usize] + order as usize;
        match &mut e.props {
            Props::Purchase { order, .. } => {
                next += 1;
                numbers[slot(*order)] = next;
                *order = next;
            }
            Props::Refund { order } => {
                // A refund always follows its order, so the order has its number already.
                *order = numbers[slot(*order)];
            }
            _ => {}
        }
    }
}
