//! SVG charts drawn with plotters from plain data.
