//! Saving options edited in one tab without undoing what another saved meanwhile: the admin's
//! edits (what changed from the options the page read to what it shows) are made again on the
//! options the background holds now. An owner map imported, or an instance added, in a second
//! options tab survives a save from the first.

use std::collections::HashMap;

use super::{AllowEntry, Options, OwnerMapEntry};
use crate::console::Instance;

impl Options {
    /// A hash of the options as JSON: what an options page tells the background it read (see
    /// [`super::Request::SetOptions`]), the options themselves staying on the page. FNV-1a cut
    /// to 53 bits, so that it crosses JavaScript's numbers whole.
    pub fn fingerprint(&self) -> u64 {
        let text = crate::json_out::to_string(self).unwrap_or_default();
        crate::fingerprint::fnv1a(text.as_bytes()) & ((1 << 53) - 1)
    }

    /// `current` with the edits that made `self` from `base` made on it. A setting edited takes
    /// the edited value, one left alone keeps `current`'s. In a list, an entry the edit added or
    /// changed (by its key: an owner map's pattern, an allowed ID and its inventory, an instance's host) takes the
    /// place of `current`'s of that key, or comes last; one it removed goes, unless it was
    /// changed since; every other entry of `current` stays.
    pub fn rebased(&self, base: &Options, current: &Options) -> Options {
        // Nothing saved meanwhile: the edit as it is, its lists in its order.
        if current == base {
            return self.clone();
        }
        fn value<T: Clone + PartialEq>(edited: &T, base: &T, current: &T) -> T {
            if edited == base { current } else { edited }.clone()
        }
        Options {
            secret_max_age_days: value(
                &self.secret_max_age_days,
                &base.secret_max_age_days,
                &current.secret_max_age_days,
            ),
            dormant_days: value(
                &self.dormant_days,
                &base.dormant_days,
                &current.dormant_days,
            ),
            expiry_horizon_days: value(
                &self.expiry_horizon_days,
                &base.expiry_horizon_days,
                &current.expiry_horizon_days,
            ),
            expiring_soon_days: value(
                &self.expiring_soon_days,
                &base.expiring_soon_days,
                &current.expiring_soon_days,
            ),
            allow: rebase_list(
                &self.allow,
                &base.allow,
                &current.allow,
                // One ID may be allowed in one inventory and in another, for two reasons.
                |e: &AllowEntry| (&e.id, e.tenant.as_deref().unwrap_or_default()),
            ),
            owner_map: rebase_list(
                &self.owner_map,
                &base.owner_map,
                &current.owner_map,
                |e: &OwnerMapEntry| (&e.pattern, ""),
            ),
            disabled_platforms: {
                // A set, kept sorted as the options page writes it.
                let mut off = rebase_list(
                    &self.disabled_platforms,
                    &base.disabled_platforms,
                    &current.disabled_platforms,
                    |p: &String| (p, ""),
                );
                off.sort();
                off
            },
            instances: rebase_list(
                &self.instances,
                &base.instances,
                &current.instances,
                |i: &Instance| (&i.host, ""),
            ),
        }
    }
}

