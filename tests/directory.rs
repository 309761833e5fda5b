//! Directory listings of people resolve the owners of identities: their names and whether their
//! accounts are still active.

use std::path::Path;

use nhi_lens::model::AccountStatus;
use nhi_lens::{Collector, Policy};

fn read(files: &[&str]) -> nhi_lens::Inventory {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut collector = Collector::new();
    for file in files {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        collector.add(file, &bytes);
    }
    collector.finish()
}

#[test]
fn an_entra_users_list_tells_which_owners_are_gone() {
    let owners = "entra/applications_6920caa5-1cae-4bc8-bf59-9c0b8495d240_owners.json";
    let without = read(&["entra/applications.json", owners]);
    let with = read(&["entra/applications.json", owners, "entra/users.json"]);
    assert!(
        without.errors.is_empty() && with.errors.is_empty(),
        "{:?}",
        with.errors
    );
    let app = |inv: &nhi_lens::Inventory| {
        inv.identities
            .iter()
            .find(|i| {
                i.aliases
                    .iter()
                    .any(|a| a == "6920caa5-1cae-4bc8-bf59-9c0b8495d240")
            })
            .cloned()
            .expect("the app with the owners list")
    };
    let statuses = |i: &nhi_lens::Identity| -> Vec<(String, AccountStatus)> {
        i.ownership
            .owners()
            .iter()
            .map(|o| (o.who.name.clone(), o.who.status))
            .collect()
    };
    let before = statuses(&app(&without));
    assert!(
        before.iter().any(|(_, s)| *s == AccountStatus::Active),
        "{before:?}"
    );
    let after = statuses(&app(&with));
    assert!(
        after.iter().all(|(_, s)| *s == AccountStatus::Disabled),
        "{after:?}"
    );

    // With every owner gone, the offboarding rule fires.
    let report = nhi_lens::assess(
        with,
        &Policy::default(),
        nhi_lens::timestamp::parse("2026-11-29").unwrap(),
    );
    let fired = report
        .assessments()
        .filter(|a| {
            a.identity
                .aliases
                .iter()
                .any(|x| x == "6920caa5-1cae-4bc8-bf59-9c0b8495d240")
        })
        .flat_map(|a| a.findings.iter().map(|f| f.rule.code))
        .collect::<Vec<_>>();
    assert!(fired.contains(&"NL205"), "{fired:?}");
}

#[test]
fn people_lists_are_not_identities() {
    let inventory = read(&["entra/users.json", "entra/users_partial.json"]);
    assert!(inventory.identities.is_empty());
    assert!(inventory.errors.is_empty());
}
