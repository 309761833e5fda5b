//! Reads the record list of a JSON export into typed records, one record at a time.
//!
//! The fast path deserializes the list in one pass and hands each record to the caller as soon as
//! it is read, so no list of raw records is ever held: a 100 MB export costs its bytes plus what
//! the caller keeps. Only when a record has the wrong shape does reading fall back to record-by-
//! record parsing from that record on, so one malformed record costs only itself and is named in
//! the errors.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::probe::json_error_reason;

/// Records read from a list, and the records that could not be read.
#[derive(Debug)]
pub struct Records<T> {
    pub items: Vec<T>,
    /// One message per skipped record, naming its position.
    pub skipped: Vec<String>,
}

/// Reads every record under the top-level `key` (or of a bare top-level array when `key` is
/// `None`) into a list. See [`each`].
pub fn read<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    key: Option<&str>,
) -> Result<Records<T>, String> {
    let mut items = Vec::new();
    let skipped = each(bytes, key, |item| items.push(item))?;
    Ok(Records { items, skipped })
}

/// Calls `f` with every record under the top-level `key` (or of a bare top-level array when `key`
/// is `None`), in order, and returns one message per record it had to skip. A syntax error or a
/// truncated file fails the whole input.
pub fn each<'de, T, F>(bytes: &'de [u8], key: Option<&str>, mut f: F) -> Result<Vec<String>, String>
where
    T: Deserialize<'de>,
    F: FnMut(T),
{
    let bytes = super::probe::strip_bom(bytes);
    let mut delivered = 0usize;
    let fast = walk(bytes, key, |item: T| {
        delivered += 1;
        f(item);
    });
    match fast {
        Ok(()) => Ok(Vec::new()),
        // Records before the bad one were delivered already; go on from the bad one.
        Err(e) if e.is_data() => one_by_one(bytes, key, delivered, &mut |record| {
            // from_slice, like the fast path: one instantiation per record type, not two.
            serde_json::from_slice::<T>(record).map(&mut f)
        }),
        Err(e) => Err(json_error_reason(&e)),
    }
}

/// Reads the list's records from the `from`th on, each apart, with `read`: one that cannot be
/// read is skipped and named. Not generic, so that every record type shares it.
fn one_by_one<'de>(
    bytes: &'de [u8],
    key: Option<&str>,
    from: usize,
    read: &mut dyn FnMut(&'de [u8]) -> Result<(), serde_json::Error>,
) -> Result<Vec<String>, String> {
    let mut raw: Vec<&'de RawValue> = Vec::new();
    walk(bytes, key, |r: &'de RawValue| raw.push(r)).map_err(|e| json_error_reason(&e))?;
    let mut skipped = Vec::new();
    for (index, record) in raw.into_iter().enumerate().skip(from) {
        match read(record.get().as_bytes()) {
            Ok(()) => {}
            Err(_) if is_removal(record) => {}
            Err(e) => skipped.push(format!(
                "record {} skipped: {}",
                index + 1,
                strip_position(&e.to_string())
            )),
        }
    }
    Ok(skipped)
}

/// A delta query's entry for an object removed since (Graph's `{"id": …, "@removed": {…}}`): no
/// record to read, and nothing wrong with the input. (Told by the member's name alone, in a record
/// that could not be read anyway: a type of its own would cost the worker's WebAssembly more.)
fn is_removal(record: &RawValue) -> bool {
    record.get().contains("\"@removed\":")
}

/// serde_json's "at line 1 column 80" is relative to the record, not the file: drop it.
fn strip_position(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |cut| &message[..cut])
}

/// Deserializes the list, calling `f` per element, and checks nothing follows the document.
fn walk<'de, T, F>(bytes: &'de [u8], key: Option<&str>, f: F) -> Result<(), serde_json::Error>
where
    T: Deserialize<'de>,
    F: FnMut(T),
{
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let elements = Elements {
        f,
        marker: PhantomData,
    };
    match key {
        None => de.deserialize_seq(elements)?,
        Some(key) => de.deserialize_map(Member { key, elements })?,
    }
    de.end()
}

/// Visits a sequence, handing each element to `f` without collecting them.
struct Elements<T, F> {
    f: F,
    marker: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>, F: FnMut(T)> Visitor<'de> for Elements<T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<T>()? {
            (self.f)(item);
        }
        Ok(())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        // `"value": null` is an empty list.
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(T)> DeserializeSeed<'de> for Elements<T, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        // Through `Option` rather than any value: serde_json reads any value with code that every
        // record type would repeat (35 of them in the worker's WebAssembly).
        d.deserialize_option(self)
    }
}

/// Visits a top-level object, walking the list under `key` and skipping everything else.
struct Member<'k, T, F> {
    key: &'k str,
    elements: Elements<T, F>,
}

impl<'de, T: Deserialize<'de>, F: FnMut(T)> Visitor<'de> for Member<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a \"{}\" list", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut elements = Some(self.elements);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match elements.take_if(|_| key == self.key) {
                Some(seed) => map.next_value_seed(seed)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
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

    #[test]
    fn reads_a_wrapped_list_in_one_pass() {
        let r: Records<Item> = read(
            br#"{"total_count":2,"items":[{"id":1},{"id":2,"name":"b"}],"x":[1]}"#,
            Some("items"),
        )
        .unwrap();
        assert_eq!(r.items.len(), 2);
        assert!(r.skipped.is_empty());
    }

    #[test]
    fn a_malformed_record_costs_only_itself() {
        let r: Records<Item> = read(
            br#"[{"id":1},{"id":"two"},{"id":3,"name":7},{"id":4}]"#,
            None,
        )
        .unwrap();
        assert_eq!(r.items.iter().map(|i| i.id).collect::<Vec<_>>(), [1, 4]);
        assert_eq!(r.skipped.len(), 2);
        assert!(
            r.skipped[0].starts_with("record 2 skipped: invalid type"),
            "{:?}",
            r.skipped
        );
        assert!(!r.skipped[0].contains("line"));
    }

    #[test]
    fn records_before_a_bad_one_are_delivered_once() {
        let mut seen = Vec::new();
        let skipped = each(
            br#"{"value":[{"id":1},{"id":2},{"id":[]},{"id":4}]}"#,
            Some("value"),
            |i: Item| seen.push(i.id),
        )
        .unwrap();
        assert_eq!(seen, [1, 2, 4]);
        assert_eq!(skipped.len(), 1);
    }

    #[test]
    fn a_truncated_file_is_an_error() {
        let e = read::<Item>(br#"{"items":[{"id":1},{"id""#, Some("items")).unwrap_err();
        assert!(e.contains("ends early"), "{e}");
    }

    #[test]
    fn a_missing_or_null_list_is_empty() {
        assert!(
            read::<Item>(br#"{"kind":"x"}"#, Some("items"))
                .unwrap()
                .items
                .is_empty()
        );
        assert!(
            read::<Item>(br#"{"items":null}"#, Some("items"))
                .unwrap()
                .items
                .is_empty()
        );
    }
}
