//! SVG charts from plain data (filled in on the app branch).
