//! Renders its children only once the dataset has loaded; [`super::status::DataStatus`] covers
//! the loading and failure states.

use std::sync::Arc;

use leptos::prelude::*;

use crate::sync::{use_dataset, Dataset};

/// Calls `children` with the loaded dataset; renders nothing before that.
#[component]
pub fn WithDataset<F, V>(children: F) -> impl IntoView
where
    F: Fn(Arc<Dataset>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let dataset = use_dataset();
    move || match dataset.get() {
        Some(Ok(data)) => Some(children(data).into_any()),
        _ => None,
    }
}