/// `current` with the edits from `base` to `edited` made on it, entries told apart by `key`.
fn rebase_list<T: Clone + PartialEq>(
    edited: &[T],
    base: &[T],
    current: &[T],
    key: fn(&T) -> (&str, &str),
) -> Vec<T> {
    let in_base: HashMap<(&str, &str), &T> = base.iter().map(|e| (key(e), e)).collect();
    let in_edited: HashMap<(&str, &str), &T> = edited.iter().map(|e| (key(e), e)).collect();
    // What the edit set: entries added, or changed from the base.
    let mut set: HashMap<(&str, &str), &T> = edited
        .iter()
        .filter(|e| in_base.get(&key(e)) != Some(e))
        .map(|e| (key(e), e))
        .collect();
    let removed = |c: &T| !in_edited.contains_key(&key(c)) && in_base.get(&key(c)) == Some(&c);
    let mut out = Vec::with_capacity(current.len() + set.len());
    for c in current {
        match set.remove(&key(c)) {
            Some(e) => out.push(e.clone()),
            None if removed(c) => {}
            None => out.push(c.clone()),
        }
    }
    out.extend(
        edited
            .iter()
            .filter(|e| set.remove(&key(e)).is_some())
            .cloned(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    fn owner(pattern: &str, owner: &str) -> OwnerMapEntry {
        OwnerMapEntry {
            pattern: pattern.into(),
            owner: owner.into(),
        }
    }

    fn with_owners(owners: &[(&str, &str)]) -> Options {
        Options {
            owner_map: owners.iter().map(|(p, o)| owner(p, o)).collect(),
            ..Options::default()
        }
    }

    #[test]
    fn a_save_keeps_what_another_tab_saved_meanwhile() {
        let base = with_owners(&[("a", "ann")]);
        // This tab raised a threshold and allowed an ID.
        let mut edited = base.clone();
        edited.dormant_days = 120;
        edited.allow.push(AllowEntry {
            id: "github:bot:1".into(),
            reason: "reviewed".into(),
            tenant: None,
        });
        // Another tab imported owners, added an instance and turned Slack off.
        let mut current = with_owners(&[("a", "ann"), ("b", "bo"), ("c*", "cy")]);
        current.instances.push(Instance {
            platform: Platform::Gitlab,
            host: "gitlab.example.com".into(),
        });
        current.disabled_platforms.push("slack".into());
        current.secret_max_age_days = 30;

        let saved = edited.rebased(&base, &current);
        assert_eq!(saved.owner_map, current.owner_map);
        assert_eq!(saved.instances, current.instances);
        assert_eq!(saved.disabled_platforms, ["slack"]);
        assert_eq!(
            saved.secret_max_age_days, 30,
            "left alone here: the other tab's"
        );
        assert_eq!(saved.dormant_days, 120, "edited here");
        assert_eq!(saved.allow, edited.allow);
    }

    #[test]
    fn one_id_allowed_in_two_inventories_is_two_entries() {
        let allowed = |tenant: Option<&str>, reason: &str| AllowEntry {
            id: "slack:oauth_app:A01".into(),
            reason: reason.into(),
            tenant: tenant.map(str::to_string),
        };
        let base = Options::default();
        // This tab allowed the app in one workspace; another tab, in a second workspace.
        let edited = Options {
            allow: vec![allowed(Some("slack:T1"), "ours")],
            ..Options::default()
        };
        let current = Options {
            allow: vec![allowed(Some("slack:T2"), "theirs")],
            ..Options::default()
        };
        let saved = edited.rebased(&base, &current);
        assert_eq!(
            saved.allow,
            [
                allowed(Some("slack:T2"), "theirs"),
                allowed(Some("slack:T1"), "ours")
            ]
        );
        // Removing one workspace's entry leaves the other's, and one added meanwhile.
        let one_gone = Options {
            allow: vec![allowed(Some("slack:T1"), "ours")],
            ..Options::default()
        };
        let now = Options {
            allow: vec![
                allowed(Some("slack:T2"), "theirs"),
                allowed(Some("slack:T1"), "ours"),
                allowed(None, "everywhere"),
            ],
            ..Options::default()
        };
        assert_eq!(
            one_gone.rebased(&saved, &now).allow,
            [
                allowed(Some("slack:T1"), "ours"),
                allowed(None, "everywhere")
            ]
        );
    }

    #[test]
    fn entries_removed_or_changed_here_are_so_in_place_and_new_ones_come_last() {
        let base = with_owners(&[("a", "ann"), ("b", "bo"), ("c", "cy")]);
        let edited = with_owners(&[("b", "bea"), ("c", "cy"), ("d", "di")]);
        let current = with_owners(&[("a", "ann"), ("b", "bo"), ("z", "zed"), ("c", "cy")]);
        assert_eq!(
            edited.rebased(&base, &current).owner_map,
            [
                owner("b", "bea"),
                owner("z", "zed"),
                owner("c", "cy"),
                owner("d", "di")
            ]
        );
    }

    #[test]
    fn an_entry_removed_here_but_changed_in_another_tab_stays_as_changed_there() {
        let base = with_owners(&[("a", "ann")]);
        let edited = with_owners(&[]);
        let current = with_owners(&[("a", "al")]);
        assert_eq!(
            edited.rebased(&base, &current).owner_map,
            [owner("a", "al")]
        );
    }

    #[test]
    fn a_fingerprint_tells_options_apart_and_crosses_javascript_whole() {
        let read = with_owners(&[("a", "ann")]);
        let other = with_owners(&[("a", "al")]);
        assert_eq!(read.fingerprint(), read.clone().fingerprint());
        assert_ne!(read.fingerprint(), other.fingerprint());
        for options in [read, other, Options::default()] {
            let number = options.fingerprint();
            assert!(
                number < 1 << 53,
                "{number} is not exact as a JavaScript number"
            );
            assert_eq!(number as f64 as u64, number);
        }
    }

    #[test]
    fn consoles_turned_off_stay_a_sorted_set() {
        let base = Options {
            disabled_platforms: vec!["slack".into()],
            ..Options::default()
        };
        let edited = Options {
            disabled_platforms: vec!["github".into(), "slack".into()],
            ..Options::default()
        };
        assert_eq!(edited.rebased(&base, &base), edited);
        let mut current = base.clone();
        current.disabled_platforms.push("okta".into());
        assert_eq!(
            edited.rebased(&base, &current).disabled_platforms,
            ["github", "okta", "slack"]
        );
    }

    #[test]
    fn with_nothing_saved_meanwhile_the_edit_is_saved_as_it_is() {
        let base = with_owners(&[("a", "ann"), ("b", "bo")]);
        let mut edited = with_owners(&[("b", "bo"), ("e", "eve")]);
        edited.disabled_platforms = vec!["okta".into()];
        edited.expiring_soon_days = 3;
        assert_eq!(edited.rebased(&base, &base), edited);
    }
}
