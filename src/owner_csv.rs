//! Owner maps read from CSV files, as admins keep them: a spreadsheet of `id,owner` rows, or NHI
//! Lens's own CSV export with the owner column filled in.
//!
//! A file is read as far as it can be: a row without an ID or an owner is skipped and named, and
//! never costs the rows around it. Only a file whose header names its columns in words NHI Lens
//! does not know is refused whole, since reading its rows by position would assign owners from
//! whatever the first two columns hold.

use crate::protocol::OwnerMapEntry;

/// Header names of the column that holds an identity's ID or pattern (lower case, words joined
/// by `_`). `identity_id` is NHI Lens's own CSV export's; `id_or_pattern` the options page's.
const ID_COLUMNS: &[&str] = &[
    "id",
    "identity",
    "identity_id",
    "pattern",
    "id_or_pattern",
    "native_id",
];

/// Header names of the column that holds the owner.
const OWNER_COLUMNS: &[&str] = &[
    "owner",
    "team",
    "owner_email",
    "owner_name",
    "owned_by",
    "assigned_owner",
];

/// What an owner-map file held: its entries, in file order (a pattern named twice keeps its
/// last owner), and the rows skipped, each as `line N: why`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct OwnerCsv {
    pub entries: Vec<OwnerMapEntry>,
    pub skipped: Vec<String>,
}

/// A header cell as compared with the known names: `Identity ID` and `identity-id` are
/// `identity_id`.
fn column_name(cell: &str) -> String {
    cell.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// The ID and owner columns a first row names, `Ok(None)` when it names none (it is a row of
/// data), or why a header is not understood.
fn header(cells: &csv::StringRecord) -> Result<Option<(usize, usize)>, String> {
    let names: Vec<String> = cells.iter().map(column_name).collect();
    let id = names.iter().position(|n| ID_COLUMNS.contains(&n.as_str()));
    let owner = names
        .iter()
        .position(|n| OWNER_COLUMNS.contains(&n.as_str()));
    match (id, owner) {
        (Some(id), Some(owner)) => Ok(Some((id, owner))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(format!(
            "the header names no owner column (one of: {})",
            OWNER_COLUMNS.join(", ")
        )),
        (None, Some(_)) => Err(format!(
            "the header names no ID column (one of: {})",
            ID_COLUMNS.join(", ")
        )),
    }
}

/// Reads an owner map from a file's bytes: UTF-8 (with or without a byte-order mark), or else
/// Windows-1252, which a spreadsheet saving "CSV" on Windows writes (`José` is then one byte,
/// `0xE9`, which UTF-8 would read as a replacement character). See [`read`].
pub fn read_bytes(bytes: &[u8]) -> Result<OwnerCsv, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => read(text),
        Err(_) => read(&windows_1252(bytes)),
    }
}

/// The characters Windows-1252 puts at 0x80–0x9F (the rest of its bytes are Latin-1's); the
/// five it leaves undefined are their C1 controls, as browsers read them.
const CP1252_HIGH: [char; 32] = [
    '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// A cell as written before a spreadsheet's formula guard: NHI Lens's CSV export writes
/// `'@platform-team` for `@platform-team` (see `text::csv_cell`), which is read back as it was.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::text::starts_formula(rest) => rest,
        _ => cell,
    }
}

/// The separator the file's first line ends its first cell with, outside quotes: a comma, or a
/// semicolon (what a spreadsheet writes where the comma is the decimal mark) or a tab
/// (`okta:api_token:1;Doe, Jane`: an ID holds none of them). A comma where the line has none.
fn separator(text: &str) -> u8 {
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' | b';' | b'\t' if !quoted => return b,
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    b','
}

