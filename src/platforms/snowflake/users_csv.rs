//! `SHOW USERS` (or `SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.USERS`) downloaded as CSV from
//! Snowsight, or written by `snowsql -o output_format=csv`. Columns are read by header name.

use super::users::{self, Row, Tally};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::platforms::Format;
use crate::platforms::read_exported;

pub(super) const FORMAT: Format = Format {
    id: "snowflake.users",
    title: "Snowflake users (SHOW USERS or ACCOUNT_USAGE.USERS, CSV)",
    doc_url: "https://docs.snowflake.com/en/sql-reference/sql/show-users",
    detect: |shape| match shape {
        Shape::Csv(headers) => users::claims(headers.iter().map(String::as_str)),
        _ => false,
    },
    read: read_exported!(read),
    exported_only: true,
};

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let bytes = crate::ingest::probe::strip_bom(input.bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let columns: Vec<Option<users::Col>> = reader
        .headers()
        .map_err(|e| format!("unreadable header row: {e}"))?
        .iter()
        .map(users::column)
        .collect();
    if !columns.contains(&Some(users::Col::Name)) {
        return Err("the header row has no \"name\" column".into());
    }
    let mut tally = Tally::default();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                sink.problem(format!("line {line} skipped: {e}"));
                continue;
            }
        };
        let mut row = Row::default();
        for (col, cell) in columns.iter().zip(record.iter()) {
            if let Some(col) = col {
                row.set(*col, users::clean(cell));
            }
        }
        users::read_row(&row, &format!("line {line}"), sink, &mut tally);
    }
    tally.finish(sink);
    Ok(())
}
