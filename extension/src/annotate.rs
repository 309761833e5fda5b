//! The badge of each identity on the page: risk, owner, age, the top reasons, and the texts its
//! row can be found by.

use nhi_lens::Assessment;
use nhi_lens::model::{
    AccountStatus, Identity, Kind, Timestamp, Usage, days_between, unowned_label,
};
use nhi_lens::protocol::Annotation;
use nhi_lens::score::finding_points;
use nhi_lens::text::collapse;

/// The badge's style sheet, in its shadow root (sent with each page's plan).
///
/// The badge takes no height in the line (its button, 18 px, is centred on it and fits a line of
/// text): a row that grew would move every row after it, which costs the browser a walk of the
/// whole list. The tooltip is fixed where it would sit, so a cell that clips its content (Fluent
/// UI's are positioned with overflow hidden) does not cut it. It lets the pointer through to the
/// rows it covers (hoverable, it stood in the way of the next row's badge), and focus shows it
/// only from the keyboard: a badge clicked keeps the focus, and its tooltip would stay open. Its
/// white space is the host's, reset to normal with the rest.
pub const BADGE_STYLE: &str = concat!(
    ":host{all:initial;display:inline-flex;align-items:center;height:0;vertical-align:middle;margin:0 6px;font:12px/16px system-ui}",
    "button{all:unset;cursor:pointer;display:inline-flex;gap:6px;align-items:center;padding:0 8px;border-radius:10px;border:1px solid #ccc;background:#fff;color:#222;white-space:nowrap}",
    "button:focus-visible{outline:2px solid #0969da}",
    ".dot{width:8px;height:8px;border-radius:50%}",
    ".critical{background:#800}.high{background:#d1391c}.medium{background:#c98b00}.low{background:#2f8f46}.none{background:#999}",
    ".tip{display:none;position:fixed;align-self:flex-start;pointer-events:none;z-index:2147483646;margin-top:14px;max-width:420px;padding:8px 10px;border-radius:6px;background:#222;color:#fff;box-shadow:0 4px 12px #0004}",
    ":host(:hover) .tip,button:focus-visible+.tip{display:block}",
    ".tip div{margin:2px 0}",
    ".who{display:none;margin:0 0 4px;font-weight:600}",
    ":host([data-compact]) .more{display:none}",
    ":host([data-compact]) .who{display:block}",
);

/// How many reasons a badge's tooltip shows.
const REASONS: usize = 3;
/// Evidence longer than this is cut in a tooltip (the card shows it whole).
const REASON_CHARS: usize = 160;

/// The annotation of one assessed identity.
pub fn annotation(a: &Assessment<'_>, now: Timestamp) -> Annotation {
    let identity = a.identity;
    let mut findings: Vec<_> = a.findings.iter().filter(|f| f.is_open()).collect();
    findings.sort_by_key(|f| std::cmp::Reverse(finding_points(f)));
    let reasons = findings
        .iter()
        .take(REASONS)
        .map(|f| {
            let mut text = format!("{} {}: {}", f.rule.code, f.rule.title, f.evidence);
            if text.chars().count() > REASON_CHARS {
                text = text.chars().take(REASON_CHARS - 1).collect();
                text.push('…');
            }
            text
        })
        .collect();
    let (owner, owner_label) = owner(identity);
    Annotation {
        id: identity.id.clone(),
        keys: keys(identity),
        risk: a.level.as_str().to_string(),
        score: a.score,
        owner,
        owner_label,
        age_days: identity.created_at.map(|c| days_between(c, now)),
        label: label(identity, now),
        reasons,
    }
}

/// The owner's name (empty when there is none) and what the badge says of the owner.
fn owner(identity: &Identity) -> (String, String) {
    let primary = identity.ownership.primary();
    let owner = primary.map(|o| o.who.name.clone()).unwrap_or_default();
    // As the side panel writes them: an owner who left is what the admin must see first.
    let owner_label = match primary.filter(|_| !owner.is_empty()) {
        Some(o) if o.who.status == AccountStatus::Disabled => format!("{owner} (disabled)"),
        Some(_) => owner.clone(),
        None => unowned_label(identity.ownership.state(), identity.human).into(),
    };
    (owner, owner_label)
}

