//! Demo generator (in progress on another branch).
