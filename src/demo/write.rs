//! Serialises a dataset to the three v1 files.
//!
//! `customers.json` and `events.json` are `Page` envelopes with one compact record per line, so
//! that a regenerated demo shows up in `git diff` as changed records, not as one giant line.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use super::Dataset;

/// The bytes of the three files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetFiles {
    pub meta: Vec<u8>,
    pub customers: Vec<u8>,
    pub events: Vec<u8>,
}

impl DatasetFiles {
    /// File names and contents, in the order they are written.
    pub fn files(&self) -> [(&'static str, &[u8]); 3] {
        [
            ("meta.json", &self.meta),
            ("customers.json", &self.customers),
            ("events.json", &self.events),
        ]
    }
}

/// Writes `{"data":[` newline, records separated by `,` newline, then `],"next_cursor":null}`.
fn write_page<W: Write, T: Serialize>(
    w: &mut W,
    records: impl Iterator<Item = T>,
) -> io::Result<()> {
    w.write_all(b"{\"data\":[")?;
    let mut first = true;
    for record in records {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *w, &record)?;
    }
    w.write_all(if first { b"" } else { b"\n" })?;
    w.write_all(b"],\"next_cursor\":null}\n")
}

pub fn write_meta<W: Write>(w: &mut W, dataset: &Dataset) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &dataset.meta)?;
    w.write_all(b"\n")
}

pub fn write_customers<W: Write>(w: &mut W, dataset: &Dataset) -> io::Result<()> {
    write_page(w, dataset.customers.iter())
}

pub fn write_events<W: Write>(w: &mut W, dataset: &Dataset) -> io::Result<()> {
    let records = dataset
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| e.record(i, &dataset.customers[e.customer as usize].id));
    write_page(w, records)
}

/// The three files in memory.
pub fn to_bytes(dataset: &Dataset) -> DatasetFiles {
    let mut files = DatasetFiles {
        meta: Vec::new(),
        customers: Vec::new(),
        events: Vec::new(),
    };
    let fail = "writing to memory cannot fail";
    write_meta(&mut files.meta, dataset).expect(fail);
    write_customers(&mut files.customers, dataset).expect(fail);
    write_events(&mut files.events, dataset).expect(fail);
    files
}

/// Writes `meta.json`, `customers.json` and `events.json` into `dir`, creating it if needed.
pub fn write_dir(dataset: &Dataset, dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    type Writer = fn(&mut BufWriter<fs::File>, &Dataset) -> io::Result<()>;
    let writers: [(&str, Writer); 3] = [
        ("meta.json", write_meta),
        ("customers.json", write_customers),
        ("events.json", write_events),
    ];
    for (name, write) in writers {
        let path = dir.join(name);
        let mut file = BufWriter::new(fs::File::create(&path)?);
        write(&mut file, dataset)
            .and_then(|()| file.flush())
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Customer, Event, Page};

    #[test]
    fn pages_have_one_record_per_line_and_parse_back() {
        let dataset = crate::demo::generate(&crate::demo::GeneratorConfig::synthetic(30, 7));
        let files = to_bytes(&dataset);
        let events = String::from_utf8(files.events.clone()).expect("utf-8");
        assert!(
            events.starts_with("{\"data\":[\n{\"id\":\"e0000001\""),
            "{}",
            &events[..60]
        );
        assert!(events.ends_with("}\n],\"next_cursor\":null}\n"));
        assert_eq!(events.lines().count(), dataset.events.len() + 2);
        let page: Page<Event> =
            serde_json::from_slice(&files.events).expect("parses as Page<Event>");
        assert_eq!(page.data.len(), dataset.events.len());
        assert_eq!(page.data[3], dataset.event(3));
        let customers: Page<Customer> =
            serde_json::from_slice(&files.customers).expect("parses as Page<Customer>");
        assert_eq!(customers.data, dataset.customers);
        assert_eq!(customers.next_cursor, None);
    }

    #[test]
    fn empty_page_is_valid_json() {
        let mut out = Vec::new();
        write_page(&mut out, std::iter::empty::<u8>()).expect("writes");
        assert_eq!(out, b"{\"data\":[],\"next_cursor\":null}\n");
    }
}
