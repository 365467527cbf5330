//! Texts and formatting for Korean and English (filled in on the app branch).
