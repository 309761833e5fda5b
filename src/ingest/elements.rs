//! Reading a large record list on several cores.
//!
//! A 100 MB export is one JSON document, and serde_json reads one document on one core. The list's
//! records are independent, though, so the list is cut at record boundaries and each part is read
//! on its own thread. Finding a boundary in the middle of a document without reading everything
//! before it is a guess (a string may contain `},{`), so the cut is speculative: each part starts at
//! a guessed boundary and the part before it must end exactly there, which proves the guess. Part
//! one starts at the real beginning, so by induction every accepted part is right; when a guess is
//! wrong, the part before it simply reads on to the end.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// Where a list of records is in a document, and how to check what follows it.
pub(super) struct ListSpan {
    /// Offset just after the list's `[`.
    pub body: usize,
    /// Whether the list is a member of a top-level object (rather than the document itself).
    pub in_object: bool,
}

/// How one part of a list ended.
enum PartEnd {
    /// The next record starts at the guessed boundary: the guess was right.
    Boundary,
    /// The list closed; the offset is just after its `]`.
    Close(usize),
}

/// What one part of a list yielded.
struct Part<T> {
    items: Vec<T>,
    /// `(index within the part, message)` for records of the wrong shape.
    skipped: Vec<(usize, String)>,
    end: PartEnd,
    /// The offset where reading stopped (the boundary, or after `]`).
    stop: usize,
}

/// Finds the list: the document itself (`key` is `None`) or the value of a top-level member.
pub(super) fn find_list(bytes: &[u8], key: Option<&str>) -> Option<ListSpan> {
    let mut at = skip_ws(bytes, 0);
    match key {
        None => (bytes.get(at) == Some(&b'[')).then(|| ListSpan {
            body: at + 1,
            in_object: false,
        }),
        Some(key) => {
            if bytes.get(at) != Some(&b'{') {
                return None;
            }
            at += 1;
            loop {
                at = skip_ws(bytes, at);
                if bytes.get(at) != Some(&b'"') {
                    return None;
                }
                let name_end = skip_string(bytes, at)?;
                let name = &bytes[at + 1..name_end - 1];
                at = skip_ws(bytes, name_end);
                if bytes.get(at) != Some(&b':') {
                    return None;
                }
                at = skip_ws(bytes, at + 1);
                if name == key.as_bytes() {
                    return (bytes.get(at) == Some(&b'[')).then(|| ListSpan {
                        body: at + 1,
                        in_object: true,
                    });
                }
                at = skip_ws(bytes, skip_value(bytes, at)?);
                match bytes.get(at) {
                    Some(b',') => at += 1,
                    _ => return None,
                }
            }
        }
    }
}

/// Reads the list starting at `span` on up to `threads` threads, calling `f` with every record in
/// order. Returns the messages of skipped records, or `None` when the document is malformed or no
/// cut could be made (the caller then reads it the ordinary way, which reports errors precisely).
pub(super) fn read_parallel<'de, T, F>(
    bytes: &'de [u8],
    span: &ListSpan,
    threads: usize,
    f: &mut F,
) -> Option<Vec<String>>
where
    T: Deserialize<'de> + Send,
    F: FnMut(T),
{
    let body = span.body;
    let length = bytes.len() - body;
    let mut starts = vec![body];
    for k in 1..threads {
        let guess = guess_boundary(bytes, body + length * k / threads)?;
        if guess > *starts.last().unwrap() {
            starts.push(guess);
        }
    }
    if starts.len() < 2 {
        return None;
    }
    let stops: Vec<Option<usize>> = starts[1..]
        .iter()
        .copied()
        .map(Some)
        .chain([None])
        .collect();

    let parts: Vec<Option<Part<T>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = starts[1..]
            .iter()
            .zip(&stops[1..])
            .map(|(&start, &stop)| scope.spawn(move || read_part::<T>(bytes, start, stop)))
            .collect();
        let first = read_part::<T>(bytes, starts[0], stops[0]);
        std::iter::once(first)
            .chain(handles.into_iter().map(|h| h.join().ok().flatten()))
            .collect()
    });

    // Accept parts in order while each one ends exactly where the next began; deliver nothing
    // until the whole list and what follows it are known to be well formed.
    let mut accepted = Vec::with_capacity(parts.len());
    let mut parts = parts.into_iter();
    let mut part = parts.next().flatten()?;
    loop {
        match part.end {
            PartEnd::Close(end) => {
                if !tail_is_valid(bytes, end, span.in_object) {
                    return None;
                }
                accepted.push(part);
                break;
            }
            PartEnd::Boundary => {
                let stop = part.stop;
                accepted.push(part);
                part = match parts.next().flatten() {
                    Some(next) => next,
                    // The guess proved right but that part failed to read: read on from here.
                    None => read_part::<T>(bytes, stop, None)?,
                };
            }
        }
    }
    let mut skipped = Vec::new();
    let mut delivered = 0usize;
    for part in accepted {
        let records = part.items.len() + part.skipped.len();
        skipped.extend(
            part.skipped
                .into_iter()
                .map(|(i, message)| format!("record {} skipped: {message}", delivered + i + 1)),
        );
        delivered += records;
        part.items.into_iter().for_each(&mut *f);
    }
    Some(skipped)
}

