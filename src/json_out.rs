//! JSON writing with one formatter for compact and indented text, chosen when writing.
//!
//! serde_json builds every type's `Serialize` code once per writer and formatter type. With its
//! own `CompactFormatter` for messages and `PrettyFormatter` for exports, the extension's
//! WebAssembly held two builds of every report type's code; with [`Layout`] and one writer type
//! (`&mut Vec<u8>` there) it holds one.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Compact JSON, or JSON indented by two spaces as `serde_json::to_writer_pretty` writes it.
#[derive(Default)]
pub struct Layout {
    indented: Option<PrettyFormatter<'static>>,
}

impl Layout {
    /// No white space.
    pub fn compact() -> Self {
        Self { indented: None }
    }

    /// Indented by two spaces, a member or element per line.
    pub fn indented() -> Self {
        Self {
            indented: Some(PrettyFormatter::new()),
        }
    }
}

/// Calls the indenting formatter's method when indenting, the compact one's otherwise.
macro_rules! either {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            #[inline]
            fn $method<W: ?Sized + Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> io::Result<()> {
                match &mut self.indented {
                    Some(pretty) => pretty.$method(writer $(, $arg)*),
                    None => CompactFormatter.$method(writer $(, $arg)*),
                }
            }
        )*
    };
}

impl Formatter for Layout {
    either! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        begin_object_value();
        end_object_value();
    }
}

/// Writes `value` as JSON in `layout`.
pub fn write<W: ?Sized + Write, T: ?Sized + Serialize>(
    out: &mut W,
    value: &T,
    layout: Layout,
) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(out, layout))
}

/// Writes `value` as an export is written: indented, ending in a newline.
pub fn write_document<W: ?Sized + Write, T: ?Sized + Serialize>(
    out: &mut W,
    value: &T,
) -> io::Result<()> {
    write(out, value, Layout::indented()).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// `value` as compact JSON text.
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    write(&mut out, value, Layout::compact())?;
    // serde_json writes only valid UTF-8.
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_writes() {
        let value = serde_json::json!({"a": [1, {"b": []}, {}], "c": {"d": "é\n"}, "e": []});
        assert_eq!(
            to_string(&value).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
        let mut indented = Vec::new();
        write(&mut indented, &value, Layout::indented()).unwrap();
        assert_eq!(
            String::from_utf8(indented).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}
