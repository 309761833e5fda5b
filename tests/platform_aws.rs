//! AWS IAM: the credential report joined with the account authorization details.

use std::path::Path;

use nhi_lens::model::{Kind, OwnerSource, Party, Tier, Usage};
use nhi_lens::{Collector, Identity, Policy};

fn read(files: &[&str]) -> Vec<Identity> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws");
    let mut collector = Collector::new();
    for file in files {
        collector.add(file, &std::fs::read(dir.join(file)).unwrap());
    }
    let inventory = collector.finish();
    assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
    inventory.identities
}

fn named<'a>(all: &'a [Identity], name: &str) -> &'a Identity {
    all.iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn tier_of(identity: &Identity, grant: &str) -> Tier {
    identity
        .grants
        .iter()
        .find(|g| g.name == grant)
        .unwrap_or_else(|| panic!("{} has no {grant}: {:?}", identity.name, identity.grants))
        .tier
}

#[test]
fn users_get_their_policies_groups_and_owner_tags() {
    let all = read(&["credential_report.csv", "authorization_details.json"]);
    let deployer = named(&all, "ci-deployer");
    // The report alone shows no policies; with the authorization details, they are read.
    assert!(named(&read(&["credential_report.csv"]), "ci-deployer").grants_unread);
    assert!(!deployer.grants_unread);
    assert_eq!(
        tier_of(deployer, "pass-any-role"),
        Tier::Admin,
        "iam:PassRole on *"
    );
    let via_group = deployer
        .grants
        .iter()
        .find(|g| g.name == "PowerUserAccess")
        .unwrap();
    assert_eq!(via_group.resource.as_deref(), Some("group Deployers"));
    assert_eq!(via_group.tier, Tier::Write);
    let owner = deployer.ownership.primary().unwrap();
    assert_eq!(owner.who.name, "platform-team@acme.example");
    assert_eq!(
        (owner.source, owner.basis.as_str()),
        (OwnerSource::Explicit, "tag owner")
    );

    let backup = named(&all, "backup-job");
    assert_eq!(
        tier_of(backup, "AmazonS3ReadOnlyAccess"),
        Tier::SensitiveRead
    );
    // The customer-managed policy is tiered from its default version (v2), not the older one.
    assert_eq!(tier_of(backup, "backup-writer"), Tier::Write);
}

#[test]
fn roles_are_identities_of_their_own() {
    let all = read(&["authorization_details.json"]);
    assert!(
        all.iter().all(|i| i.kind == Kind::Role),
        "users come from the credential report"
    );
    let deploy = named(&all, "github-actions-deploy");
    assert_eq!(tier_of(deploy, "AdministratorAccess"), Tier::Admin);
    assert_eq!(deploy.ownership.primary().unwrap().who.name, "platform");
    assert!(matches!(deploy.usage, Usage::Used(_)));

    let linked = named(&all, "AWSServiceRoleForElasticLoadBalancing");
    assert_eq!(linked.party(), Party::FirstParty);
    let sso = named(&all, "AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b");
    assert!(sso.human, "people sign in through Identity Center roles");
    let legacy = named(&all, "legacy-reporting-role");
    assert!(matches!(legacy.usage, Usage::Never { .. }));
    assert_eq!(tier_of(legacy, "read-everything"), Tier::SensitiveRead);
}

#[test]
fn role_rules_fire_where_they_should() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws");
    let bytes = std::fs::read(dir.join("authorization_details.json")).unwrap();
    let report = nhi_lens::scan(
        [("authorization_details.json", bytes.as_slice())],
        &Policy::default(),
        nhi_lens::timestamp::parse("2026-11-29T00:00:00Z").unwrap(),
    );
    let codes = |name: &str| -> Vec<&str> {
        report
            .assessments()
            .find(|a| a.identity.name == name)
            .unwrap()
            .findings
            .iter()
            .map(|f| f.rule.code)
            .collect()
    };
    assert!(codes("github-actions-deploy").contains(&"NL301"));
    assert!(
        codes("legacy-reporting-role").contains(&"NL201"),
        "never used in 400 days"
    );
    assert!(codes("AWSServiceRoleForElasticLoadBalancing").is_empty());
    assert!(
        codes("AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b").is_empty(),
        "people are not scored"
    );
}

#[test]
fn one_malformed_record_costs_only_itself_and_missing_use_is_not_never() {
    let details = br#"{
        "UserDetailList": [
            {"UserName": "ci-deployer", "Arn": "arn:aws:iam::123456789012:user/ci-deployer", "GroupList": null,
             "Tags": null, "AttachedManagedPolicies": [
                {"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}
        ],
        "RoleDetailList": [
            {"RoleName": "not-said", "Arn": "arn:aws:iam::123456789012:role/not-said"},
            {"RoleName": "broken", "Arn": "arn:aws:iam::123456789012:role/broken",
             "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]},
            {"RoleName": "idle", "Arn": "arn:aws:iam::123456789012:role/idle", "RoleLastUsed": {},
             "Tags": null, "RolePolicyList": null},
            {"RoleName": "garbled", "Arn": "arn:aws:iam::123456789012:role/garbled",
             "RoleLastUsed": {"LastUsedDate": "last Tuesday"}}
        ]
    }"#;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws");
    let mut collector = Collector::new();
    collector.add(
        "credential_report.csv",
        &std::fs::read(dir.join("credential_report.csv")).unwrap(),
    );
    collector.add("details.json", details);
    let inventory = collector.finish();
    let messages: Vec<&str> = inventory
        .errors
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("RoleDetailList record 2 skipped: missing field `PolicyName`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("last Tuesday")),
        "{messages:?}"
    );
    let all = &inventory.identities;
    assert!(all.iter().all(|i| i.name != "broken"));
    // A null list is an empty one, not a reason to drop the user's permissions.
    assert_eq!(
        tier_of(named(all, "ci-deployer"), "AdministratorAccess"),
        Tier::Admin
    );
    assert!(matches!(named(all, "idle").usage, Usage::Never { .. }));
    // No RoleLastUsed, or a date that cannot be read: use unknown, not "never used".
    assert_eq!(named(all, "not-said").usage, Usage::NotLoaded);
    assert_eq!(named(all, "garbled").usage, Usage::NotLoaded);
}