/// Reads records from `start` until the list closes, or until the next record starts exactly at
/// `stop`. Reading past `stop` proves it was no boundary: this part then reads on to the end.
/// `None` when the bytes are not a well-formed list from here.
fn read_part<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    start: usize,
    mut stop: Option<usize>,
) -> Option<Part<T>> {
    let mut part = Part {
        items: Vec::new(),
        skipped: Vec::new(),
        end: PartEnd::Boundary,
        stop: start,
    };
    let mut at = skip_ws(bytes, start);
    if bytes.get(at) == Some(&b']') {
        part.end = PartEnd::Close(at + 1);
        return Some(part);
    }
    let mut index = 0usize;
    loop {
        match stop {
            Some(s) if at == s => {
                part.stop = at;
                return Some(part);
            }
            // Past the guess without landing on it: it was not a boundary.
            Some(s) if at > s => stop = None,
            _ => {}
        }
        let slice = &bytes[at..];
        let mut stream = serde_json::Deserializer::from_slice(slice).into_iter::<T>();
        match stream.next()? {
            Ok(item) => {
                at += stream.byte_offset();
                part.items.push(item);
            }
            Err(e) if e.is_data() => {
                let mut raw = serde_json::Deserializer::from_slice(slice).into_iter::<&RawValue>();
                raw.next()?.ok()?;
                at += raw.byte_offset();
                let message = e.to_string();
                let message = message
                    .find(" at line ")
                    .map_or(message.as_str(), |cut| &message[..cut]);
                part.skipped.push((index, message.to_string()));
            }
            Err(_) => return None,
        }
        index += 1;
        at = skip_ws(bytes, at);
        match bytes.get(at) {
            Some(b',') => at = skip_ws(bytes, at + 1),
            Some(b']') => {
                part.end = PartEnd::Close(at + 1);
                return Some(part);
            }
            _ => return None,
        }
    }
}

/// After the list: the rest of the document must close properly.
fn tail_is_valid(bytes: &[u8], after: usize, in_object: bool) -> bool {
    let at = skip_ws(bytes, after);
    if !in_object {
        return at == bytes.len();
    }
    match bytes.get(at) {
        Some(b'}') => skip_ws(bytes, at + 1) == bytes.len(),
        Some(b',') => {
            // More members follow: check them as an object of their own.
            let mut rest = Vec::with_capacity(bytes.len() - at);
            rest.push(b'{');
            rest.extend_from_slice(&bytes[at + 1..]);
            serde_json::from_slice::<IgnoredAny>(&rest).is_ok()
        }
        _ => false,
    }
}

/// The start of the first record after `from` that looks like a boundary: `,` then `{`.
fn guess_boundary(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at < bytes.len() {
        let comma = at + bytes[at..].iter().position(|&b| b == b',')?;
        let next = skip_ws(bytes, comma + 1);
        if bytes.get(next) == Some(&b'{') {
            return Some(next);
        }
        at = comma + 1;
    }
    None
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\n' | b'\r' | b'\t') {
        at += 1;
    }
    at
}

