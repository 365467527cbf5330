//! CSV that opens correctly in Excel: RFC 4180 (via the `csv` crate), UTF-8 with a byte-order
//! mark so Korean text is not garbled, and cells that Excel would run as formulas neutralised.

/// Writes `header` and `rows` as CSV for Excel.
///
/// - The document starts with a UTF-8 byte-order mark and lines end with CRLF.
/// - Fields with commas, quotes or line breaks are quoted, quotes doubled (RFC 4180).
/// - A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`
///   (formula injection), unless the whole cell is a number such as `-5` or `+3.2`.
///
/// ```
/// let csv = crm_lens::export::excel_csv(&["이름", "금액"], vec![vec!["김민준".into(), "=1+1".into()]]);
/// assert_eq!(csv, "\u{feff}이름,금액\r\n김민준,'=1+1\r\n");
/// ```
pub fn excel_csv<I>(header: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail, and every record is text: errors here would be bugs.
    let _ = writer.write_record(header.iter().map(|h| neutralise(h).into_owned()));
    for row in rows {
        let _ = writer.write_record(row.iter().map(|cell| neutralise(cell).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let mut out = String::from('\u{feff}');
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

/// The cell, made safe from being run as a formula.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_neutralises_and_marks_utf8() {
        let csv = excel_csv(
            &["name", "note"],
            vec![
                vec!["Kim, Minjun".into(), "said \"hi\"".into()],
                vec!["line\nbreak".into(), "@SUM(A1)".into()],
                vec!["-5".into(), "+82-10-1234".into()],
                vec!["-".into(), "\t=cmd".into()],
            ],
        );
        assert_eq!(
            csv,
            "\u{feff}name,note\r\n\
             \"Kim, Minjun\",\"said \"\"hi\"\"\"\r\n\
             \"line\nbreak\",'@SUM(A1)\r\n\
             -5,'+82-10-1234\r\n\
             '-,'\t=cmd\r\n"
        );
    }

    #[test]
    fn empty_tables_have_a_header_only() {
        assert_eq!(excel_csv(&["a"], Vec::new()), "\u{feff}a\r\n");
    }
}
