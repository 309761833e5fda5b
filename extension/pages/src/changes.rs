//! What changed since the admin's last review: per-identity marks, counts and the filter.

use std::collections::HashMap;

use nhi_lens::protocol::Change;

crate::choices::choices! {
    /// The kinds of change, in the order the pages list them. The values are the protocol's names
    /// (`risk_up`), used in selectors and filter values; the labels are how the counts line names
    /// them.
    pub enum ChangeKind {
        New => "new", "new";
        Removed => "removed", "removed";
        RiskUp => "risk_up", "risk up";
        RiskDown => "risk_down", "risk down";
        ScopesGrown => "scopes_grown", "scopes grown";
    }
}

impl ChangeKind {
    pub fn of(change: &Change) -> ChangeKind {
        match change {
            Change::New { .. } => ChangeKind::New,
            Change::Removed { .. } => ChangeKind::Removed,
            Change::RiskUp { .. } => ChangeKind::RiskUp,
            Change::RiskDown { .. } => ChangeKind::RiskDown,
            Change::ScopesGrown { .. } => ChangeKind::ScopesGrown,
        }
    }

    /// The short marker drawn on a row.
    pub fn marker(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Removed => "removed",
            ChangeKind::RiskUp => "▲ risk",
            ChangeKind::RiskDown => "▼ risk",
            ChangeKind::ScopesGrown => "+ scopes",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The set of changes of one identity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Marks(u8);

impl Marks {
    pub fn with(self, kind: ChangeKind) -> Marks {
        Marks(self.0 | kind.bit())
    }

    pub fn has(self, kind: ChangeKind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn any(self) -> bool {
        self.0 != 0
    }

    pub fn is_new(self) -> bool {
        self.has(ChangeKind::New)
    }

    pub fn kinds(self) -> impl Iterator<Item = ChangeKind> {
        ChangeKind::ALL.into_iter().filter(move |k| self.has(*k))
    }

    /// Space-separated protocol names, for a `data-` attribute.
    pub fn names(self) -> String {
        self.kinds()
            .map(ChangeKind::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The marks of every identity named by `changes`.
pub fn marks(changes: &[Change]) -> HashMap<&str, Marks> {
    let mut out: HashMap<&str, Marks> = HashMap::new();
    for c in changes {
        let m = out.entry(c.id()).or_default();
        *m = m.with(ChangeKind::of(c));
    }
    out
}

/// How many changes of each kind, in [`ChangeKind::ALL`] order.
pub fn counts(changes: &[Change]) -> [(ChangeKind, usize); 5] {
    ChangeKind::ALL.map(|k| (k, changes.iter().filter(|c| ChangeKind::of(c) == k).count()))
}

/// One sentence about a change, for the detail view.
pub fn describe(change: &Change) -> String {
    match change {
        Change::New { .. } => "New since your last review.".into(),
        Change::Removed { name, level, .. } => {
            format!("{name} ({level}) is gone since your last review.")
        }
        Change::RiskUp { from, to, .. } => {
            format!("Risk rose from {from} to {to} since your last review.")
        }
        Change::RiskDown { from, to, .. } => {
            format!("Risk fell from {from} to {to} since your last review.")
        }
        Change::ScopesGrown { added, .. } => {
            format!(
                "Gained {} since your last review: {}.",
                if added.len() == 1 {
                    "a scope"
                } else {
                    "scopes"
                },
                added.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_counts() {
        let changes = vec![
            Change::New { id: "a".into() },
            Change::RiskUp {
                id: "b".into(),
                from: "low".into(),
                to: "high".into(),
            },
            Change::ScopesGrown {
                id: "b".into(),
                added: vec!["repo".into()],
            },
            Change::Removed {
                id: "c".into(),
                name: "Old".into(),
                level: "low".into(),
            },
        ];
        let m = marks(&changes);
        assert!(m["a"].is_new());
        assert!(m["b"].has(ChangeKind::RiskUp) && m["b"].has(ChangeKind::ScopesGrown));
        assert!(!m["b"].is_new());
        assert_eq!(m["b"].names(), "risk_up scopes_grown");
        let c = counts(&changes);
        assert_eq!(c[0], (ChangeKind::New, 1));
        assert_eq!(c[1], (ChangeKind::Removed, 1));
        assert_eq!(c[3], (ChangeKind::RiskDown, 0));
        assert_eq!(ChangeKind::parse("risk_down"), Some(ChangeKind::RiskDown));
        assert_eq!(
            describe(&changes[2]),
            "Gained a scope since your last review: repo."
        );
    }
}
