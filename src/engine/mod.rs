//! Pure analytics over a columnar store (filled in on the engine branch).
