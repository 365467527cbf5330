//! The shop's catalogue: categories, products with Korean price points, coupons and order amounts.

use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::seq::IndexedRandom;
use rand::{Rng, RngExt};

/// Category slugs, short because every product event carries one.
pub const CATEGORIES: [&str; 8] = [
    "fashion", "beauty", "food", "living", "kids", "digital", "sports", "pet",
];
pub const FOOD: u8 = 2;

/// Typical shelf prices in KRW per category (the `…900` endings shoppers know).
const PRICE_POINTS: [&[u32]; 8] = [
    &[
        19_900, 29_000, 35_900, 39_000, 49_000, 59_000, 69_000, 89_000, 129_000,
    ],
    &[
        9_900, 15_000, 18_900, 22_000, 28_000, 32_000, 45_000, 58_000,
    ],
    &[
        8_900, 12_900, 15_900, 19_800, 24_900, 29_900, 39_000, 49_000, 89_000,
    ],
    &[
        6_900, 12_900, 19_900, 29_900, 39_900, 59_000, 79_000, 119_000,
    ],
    &[12_900, 19_900, 25_000, 32_000, 45_000, 59_000, 79_000],
    &[19_900, 29_900, 49_000, 79_000, 129_000, 199_000, 349_000],
    &[15_900, 25_900, 39_000, 49_000, 69_000, 99_000, 159_000],
    &[7_900, 12_900, 18_900, 24_900, 32_900, 45_900],
];
/// How many customers shop each category at all (relative).
const CATEGORY_WEIGHTS: [u32; 8] = [22, 18, 17, 14, 8, 7, 8, 6];
const PRODUCTS_PER_CATEGORY: usize = 30;

/// Orders below this amount pay a flat delivery fee.
const FREE_SHIPPING_FROM: u32 = 30_000;
const SHIPPING_FEE: u32 = 3_000;

/// Coupon codes and what they take off an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coupon {
    /// 10 % off the first order, sent after signup.
    Welcome10,
    /// 50 % off (at most 20,000 KRW), the February 2026 acquisition event.
    Flash50,
    /// 15 % off in the May 2026 family-month promotion.
    Family15,
    /// 20 % off (at most 10,000 KRW) for lapsed customers.
    Comeback20,
    /// 10 % off in the birthday week.
    Bday10,
    /// 5,000 KRW off after a cart reminder.
    Cart5,
    /// 10 % off in the big seasonal sales.
    Sale10,
}

impl Coupon {
    pub fn code(self) -> &'static str {
        match self {
            Coupon::Welcome10 => "WELCOME10",
            Coupon::Flash50 => "FLASH50",
            Coupon::Family15 => "FAMILY15",
            Coupon::Comeback20 => "COMEBACK20",
            Coupon::Bday10 => "BDAY10",
            Coupon::Cart5 => "CART5",
            Coupon::Sale10 => "SALE10",
        }
    }

    fn discount(self, amount: u32) -> u32 {
        match self {
            Coupon::Welcome10 | Coupon::Bday10 | Coupon::Sale10 => amount / 10,
            Coupon::Flash50 => (amount / 2).min(20_000),
            Coupon::Family15 => amount * 15 / 100,
            Coupon::Comeback20 => (amount / 5).min(10_000),
            Coupon::Cart5 => 5_000.min(amount / 2),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Product {
    pub category: u8,
    pub price: u32,
}

/// Products and their popularity within each category.
#[derive(Debug)]
pub struct Catalog {
    pub products: Vec<Product>,
    categories: WeightedIndex<u32>,
    popularity: WeightedIndex<u32>,
}

impl Catalog {
    /// Builds the catalogue; prices come from `rng` so that they are part of the seeded world.
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let mut products = Vec::with_capacity(CATEGORIES.len() * PRODUCTS_PER_CATEGORY);
        for (category, points) in PRICE_POINTS.iter().enumerate() {
            for _ in 0..PRODUCTS_PER_CATEGORY {
                let price = *points.choose(rng).expect("price points are not empty");
                products.push(Product {
                    category: category as u8,
                    price,
                });
            }
        }
        // A long tail: the first products of a category sell far more than the last ones.
        let popularity = (0..PRODUCTS_PER_CATEGORY as u32).map(|rank| 1_200 / (rank + 3));
        Self {
            products,
            categories: WeightedIndex::new(CATEGORY_WEIGHTS).expect("positive weights"),
            popularity: WeightedIndex::new(popularity).expect("positive weights"),
        }
    }

    /// A category a new customer is drawn to.
    pub fn favourite_category<R: Rng + ?Sized>(&self, rng: &mut R) -> u8 {
        self.categories.sample(rng) as u8
    }

    /// A product a customer looks at: mostly from their favourite category.
    pub fn pick<R: Rng + ?Sized>(&self, rng: &mut R, favourite: u8) -> u16 {
        let category = if rng.random_bool(0.65) {
            favourite
        } else {
            self.categories.sample(rng) as u8
        };
        (usize::from(category) * PRODUCTS_PER_CATEGORY + self.popularity.sample(rng)) as u16
    }

    /// A product of a given category.
    pub fn pick_in<R: Rng + ?Sized>(&self, rng: &mut R, category: u8) -> u16 {
        (usize::from(category) * PRODUCTS_PER_CATEGORY + self.popularity.sample(rng)) as u16
    }

    pub fn category_of(&self, product: u16) -> u8 {
        self.products[usize::from(product)].category
    }

    /// Order amount in whole KRW, rounded to 100: items, delivery fee, coupon.
    pub fn order_amount<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        product: u16,
        basket: u32,
        coupon: Option<Coupon>,
    ) -> i64 {
        let price = self.products[usize::from(product)].price;
        let quantity = match rng.random_range(0..20u8) {
            0..=13 => 1,
            14..=18 => 2,
            _ => 3,
        };
        // `basket` (percent) lets big spenders add more to the same order.
        let mut amount = price * quantity * basket / 100;
        if amount < FREE_SHIPPING_FROM {
            amount += SHIPPING_FEE;
        }
        if let Some(c) = coupon {
            amount -= c.discount(amount);
        }
        i64::from((amount + 50) / 100 * 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn amounts_are_whole_hundreds_and_coupons_lower_them() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let catalog = Catalog::new(&mut rng);
        for p in 0..catalog.products.len() as u16 {
            let full = catalog.order_amount(&mut ChaCha8Rng::seed_from_u64(9), p, 100, None);
            let off = catalog.order_amount(
                &mut ChaCha8Rng::seed_from_u64(9),
                p,
                100,
                Some(Coupon::Flash50),
            );
            assert!(full > 0 && full % 100 == 0, "{full}");
            assert!(off < full && off % 100 == 0, "{off} {full}");
        }
    }
}