/// Reads an owner map: `id,owner` rows, or any columns under a header naming the ID column and
/// the owner column ([`ID_COLUMNS`], [`OWNER_COLUMNS`], in any order and case). `*` in an ID
/// matches any run of characters. Empty rows are passed over; rows without an ID or an owner
/// are skipped and named. An error when the header is not understood or no row names an owner.
pub fn read(text: &str) -> Result<OwnerCsv, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    // The line a record starts on, counted here: the reader counts neither the empty lines it
    // skips nor them in a record's start.
    // Counted on from the last record's (records come in order): counted from the file's start
    // for each, a file of 50,000 rows took minutes.
    let mut counted = (0, 1);
    let mut line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut end = usize::try_from(byte).map_or(bytes.len(), |b| b.min(bytes.len()));
        while bytes.get(end).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            end += 1;
        }
        let (from, lines) = counted;
        let lines = if end >= from {
            lines + bytes[from..end].iter().filter(|&&b| b == b'\n').count()
        } else {
            1 + bytes[..end].iter().filter(|&&b| b == b'\n').count()
        };
        counted = (end, lines);
        lines
    };
    let mut columns = (0, 1);
    let mut first = true;
    let mut read = OwnerCsv::default();
    let mut places: std::collections::HashMap<String, usize> = Default::default();
    let mut replaced: Vec<usize> = Vec::new();
    // The last record, and the last that held a cell across lines.
    let (mut last, mut across_lines) = (0, None);
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(index + 1, |p| line_at(p.byte()));
                read.skipped.push(format!("line {line}: not CSV"));
                continue;
            }
        };
        let line = record.position().map_or(index + 1, |p| line_at(p.byte()));
        last = index;
        if record.iter().any(|cell| cell.contains(['\n', '\r'])) {
            let from = record.position().map_or(0, |p| p.byte() as usize);
            across_lines = Some((index, line, from));
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        if std::mem::take(&mut first)
            && let Some(named) = header(&record)?
        {
            columns = named;
            continue;
        }
        let id = unguarded(record.get(columns.0).unwrap_or_default());
        let owner = unguarded(record.get(columns.1).unwrap_or_default());
        let missing = match (id.is_empty(), owner.is_empty()) {
            (false, false) => None,
            (true, false) => Some("no ID"),
            (false, true) => Some("no owner"),
            (true, true) => Some("no ID and no owner"),
        };
        if let Some(missing) = missing {
            read.skipped.push(format!("line {line}: {missing}"));
            continue;
        }
        // A bare number names an identity on every platform and in every inventory that has
        // one of that number (GitLab's token 101, GitHub's hook 101): the whole ID names one.
        if id.bytes().all(|b| b.is_ascii_digit()) {
            read.skipped.push(format!(
                "line {line}: {id} is a number several platforms use; give the whole ID \
                 (platform:kind:{id}, as the report shows it)"
            ));
            continue;
        }
        if id.contains(['\n', '\r']) || owner.contains(['\n', '\r']) {
            read.skipped
                .push(format!("line {line}: an ID or owner runs across lines"));
            continue;
        }
        // A later row for the same ID takes its place last (a file of 50,000 rows, each
        // looked for through the entries so far, froze the options page).
        if let Some(earlier) = places.insert(id.to_string(), read.entries.len()) {
            replaced.push(earlier);
        }
        read.entries.push(OwnerMapEntry {
            pattern: id.to_string(),
            owner: owner.to_string(),
        });
    }
    // A quote never closed makes the rest of the file one cell, whichever column it opened in:
    // the rows after it would be lost, or read as one entry's owner.
    // (Its quotes counted from where it starts: a `24"` in a cell before it is no quote.)
    if let Some((at, line, from)) = across_lines
        && at == last
        && text.as_bytes()[from.min(text.len())..]
            .iter()
            .filter(|&&b| b == b'"')
            .count()
            % 2
            == 1
    {
        return Err(format!(
            "line {line}: a quote is not closed, so every line after it reads as one cell; \
             nothing was imported"
        ));
    }
    if !replaced.is_empty() {
        replaced.sort_unstable();
        let mut at = 0;
        read.entries.retain(|_| {
            at += 1;
            replaced.binary_search(&(at - 1)).is_err()
        });
    }
    if read.entries.is_empty() {
        let mut why = "the file names no owners".to_string();
        if !read.skipped.is_empty() {
            why.push_str(&format!(" ({})", read.skipped.join("; ")));
        }
        return Err(why);
    }
    Ok(read)
}

