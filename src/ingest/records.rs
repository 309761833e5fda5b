//! Reads the record list of a JSON export into typed records.
//!
//! The fast path deserializes the whole list in one pass. Only when a record has the wrong shape
//! does it fall back to reading records one by one, so that one malformed record costs only
//! itself and is named in the errors.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::probe::json_error_reason;

/// Records read from a list, and the records that could not be read.
#[derive(Debug)]
pub struct Records<T> {
    pub items: Vec<T>,
    /// One message per skipped record, naming its position.
    pub skipped: Vec<String>,
}

/// Reads the records under the top-level `key` (or of a bare top-level array when `key` is
/// `None`). A syntax error fails the whole input; a record of the wrong shape is skipped.
pub fn read<T: DeserializeOwned>(bytes: &[u8], key: Option<&str>) -> Result<Records<T>, String> {
    let bytes = super::probe::strip_bom(bytes);
    match read_list::<T>(bytes, key) {
        Ok(items) => Ok(Records {
            items,
            skipped: Vec::new(),
        }),
        Err(e) if e.is_data() => read_one_by_one(bytes, key),
        Err(e) => Err(json_error_reason(&e)),
    }
}

fn read_one_by_one<T: DeserializeOwned>(
    bytes: &[u8],
    key: Option<&str>,
) -> Result<Records<T>, String> {
    let raw: Vec<&RawValue> = read_list(bytes, key).map_err(|e| json_error_reason(&e))?;
    let mut items = Vec::with_capacity(raw.len());
    let mut skipped = Vec::new();
    for (index, record) in raw.into_iter().enumerate() {
        match serde_json::from_str::<T>(record.get()) {
            Ok(item) => items.push(item),
            Err(e) => skipped.push(format!(
                "record {} skipped: {}",
                index + 1,
                strip_position(&e.to_string())
            )),
        }
    }
    Ok(Records { items, skipped })
}

/// serde_json's "at line 1 column 80" is relative to the record, not the file: drop it.
fn strip_position(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |cut| &message[..cut])
}

fn read_list<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    key: Option<&str>,
) -> Result<Vec<T>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let items = match key {
        None => Vec::<T>::deserialize(&mut de)?,
        Some(key) => ListSeed {
            key,
            marker: PhantomData,
        }
        .deserialize(&mut de)?,
    };
    de.end()?;
    Ok(items)
}

struct ListSeed<'k, T> {
    key: &'k str,
    marker: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ListSeed<'_, T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListSeed<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a \"{}\" list", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut items = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.key && items.is_none() {
                items = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default());
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(items.unwrap_or_default())
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