/// From an opening quote to just after the closing one.
fn skip_string(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// Just after the JSON value starting at `start`.
fn skip_value(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => skip_string(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = start;
            while at < bytes.len() {
                match bytes[at] {
                    b'"' => {
                        at = skip_string(bytes, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            None
        }
        _ => {
            let end = bytes[start..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                .map_or(bytes.len(), |p| start + p);
            Some(end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: u32,
        #[serde(default)]
        name: Option<String>,
    }

    /// Reads `doc` sequentially and with `threads` parts; both must agree.
    fn both(doc: &str, key: Option<&str>, threads: usize) -> (Vec<Item>, Option<Vec<String>>) {
        let bytes = doc.as_bytes();
        let span = find_list(bytes, key).expect("the list is found");
        let mut items = Vec::new();
        let skipped = read_parallel(bytes, &span, threads, &mut |i: Item| items.push(i));
        if let Some(skipped) = &skipped {
            let sequential = crate::ingest::records::read::<Item>(bytes, key).unwrap();
            assert_eq!(
                items, sequential.items,
                "parallel and sequential reads differ"
            );
            assert_eq!(skipped, &sequential.skipped);
        }
        (items, skipped)
    }

    fn list(n: u32, name: impl Fn(u32) -> String) -> String {
        let records: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":{i},"name":{}}}"#,
                    serde_json::to_string(&name(i)).unwrap()
                )
            })
            .collect();
        format!("[{}]", records.join(", "))
    }

    #[test]
    fn parts_read_in_parallel_come_back_in_order() {
        let doc = format!(
            r#"{{"@odata.context":"x","value":{},"@odata.nextLink":"y"}}"#,
            list(1000, |i| format!("app {i}"))
        );
        for threads in 2..=4 {
            let (items, skipped) = both(&doc, Some("value"), threads);
            assert!(skipped.is_some());
            assert_eq!(items.len(), 1000);
            assert!(
                items
                    .iter()
                    .enumerate()
                    .all(|(i, item)| item.id as usize == i)
            );
        }
    }

    #[test]
    fn a_boundary_lookalike_inside_a_string_is_rejected_by_the_part_before_it() {
        // Every name holds `},{`, so most guessed cuts land inside a string.
        let doc = list(500, |i| format!(r#"x"}},{{"id":{i},"name":"y"#));
        for threads in 2..=4 {
            let (items, skipped) = both(&doc, None, threads);
            assert!(skipped.is_some());
            assert_eq!(items.len(), 500);
            assert!(items[7].name.as_deref().unwrap().contains("},{"));
        }
    }

    #[test]
    fn a_wrong_record_is_skipped_and_numbered_across_parts() {
        let mut records: Vec<String> = (0..400).map(|i| format!(r#"{{"id":{i}}}"#)).collect();
        records[350] = r#"{"id":"three hundred fifty"}"#.into();
        let doc = format!("[{}]", records.join(","));
        let (items, skipped) = both(&doc, None, 2);
        assert_eq!(items.len(), 399);
        let skipped = skipped.unwrap();
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].starts_with("record 351 skipped"), "{skipped:?}");
    }

    #[test]
    fn a_malformed_document_is_left_to_the_sequential_reader() {
        let good = list(300, |i| format!("n{i}"));
        let truncated = &good[..good.len() - 40];
        let span = find_list(truncated.as_bytes(), None).unwrap();
        let mut items: Vec<Item> = Vec::new();
        assert!(read_parallel(truncated.as_bytes(), &span, 2, &mut |i| items.push(i)).is_none());
        assert!(
            items.is_empty(),
            "nothing is delivered from a document that fails"
        );
        let trailing = format!(r#"{{"value":{good},"x":[1,}}"#);
        let span = find_list(trailing.as_bytes(), Some("value")).unwrap();
        assert!(read_parallel(trailing.as_bytes(), &span, 2, &mut |i| items.push(i)).is_none());
        assert!(items.is_empty());
    }

    #[test]
    fn the_list_is_found_after_other_members() {
        let doc = r#" { "total_count": 2, "meta": {"a": [1, {"b": "]"}]}, "installations" : [{"id":1}] }"#;
        let span = find_list(doc.as_bytes(), Some("installations")).unwrap();
        assert_eq!(&doc[span.body - 1..span.body], "[");
        assert!(find_list(doc.as_bytes(), Some("missing")).is_none());
    }
}
