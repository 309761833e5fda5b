//! Values the platforms send as JSON numbers that their exports sometimes quote, read by one
//! visitor. serde's untagged enums, which these were, buffer each value in a tree of their own
//! and try each variant on it in turn: slower on every ID of a list, and their buffering's code
//! was a large part of the worker's WebAssembly.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A JSON number or string, as the input has it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    /// A whole number of zero or more (serde_json gives every one of them as unsigned).
    UInt(u64),
    /// A negative whole number.
    Int(i64),
    Float(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a text")
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar, E> {
                Ok(Scalar::UInt(n))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar, E> {
                Ok(u64::try_from(n).map_or(Scalar::Int(n), Scalar::UInt))
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(n))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(s.to_owned()))
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// An ID: a whole number in the API (GitHub's, GitLab's), sometimes quoted in exports.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(try_from = "Scalar")]
pub(crate) enum Id {
    Number(u64),
    Text(String),
}

impl TryFrom<Scalar> for Id {
    type Error = &'static str;

    fn try_from(value: Scalar) -> Result<Self, Self::Error> {
        match value {
            Scalar::UInt(n) => Ok(Id::Number(n)),
            Scalar::Text(s) => Ok(Id::Text(s)),
            Scalar::Int(_) | Scalar::Float(_) => Err("an ID is a whole number or a text"),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Number(n) => write!(f, "{n}"),
            Id::Text(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_texts_are_read_as_the_json_has_them() {
        let read = |json: &str| serde_json::from_str::<Scalar>(json).unwrap();
        assert_eq!(read("42"), Scalar::UInt(42));
        assert_eq!(read("-3"), Scalar::Int(-3));
        assert_eq!(read("1.5"), Scalar::Float(1.5));
        assert_eq!(read("\"7\""), Scalar::Text("7".into()));
        let error = serde_json::from_str::<Scalar>("[1]").unwrap_err();
        assert!(error.to_string().contains("a number or a text"), "{error}");
    }

    #[test]
    fn ids_are_whole_numbers_or_texts() {
        let id = |json: &str| serde_json::from_str::<Id>(json).map(|id| id.to_string());
        assert_eq!(id("12345").unwrap(), "12345");
        assert_eq!(id("\"abc-1\"").unwrap(), "abc-1");
        for bad in ["-1", "1.5", "null", "{}"] {
            assert!(id(bad).is_err(), "{bad} read as an ID");
        }
    }
}
