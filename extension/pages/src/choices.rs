//! Fixed sets of choices the pages list and read back (filters, kinds of change).

/// Declares an enum of choices with, in the order written: `ALL`, each choice's value
/// (`as_str`: what a filter, a selector or an `<option>` holds), its label, and `parse`, which
/// reads a value back.
macro_rules! choices {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $value:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every choice, in the order the pages list them.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The choice's value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }

            /// How the pages name the choice.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The choice whose value `text` is.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|c| c.as_str() == text)
            }

            /// Every choice's value and label, in order (a list's options).
            pub fn listed() -> Vec<(&'static str, String)> {
                $name::ALL
                    .iter()
                    .map(|c| (c.as_str(), c.label().to_string()))
                    .collect()
            }
        }
    };
}

pub(crate) use choices;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::fmt::Debug;

    use crate::changes::ChangeKind;
    use crate::view::{AgeFilter, OwnerFilter};

    /// Every choice's value reads back as that choice; values and labels are unique and written.
    fn reads_back<T: Copy + PartialEq + Debug>(
        all: &[T],
        value: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        for &choice in all {
            assert_eq!(parse(value(choice)), Some(choice));
            assert!(!label(choice).trim().is_empty(), "{choice:?}");
        }
        let values: HashSet<_> = all.iter().map(|c| value(*c)).collect();
        let labels: HashSet<_> = all.iter().map(|c| label(*c)).collect();
        assert_eq!((values.len(), labels.len()), (all.len(), all.len()));
        assert_eq!(parse(""), None);
        assert_eq!(parse("no such choice"), None);
    }

    #[test]
    fn every_choice_reads_back_from_its_value() {
        reads_back(
            &ChangeKind::ALL,
            ChangeKind::as_str,
            ChangeKind::label,
            ChangeKind::parse,
        );
        reads_back(
            &OwnerFilter::ALL,
            OwnerFilter::as_str,
            OwnerFilter::label,
            OwnerFilter::parse,
        );
        // Listed in the order the panel offers them: "needs an owner" first.
        let owners = OwnerFilter::listed();
        assert_eq!(owners.len(), OwnerFilter::ALL.len());
        assert_eq!(owners[0], ("needs_owner", "needs an owner".to_string()));
        reads_back(
            &AgeFilter::ALL,
            AgeFilter::as_str,
            AgeFilter::label,
            AgeFilter::parse,
        );
    }
}
