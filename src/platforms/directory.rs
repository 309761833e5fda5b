//! People from directory listings (Graph `users`, Okta `users`, Google `users`). They are never
//! reported themselves: they only tell whether an identity's owner is still active, and give a
//! readable name to an owner the data names only by ID.

use rustc_hash::FxHashMap;

use crate::model::{AccountStatus, Identity, Platform};

/// A person as a directory lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub status: AccountStatus,
}

/// Everyone the directory inputs listed, by platform and by every key the platform may use for
/// them (ID, login, email), compared without case.
#[derive(Clone, Default)]
pub struct Directory {
    people: FxHashMap<(Platform, String), Person>,
}

crate::platforms::absorb!(Directory { people });

impl Directory {
    /// Records a person under each of `keys` (empty keys are skipped).
    pub fn add(&mut self, platform: Platform, keys: &[&str], person: Person) {
        for key in keys.iter().filter(|k| !k.trim().is_empty()) {
            self.people
                .insert((platform, key.trim().to_lowercase()), person.clone());
        }
    }

    /// Whether any directory input was read.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The person a platform knows by `key`.
    pub fn find(&self, platform: Platform, key: &str) -> Option<&Person> {
        self.people.get(&(platform, key.trim().to_lowercase()))
    }

    /// Gives every owner and approver found in the directory its account status, and its name
    /// where the data named them only by ID. Someone missing from the directory keeps their
    /// status: a listing may be one page of many, so absence is not proof of departure.
    pub fn resolve(&self, identities: &mut [Identity]) {
        if self.is_empty() {
            return;
        }
        for identity in identities {
            let platform = identity.platform;
            if let crate::model::Ownership::Known(owners) = &mut identity.ownership {
                for owner in owners {
                    self.resolve_one(platform, &mut owner.who);
                }
            }
            for approver in &mut identity.approved_by {
                self.resolve_one(platform, approver);
            }
        }
    }

    fn resolve_one(&self, platform: Platform, who: &mut crate::model::Principal) {
        let person = who
            .id
            .as_deref()
            .and_then(|id| self.find(platform, id))
            .or_else(|| self.find(platform, &who.name));
        if let Some(person) = person {
            who.status = person.status;
            if who.id.as_deref() == Some(who.name.as_str()) && !person.name.is_empty() {
                who.name = person.name.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Owner, OwnerSource, Ownership, Principal};

    #[test]
    fn owners_get_status_and_names_from_the_directory() {
        let mut directory = Directory::default();
        directory.add(
            Platform::Okta,
            &["00u1", "ann@acme.example"],
            Person {
                name: "Ann Lee".into(),
                status: AccountStatus::Disabled,
            },
        );
        let mut token = Identity::new(Platform::Okta, Kind::ApiToken, "00T1", "t");
        token.ownership = Ownership::Known(vec![Owner {
            who: Principal {
                name: "00u1".into(),
                id: Some("00u1".into()),
                status: AccountStatus::Unknown,
            },
            source: OwnerSource::Explicit,
            basis: "userId".into(),
        }]);
        let mut other = token.clone();
        other.platform = Platform::Github;
        let mut all = [token, other];
        directory.resolve(&mut all);
        let owner = &all[0].ownership.owners()[0].who;
        assert_eq!(
            (owner.name.as_str(), owner.status),
            ("Ann Lee", AccountStatus::Disabled)
        );
        let untouched = &all[1].ownership.owners()[0].who;
        assert_eq!(
            untouched.status,
            AccountStatus::Unknown,
            "directories are per platform"
        );
    }
}