/// An annotation for a page NHI Lens reads nothing on, which may show any text: found by the
/// identity's `name`, or by an ID no count, date or short label there could be (eight characters
/// or more, not all digits), never by a short or numeric ID. A secret or a deploy key is named
/// only within its repository or organization: a repository's secret of the same name as the
/// organization's is another secret, so neither is found by its name there.
pub fn elsewhere(mut annotation: Annotation, name: &str, kind: Kind) -> Annotation {
    let name = collapse(name);
    let named_in_scope = matches!(kind, Kind::CiSecret | Kind::DeployKey);
    annotation.keys.retain(|key| {
        if *key == name {
            !named_in_scope
        } else {
            key.chars().count() >= 8 && !key.bytes().all(|b| b.is_ascii_digit())
        }
    });
    annotation
}

/// The texts that name the identity on a console page, each with its runs of white space as one
/// space, as the content script reads a page's text (a page shows `a  b` as `a b`).
fn keys(identity: &Identity) -> Vec<String> {
    let mut keys: Vec<String> = [&identity.name, &identity.native_id]
        .into_iter()
        .chain(&identity.aliases)
        .map(|key| collapse(key))
        .collect();
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

/// `2y old · secret 410d · unused 140d`.
pub fn label(identity: &Identity, now: Timestamp) -> String {
    let mut parts = Vec::new();
    if let Some(created) = identity.created_at {
        parts.push(format!("{} old", span(days_between(created, now))));
    }
    let oldest_secret = identity
        .live_credentials(now)
        .filter(|c| c.kind.is_static_secret())
        .filter_map(|c| c.created_at)
        .min();
    if let Some(at) = oldest_secret {
        parts.push(format!("secret {}d", days_between(at, now).max(0)));
    } else if let Some(end) = all_expired(identity, now) {
        parts.push(format!("expired {}", ago(days_between(end, now))));
    }
    match &identity.usage {
        Usage::Used(last) => {
            let idle = days_between(last.at, now).max(0);
            // Within a day reads as the side panel writes it, not "used 0d ago".
            parts.push(if idle < 30 {
                format!("used {}", ago(idle))
            } else {
                format!("unused {idle}d")
            });
        }
        Usage::Never { .. } => parts.push("never used".into()),
        Usage::NotLoaded | Usage::NotRecorded => {}
    }
    if parts.is_empty() {
        parts.push("age unknown".into());
    }
    if identity.permissions_unread() {
        // Its risk leaves privilege out: the admin should know before reading "LOW".
        parts.push("permissions not read".into());
    }
    parts.join(" · ")
}

/// When the last of the identity's credentials expired, if none is live and the last expiry of
/// any of them is past (some platforms mark an expired token inactive too: GitLab's `active`).
fn all_expired(identity: &Identity, now: Timestamp) -> Option<Timestamp> {
    if identity.live_credentials(now).next().is_some() {
        return None;
    }
    identity
        .credentials
        .iter()
        .filter_map(|c| c.expiry.at())
        .max()
        .filter(|end| *end <= now)
}

/// `today`, `3d ago`.
fn ago(days: i64) -> String {
    match days.max(0) {
        0 => "today".into(),
        days => format!("{days}d ago"),
    }
}

/// `14d`, `5mo`, `2y`.
fn span(days: i64) -> String {
    let days = days.max(0);
    if days < 60 {
        format!("{days}d")
    } else if days < 730 {
        format!("{}mo", days / 30)
    } else {
        format!("{}y", days / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nhi_lens::model::{
        Credential, CredentialKind, Expiry, Kind, LastUse, Ownership, Platform, Precision,
    };
    use time::Duration;
    use time::macros::datetime;

    #[test]
    fn elsewhere_an_identity_is_found_by_its_name_or_a_long_id_only() {
        let annotation = |keys: &[&str]| Annotation {
            id: "github:github_app:31001".into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            risk: "low".into(),
            score: 10,
            owner: String::new(),
            owner_label: "no owner".into(),
            age_days: None,
            label: String::new(),
            reasons: Vec::new(),
        };
        let kept =
            |keys: &[&str], name: &str| elsewhere(annotation(keys), name, Kind::GithubApp).keys;
        assert_eq!(
            kept(&["CI Bot", "31001", "Iv1.8a61f9b3a7aba766"], "CI Bot"),
            ["CI Bot", "Iv1.8a61f9b3a7aba766"]
        );
        // Without a name the first key is an ID, held to the same test.
        assert_eq!(kept(&["31001", "12345678901"], ""), Vec::<String>::new());
        assert_eq!(kept(&["7"], "7"), ["7"]);
        // The name is held as its key is written.
        assert_eq!(kept(&["Pay roll", "7"], " Pay\u{a0} roll"), ["Pay roll"]);
        // A secret's name is its repository's or organization's only.
        let secret =
            |keys: &[&str]| elsewhere(annotation(keys), "DATADOG_API_KEY", Kind::CiSecret).keys;
        assert_eq!(
            secret(&["DATADOG_API_KEY", "acme/DATADOG_API_KEY"]),
            ["acme/DATADOG_API_KEY"]
        );
    }

    #[test]
    fn the_label_says_age_secret_age_and_use() {
        let now = datetime!(2026-11-29 00:00 UTC);
        let mut id = Identity::new(Platform::Entra, Kind::ServicePrincipal, "1", "app");
        assert_eq!(label(&id, now), "age unknown");
        id.grants_unread = true;
        assert_eq!(label(&id, now), "age unknown · permissions not read");
        id.grants_unread = false;
        id.created_at = Some(now - Duration::days(800));
        let mut secret = Credential::new(CredentialKind::Secret);
        secret.created_at = Some(now - Duration::days(410));
        secret.expiry = Expiry::Never;
        id.credentials.push(secret);
        id.usage = Usage::Used(LastUse {
            at: now - Duration::days(140),
            source: "sign-ins".into(),
            precision: Precision::Exact,
        });
        assert_eq!(label(&id, now), "2y old · secret 410d · unused 140d");
        for (ago, says) in [(0, "used today"), (1, "used 1d ago"), (29, "used 29d ago")] {
            id.usage = Usage::Used(LastUse {
                at: now - Duration::days(ago) - Duration::hours(5),
                source: "sign-ins".into(),
                precision: Precision::WholeDays,
            });
            assert_eq!(label(&id, now), format!("2y old · secret 410d · {says}"));
        }
        id.usage = Usage::Never { source: "x".into() };
        id.created_at = Some(now - Duration::days(90));
        assert_eq!(label(&id, now), "3mo old · secret 410d · never used");
    }

    #[test]
    fn the_owner_label_says_an_owner_left_and_a_person_is_a_person() {
        use nhi_lens::model::{AccountStatus, Owner, OwnerSource, Principal};
        let mut id = Identity::new(Platform::Okta, Kind::ApiToken, "t", "SIEM export");
        id.ownership = Ownership::NotRecorded;
        assert_eq!(owner(&id), (String::new(), "owner not recorded".into()));
        id.ownership = Ownership::Known(vec![Owner {
            who: Principal {
                name: "Erik Lund".into(),
                id: None,
                status: AccountStatus::Disabled,
            },
            source: OwnerSource::Explicit,
            basis: "created it".into(),
        }]);
        assert_eq!(
            owner(&id),
            ("Erik Lund".into(), "Erik Lund (disabled)".into())
        );
        let mut person = Identity::new(Platform::Aws, Kind::User, "arn", "jane.doe");
        person.human = true;
        person.ownership = Ownership::NotRecorded;
        assert_eq!(owner(&person).1, "person");
    }

    #[test]
    fn the_label_says_when_every_credential_expired() {
        let now = datetime!(2026-11-29 00:00 UTC);
        let mut id = Identity::new(Platform::Atlassian, Kind::ApiToken, "1", "old-ci");
        id.created_at = Some(now - Duration::days(400));
        let mut token = Credential::new(CredentialKind::Token);
        token.created_at = Some(now - Duration::days(400));
        token.expiry = Expiry::At {
            at: now - Duration::days(30),
        };
        id.credentials.push(token.clone());
        // One marked inactive as well (GitLab's expired tokens) still expired.
        let mut inactive = token.clone();
        inactive.active = false;
        inactive.expiry = Expiry::At {
            at: now - Duration::days(2),
        };
        id.credentials.push(inactive);
        assert_eq!(label(&id, now), "13mo old · expired 2d ago");
        // One revoked before its end says nothing of an expiry.
        let mut revoked = token.clone();
        revoked.active = false;
        revoked.expiry = Expiry::At {
            at: now + Duration::days(9),
        };
        id.credentials.push(revoked);
        assert_eq!(label(&id, now), "13mo old");
        token.expiry = Expiry::At {
            at: now + Duration::days(3),
        };
        id.credentials.push(token);
        assert_eq!(label(&id, now), "13mo old · secret 400d");
    }

    #[test]
    fn keys_are_the_name_the_id_and_aliases() {
        let mut id = Identity::new(Platform::Entra, Kind::ServicePrincipal, "sp-1", "Payroll");
        id.aliases = vec!["app-1".into(), " ".into()];
        assert_eq!(keys(&id), ["Payroll", "sp-1", "app-1"]);
        // As the page shows them: runs of white space (a no-break space too) are one space.
        id.name = " Pay\u{a0} roll\n".into();
        assert_eq!(keys(&id)[0], "Pay roll");
    }
}
