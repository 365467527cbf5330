//! App shell.
