//! One file per page. A page composes components and reads the dataset context; it never fetches.

mod cohorts;
mod customer_profile;
mod customers;
mod dashboard;
mod journey_designer;
mod journeys;
mod not_found;
mod segments;
mod settings;

pub use cohorts::Cohorts;
pub use customer_profile::CustomerProfile;
pub use customers::Customers;
pub use dashboard::Dashboard;
pub use journey_designer::JourneyDesigner;
pub use journeys::Journeys;
pub use not_found::NotFound;
pub use segments::Segments;
pub use settings::SettingsPage;