/// `map` with `imported` in it: an imported pattern the map already has takes its new owner in
/// its old place; the others go last.
pub fn merge(map: &mut Vec<OwnerMapEntry>, imported: Vec<OwnerMapEntry>) {
    // Each pattern's place by a lookup: a map of tens of thousands, merged row by row through
    // the list, froze the options page.
    let mut places: std::collections::HashMap<String, usize> = Default::default();
    for (at, e) in map.iter().enumerate() {
        places.entry(e.pattern.clone()).or_insert(at);
    }
    for entry in imported {
        match places.get(&entry.pattern) {
            Some(&at) => map[at].owner = entry.owner,
            None => {
                places.insert(entry.pattern.clone(), map.len());
                map.push(entry);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(read: &OwnerCsv) -> Vec<(&str, &str)> {
        read.entries
            .iter()
            .map(|e| (e.pattern.as_str(), e.owner.as_str()))
            .collect()
    }

    #[test]
    fn plain_rows_and_headers_in_any_order_and_spelling() {
        let read = super::read("github:deploy_key:*,platform-team\nx,\"Doe, J\"\n").unwrap();
        assert_eq!(
            pairs(&read),
            [("github:deploy_key:*", "platform-team"), ("x", "Doe, J")]
        );
        for text in [
            "Owner,Identity ID\nana,okta:api_token:1\n",
            "\u{feff}id,owner_email\r\nokta:api_token:1,ana\r\n",
            "\n  ,\nID or pattern,Owned by\nokta:api_token:1,ana\n",
        ] {
            let read = super::read(text).unwrap();
            assert!(read.skipped.is_empty(), "{text:?}: {:?}", read.skipped);
            assert_eq!(pairs(&read), [("okta:api_token:1", "ana")], "{text:?}");
        }
    }

    #[test]
    fn nhi_lens_own_export_with_owners_filled_in_is_read_by_its_columns() {
        let text = "identity_id,platform,kind,name,location,human,enabled,owner,owner_status\n\
                    okta:api_token:1,okta,api_token,ci,,false,true,ana,unknown\n\
                    okta:api_token:1,okta,api_token,ci,,false,true,ana,unknown\n\
                    okta:api_token:2,okta,api_token,sync,,false,true,,\n";
        let read = super::read(text).unwrap();
        // Never `okta` (the second column) as the owner; the row without one is named.
        assert_eq!(pairs(&read), [("okta:api_token:1", "ana")]);
        assert_eq!(read.skipped, ["line 4: no owner"]);
    }

    #[test]
    fn a_spreadsheets_csv_reads_as_it_was_written() {
        // Excel on Windows: Windows-1252, and semicolons where the comma is the decimal mark.
        let latin = b"id;owner\r\nokta:api_token:1;Jos\xe9 \x80 \x93\r\n";
        let read = super::read_bytes(latin).unwrap();
        assert_eq!(
            pairs(&read),
            [("okta:api_token:1", "Jos\u{e9} \u{20ac} \u{201c}")]
        );
        let quoted = "\"a;b\",platform-team\n";
        assert_eq!(
            pairs(&super::read(quoted).unwrap()),
            [("a;b", "platform-team")]
        );
        let tabs = "okta:api_token:1\tTeam A; Team B\n";
        assert_eq!(
            pairs(&super::read(tabs).unwrap()),
            [("okta:api_token:1", "Team A; Team B")]
        );
        let headerless = "okta:api_token:1;Doe, Jane\nokta:api_token:2;ops\n";
        assert_eq!(
            pairs(&super::read(headerless).unwrap()),
            [
                ("okta:api_token:1", "Doe, Jane"),
                ("okta:api_token:2", "ops")
            ]
        );
        let utf8 = "\u{feff}id\towner\nokta:api_token:1\tJos\u{e9}\n";
        let read = super::read_bytes(utf8.as_bytes()).unwrap();
        assert_eq!(pairs(&read), [("okta:api_token:1", "Jos\u{e9}")]);
        // NHI Lens's own export, its formula guard read back; a plain apostrophe stays.
        let text =
            "identity_id,owner\nokta:api_token:1,'@platform-team\nokta:api_token:2,'t Hooft\n";
        let read = super::read(text).unwrap();
        assert_eq!(
            pairs(&read),
            [
                ("okta:api_token:1", "@platform-team"),
                ("okta:api_token:2", "'t Hooft")
            ]
        );
    }

    #[test]
    fn a_bad_row_is_named_and_never_costs_the_others() {
        let text = "id,owner\na,one\n,,\n\nb,\n,two\nc,three\n   ,   \n";
        let read = super::read(text).unwrap();
        assert_eq!(pairs(&read), [("a", "one"), ("c", "three")]);
        assert_eq!(read.skipped, ["line 5: no owner", "line 6: no ID"]);
    }

    #[test]
    fn a_quote_never_closed_is_an_error_never_one_owner_made_of_the_rest() {
        let text = "id,owner\nokta:api_token:1,\"Platform team\nokta:api_token:2,ana\nokta:api_token:3,bo\n";
        let e = super::read(text).unwrap_err();
        assert!(e.starts_with("line 2: a quote is not closed"), "{e}");
        // Opened in the ID's cell, or in a column of notes.
        for text in [
            "id,owner\nt:1,ana\n\"t:2,bo\nt:3,cy\n",
            "id,owner,notes\na,ana,\"tmp\nb,bo,x\n",
        ] {
            let e = super::read(text).unwrap_err();
            assert!(e.contains("a quote is not closed"), "{text}: {e}");
        }
        // A stray quote before a note across lines whose quote is closed: no error.
        let read =
            super::read("id,owner,notes\nb,bo,24\" monitor\na,ana,\"two\nlines\"\n").unwrap();
        assert_eq!(pairs(&read), [("b", "bo"), ("a", "ana")]);
        // A note across lines, its quote closed: the row imports.
        let read = super::read("id,owner,notes\na,ana,\"two\nlines\"\nb,bo,x\n").unwrap();
        assert_eq!(pairs(&read), [("a", "ana"), ("b", "bo")]);
        // A quoted cell across lines that is closed: that row alone is skipped.
        let text = "id,owner\na,\"two\nlines\"\nb,bo\n";
        let read = super::read(text).unwrap();
        assert_eq!(pairs(&read), [("b", "bo")]);
        assert_eq!(read.skipped, ["line 2: an ID or owner runs across lines"]);
    }

    #[test]
    fn many_rows_naming_ids_again_keep_each_ids_last_owner_in_its_last_place() {
        let mut text = String::new();
        for n in 0..50_000 {
            text.push_str(&format!("id{},owner{n}\n", n % 25_000));
        }
        let read = super::read(&text).unwrap();
        assert_eq!(read.entries.len(), 25_000);
        assert_eq!(pairs(&read)[0], ("id0", "owner25000"));
        assert_eq!(pairs(&read)[24_999], ("id24999", "owner49999"));
    }

    #[test]
    fn a_bare_number_is_skipped_for_the_whole_id_that_names_one_identity() {
        let read = super::read("id,owner\n101,ana\ngithub:webhook:101,bo\n").unwrap();
        assert_eq!(pairs(&read), [("github:webhook:101", "bo")]);
        assert_eq!(
            read.skipped,
            [
                "line 2: 101 is a number several platforms use; give the whole ID (platform:kind:101, as the report shows it)"
            ]
        );
    }

    #[test]
    fn a_header_naming_one_known_column_is_refused_rather_than_read_by_position() {
        let e = super::read("name,owner\nci-bot,ana\n").unwrap_err();
        assert!(
            e.contains("no ID column") && e.contains("identity_id"),
            "{e}"
        );
        let e = super::read("Identity,Contact\nci-bot,ana\n").unwrap_err();
        assert!(e.contains("no owner column"), "{e}");
        let e = super::read("id,owner\na,\n").unwrap_err();
        assert_eq!(e, "the file names no owners (line 2: no owner)");
        assert!(super::read("").is_err());
    }

    #[test]
    fn a_pattern_named_twice_keeps_its_last_owner_and_merging_keeps_places() {
        let read = super::read("a,one\nb,two\na,three\n").unwrap();
        assert_eq!(pairs(&read), [("b", "two"), ("a", "three")]);
        let entry = |p: &str, o: &str| OwnerMapEntry {
            pattern: p.into(),
            owner: o.into(),
        };
        let mut map = vec![entry("a", "old"), entry("z", "zed")];
        merge(&mut map, read.entries);
        assert_eq!(
            map,
            [entry("a", "three"), entry("z", "zed"), entry("b", "two")]
        );
    }
}
