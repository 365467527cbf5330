//! User settings (filled in on the app branch).
