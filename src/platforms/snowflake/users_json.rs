//! `SHOW USERS` (or `SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.USERS`) as JSON: an array of row
//! objects, as `snowsql -o output_format=json` prints it and Snowsight downloads it. Keys are
//! column names in any case; values are strings, booleans or numbers alike.

use super::users::{self, Row, Tally};
use crate::ingest::{Input, Sink, records};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "snowflake.users_json",
    title: "Snowflake users (SHOW USERS or ACCOUNT_USAGE.USERS, JSON rows)",
    doc_url: "https://docs.snowflake.com/en/sql-reference/sql/show-users",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first
                    .as_ref()
                    .is_some_and(|first| users::claims(first.keys().map(String::as_str)))
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let mut tally = Tally::default();
    let mut index = 0usize;
    let skipped = records::each(input.bytes, None, |row: Row| {
        index += 1;
        users::read_row(&row, &format!("record {index}"), sink, &mut tally);
    })?;
    sink.skipped(skipped);
    tally.finish(sink);
    Ok(())
}
