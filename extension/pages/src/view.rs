//! The inventory table's view: which rows pass the filters and the search box, in which order.

use std::cmp::Ordering;

use nhi_lens::score::Level;

use crate::age::DAY;
use crate::changes::ChangeKind;
use crate::model::Row;

/// A column of the inventory table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Risk,
    Name,
    Platform,
    Kind,
    Owner,
    Age,
    LastUsed,
    OldestSecret,
    Expires,
}

impl Column {
    /// In the order shown: what an admin acts on first (its risk, who owns it, how old it is)
    /// stays in view in a narrow side panel; the platform last, as a tenant's inventory is of one.
    pub const ALL: [Column; 9] = [
        Column::Risk,
        Column::Name,
        Column::Owner,
        Column::Age,
        Column::Kind,
        Column::LastUsed,
        Column::OldestSecret,
        Column::Expires,
        Column::Platform,
    ];

    /// The header text.
    pub fn title(self) -> &'static str {
        match self {
            Column::Risk => "Risk",
            Column::Name => "Name",
            Column::Platform => "Platform",
            Column::Kind => "Kind",
            Column::Owner => "Owner",
            Column::Age => "Age",
            Column::LastUsed => "Last used",
            Column::OldestSecret => "Oldest secret",
            Column::Expires => "Expires",
        }
    }

    /// The stable name used in `data-nhi-sort`.
    pub fn as_str(self) -> &'static str {
        match self {
            Column::Risk => "risk",
            Column::Name => "name",
            Column::Platform => "platform",
            Column::Kind => "kind",
            Column::Owner => "owner",
            Column::Age => "age",
            Column::LastUsed => "last_used",
            Column::OldestSecret => "oldest_secret",
            Column::Expires => "expires",
        }
    }

    /// The direction a first click sorts in: worst first for risk and ages, A→Z for text,
    /// soonest first for expiry.
    pub fn first_direction(self) -> Direction {
        match self {
            Column::Risk | Column::Age | Column::LastUsed | Column::OldestSecret => {
                Direction::Descending
            }
            _ => Direction::Ascending,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Direction {
    /// The `aria-sort` value.
    pub fn aria(self) -> &'static str {
        match self {
            Direction::Ascending => "ascending",
            Direction::Descending => "descending",
        }
    }
}

/// The table's order. Directions follow what the column shows: the Age column descending is
/// oldest first, Last used descending is longest unused first, Expires ascending is soonest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: Column,
    pub direction: Direction,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: Column::Risk,
            direction: Direction::Descending,
        }
    }
}

impl Sort {
    /// The order after a click on `column`'s header: the other direction on the same column, the
    /// column's first direction on another.
    pub fn clicked(self, column: Column) -> Sort {
        let direction = if self.column == column {
            match self.direction {
                Direction::Ascending => Direction::Descending,
                Direction::Descending => Direction::Ascending,
            }
        } else {
            column.first_direction()
        };
        Sort { column, direction }
    }
}

crate::choices::choices! {
    /// The owner filter.
    pub enum OwnerFilter {
        /// Missing or disabled: someone should be named.
        NeedsOwner => "needs_owner", "needs an owner";
        /// Has an active (or unknown-status) owner.
        Known => "known", "has an owner";
        /// The owner's account is disabled or gone.
        Disabled => "disabled", "owner disabled";
        /// The data names no owner.
        Missing => "missing", "no owner";
        /// The owners were not loaded.
        NotLoaded => "not_loaded", "owner not loaded";
        /// The platform does not record owners.
        NotRecorded => "not_recorded", "owner not recorded";
    }
}

impl OwnerFilter {
    fn matches(self, row: &Row) -> bool {
        let state = row.owner_filter_state();
        match self {
            OwnerFilter::NeedsOwner => state == "missing" || state == "disabled",
            _ => state == self.as_str(),
        }
    }
}

crate::choices::choices! {
    /// The age filter: how old an identity or its oldest secret is, how long since it was last
    /// used, when it expires. Its thresholds are fixed and named in its labels.
    pub enum AgeFilter {
        OverAYear => "over_a_year", "created over a year ago";
        SecretOverAYear => "secret_over_a_year", "a secret over a year old";
        Unused90Days => "unused_90_days", "unused for 90 days or more";
        ExpiresIn30Days => "expires_in_30_days", "expires within 30 days";
        Expired => "expired", "an expired credential still attached";
        NeverExpires => "never_expires", "never expires";
    }
}

impl AgeFilter {
    /// Whether `row` passes at `now` (Unix seconds). A last use not loaded is not "unused"; one
    /// never used is, once it is 90 days old or its age is not known.
    fn matches(self, row: &Row, now: i64) -> bool {
        let k = &row.keys;
        let before = |days: i64| now - days * DAY;
        match self {
            AgeFilter::OverAYear => k.created.is_some_and(|t| t < before(365)),
            AgeFilter::SecretOverAYear => k.oldest_secret.is_some_and(|t| t < before(365)),
            AgeFilter::Unused90Days => match k.last_used {
                Some(t) => t <= before(90),
                // Never used, and there for 90 days at least (or since a time not known).
                None => {
                    row.last_used_source == "never" && k.created.is_none_or(|t| t <= before(90))
                }
            },
            // The report's expiry is its live credentials' (an expired one is no longer live):
            // the rule that finds expired credentials still attached says which have one.
            AgeFilter::ExpiresIn30Days => k.expires.is_some_and(|t| t >= now && t < now + 30 * DAY),
            AgeFilter::Expired => row.findings.iter().any(|f| f.rule == "NL103"),
            AgeFilter::NeverExpires => row.expiry == "never",
        }
    }
}

/// The "changed since review" filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangedFilter {
    Any,
    Kind(ChangeKind),
}

impl ChangedFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangedFilter::Any => "any",
            ChangedFilter::Kind(k) => k.as_str(),
        }
    }

    pub fn parse(text: &str) -> Option<ChangedFilter> {
        if text == "any" {
            Some(ChangedFilter::Any)
        } else {
            ChangeKind::parse(text).map(ChangedFilter::Kind)
        }
    }

    fn matches(self, row: &Row) -> bool {
        match self {
            ChangedFilter::Any => row.keys.changes.any(),
            ChangedFilter::Kind(k) => row.keys.changes.has(k),
        }
    }
}

/// Everything that narrows the table. `None` lets every row through.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub platform: Option<String>,
    pub kind: Option<String>,
    pub level: Option<Level>,
    pub owner: Option<OwnerFilter>,
    pub age: Option<AgeFilter>,
    pub changed: Option<ChangedFilter>,
    /// The search box: every word must appear in the name, ID, native ID, aliases or owner.
    pub search: String,
}

impl Filter {
    /// Whether any filter or search is set.
    pub fn is_active(&self) -> bool {
        !self.search.trim().is_empty()
            || self.platform.is_some()
            || self.kind.is_some()
            || self.level.is_some()
            || self.owner.is_some()
            || self.age.is_some()
            || self.changed.is_some()
    }

    fn words(&self) -> Vec<String> {
        self.search
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    fn matches(&self, row: &Row, words: &[String], now: i64) -> bool {
        self.platform.as_ref().is_none_or(|p| *p == row.platform)
            && self.kind.as_ref().is_none_or(|k| *k == row.kind)
            && self.level.is_none_or(|l| l == row.risk.level)
            && self.owner.is_none_or(|o| o.matches(row))
            && self.age.is_none_or(|a| a.matches(row, now))
            && self.changed.is_none_or(|c| c.matches(row))
            && words.iter().all(|w| row.keys.search.contains(w.as_str()))
    }
}

/// The indexes of the rows that pass `filter` at `now` (Unix seconds), in `sort` order. Ties keep
/// risk order, then name.
pub fn apply(rows: &[Row], filter: &Filter, sort: Sort, now: i64) -> Vec<u32> {
    let words = filter.words();
    let mut out: Vec<u32> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| filter.matches(r, &words, now))
        .map(|(i, _)| i as u32)
        .collect();
    out.sort_by(|&a, &b| compare(&rows[a as usize], &rows[b as usize], sort));
    out
}

/// Orders two rows: by the sort column in its direction (unknown values last in either
/// direction), then by risk (highest first), then by name and ID.
pub fn compare(a: &Row, b: &Row, sort: Sort) -> Ordering {
    let primary = match sort.column {
        Column::Risk => Some(risk_key(a).cmp(&risk_key(b))),
        Column::Name => Some(a.keys.name.cmp(&b.keys.name)),
        Column::Platform => Some(a.platform.cmp(&b.platform)),
        Column::Kind => Some(a.kind.cmp(&b.kind)),
        Column::Owner => {
            return by_option(owner_key(a), owner_key(b), sort.direction).then_with(|| tie(a, b));
        }
        // Older is "more" age: the timestamps compare the other way round.
        Column::Age => {
            return by_option(
                a.keys.created.map(|t| -t),
                b.keys.created.map(|t| -t),
                sort.direction,
            )
            .then_with(|| tie(a, b));
        }
        Column::LastUsed => {
            return by_option(
                a.keys.last_used.map(|t| -t),
                b.keys.last_used.map(|t| -t),
                sort.direction,
            )
            .then_with(|| tie(a, b));
        }
        Column::OldestSecret => {
            return by_option(
                a.keys.oldest_secret.map(|t| -t),
                b.keys.oldest_secret.map(|t| -t),
                sort.direction,
            )
            .then_with(|| tie(a, b));
        }
        Column::Expires => {
            return by_option(a.keys.expires, b.keys.expires, sort.direction)
                .then_with(|| tie(a, b));
        }
    };
    let primary = primary.unwrap_or(Ordering::Equal);
    let primary = match sort.direction {
        Direction::Ascending => primary,
        Direction::Descending => primary.reverse(),
    };
    primary.then_with(|| tie(a, b))
}

fn risk_key(r: &Row) -> (u8, Level) {
    (r.risk.score, r.risk.level)
}

fn owner_key(r: &Row) -> Option<&str> {
    (!r.keys.owner.is_empty()).then_some(r.keys.owner.as_str())
}

/// Compares known values in `direction`; unknown values go last either way.
fn by_option<T: Ord>(a: Option<T>, b: Option<T>, direction: Direction) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match direction {
            Direction::Ascending => a.cmp(&b),
            Direction::Descending => b.cmp(&a),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn tie(a: &Row, b: &Row) -> Ordering {
    risk_key(b)
        .cmp(&risk_key(a))
        .then_with(|| a.keys.name.cmp(&b.keys.name))
        .then_with(|| a.id.cmp(&b.id))
}

/// The distinct values of a field, sorted, for a filter's choices.
pub fn distinct<'a>(rows: &'a [Row], field: impl Fn(&'a Row) -> &'a str) -> Vec<&'a str> {
    let mut values: Vec<&str> = rows.iter().map(field).collect();
    values.sort_unstable();
    values.dedup();
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::Marks;
    use crate::model::tests::identity;
    use crate::model::{OwnerRef, Row};

    /// 2026-11-29, Unix seconds.
    const NOW: i64 = 1_795_910_400;

    fn row(id: &str, name: &str, level: &str, score: u8) -> Row {
        Row::from_value(identity(id, name, level, score)).unwrap()
    }

    fn rows() -> Vec<Row> {
        let mut a = row("github:github_app:1", "Deploy Bot", "high", 70);
        a.owner = Some(OwnerRef {
            name: "Zoe".into(),
            status: "active".into(),
            source: "explicit".into(),
        });
        a.created_at = Some("2020-01-01T00:00:00Z".into());
        a.expires_at = Some("2030-01-01T00:00:00Z".into());
        a.index();
        let mut b = row("entra:service_principal:2", "analytics", "critical", 95);
        b.created_at = None;
        b.last_used_at = Some("2023-12-01T00:00:00Z".into());
        b.expires_at = Some("2025-01-01T00:00:00Z".into());
        b.keys.changes = Marks::default().with(ChangeKind::RiskUp);
        b.index();
        let mut c = row("github:deploy_key:3", "CI key", "low", 10);
        c.owner = Some(OwnerRef {
            name: "ana".into(),
            status: "disabled".into(),
            source: "explicit".into(),
        });
        c.created_at = Some("2023-06-01T00:00:00Z".into());
        c.last_used_at = Some("2022-01-01T00:00:00Z".into());
        c.keys.changes = Marks::default().with(ChangeKind::New);
        c.index();
        vec![a, b, c]
    }

    fn ids(rows: &[Row], view: &[u32]) -> Vec<String> {
        view.iter()
            .map(|&i| rows[i as usize].name.clone())
            .collect()
    }

    #[test]
    fn the_default_order_is_highest_risk_first() {
        let r = rows();
        let v = apply(&r, &Filter::default(), Sort::default(), NOW);
        assert_eq!(ids(&r, &v), ["analytics", "Deploy Bot", "CI key"]);
    }

    #[test]
    fn every_column_sorts_both_ways() {
        let r = rows();
        let by = |column, direction| {
            ids(
                &r,
                &apply(&r, &Filter::default(), Sort { column, direction }, NOW),
            )
        };
        use Direction::*;
        assert_eq!(
            by(Column::Name, Ascending),
            ["analytics", "CI key", "Deploy Bot"]
        );
        assert_eq!(
            by(Column::Name, Descending),
            ["Deploy Bot", "CI key", "analytics"]
        );
        assert_eq!(
            by(Column::Risk, Ascending),
            ["CI key", "Deploy Bot", "analytics"]
        );
        assert_eq!(
            by(Column::Platform, Ascending),
            ["analytics", "Deploy Bot", "CI key"]
        );
        assert_eq!(
            by(Column::Kind, Ascending),
            ["CI key", "Deploy Bot", "analytics"]
        );
        // Owners: unknown last in both directions.
        assert_eq!(
            by(Column::Owner, Ascending),
            ["CI key", "Deploy Bot", "analytics"]
        );
        assert_eq!(
            by(Column::Owner, Descending),
            ["Deploy Bot", "CI key", "analytics"]
        );
        // Age descending: oldest first; no creation date last.
        assert_eq!(
            by(Column::Age, Descending),
            ["Deploy Bot", "CI key", "analytics"]
        );
        assert_eq!(
            by(Column::Age, Ascending),
            ["CI key", "Deploy Bot", "analytics"]
        );
        // Last used descending: longest unused first; never used last.
        assert_eq!(
            by(Column::LastUsed, Descending),
            ["CI key", "analytics", "Deploy Bot"]
        );
        assert_eq!(
            by(Column::Expires, Ascending),
            ["analytics", "Deploy Bot", "CI key"]
        );
        assert_eq!(
            by(Column::Expires, Descending),
            ["Deploy Bot", "analytics", "CI key"]
        );
        assert_eq!(
            by(Column::OldestSecret, Descending),
            ["analytics", "Deploy Bot", "CI key"]
        );
    }

    #[test]
    fn header_clicks_toggle_or_switch() {
        let s = Sort::default().clicked(Column::Risk);
        assert_eq!(s.direction, Direction::Ascending);
        let s = s.clicked(Column::Name);
        assert_eq!(
            s,
            Sort {
                column: Column::Name,
                direction: Direction::Ascending
            }
        );
        assert_eq!(s.clicked(Column::Age).direction, Direction::Descending);
    }

    #[test]
    fn filters_narrow_the_rows() {
        let r = rows();
        let names = |f: Filter| ids(&r, &apply(&r, &f, Sort::default(), NOW));
        assert_eq!(
            names(Filter {
                platform: Some("github".into()),
                ..Filter::default()
            }),
            ["Deploy Bot", "CI key"]
        );
        assert_eq!(
            names(Filter {
                kind: Some("deploy_key".into()),
                ..Filter::default()
            }),
            ["CI key"]
        );
        assert_eq!(
            names(Filter {
                level: Some(Level::Critical),
                ..Filter::default()
            }),
            ["analytics"]
        );
        assert_eq!(
            names(Filter {
                owner: Some(OwnerFilter::NeedsOwner),
                ..Filter::default()
            }),
            ["analytics", "CI key"]
        );
        assert_eq!(
            names(Filter {
                owner: Some(OwnerFilter::Disabled),
                ..Filter::default()
            }),
            ["CI key"]
        );
        assert_eq!(
            names(Filter {
                changed: Some(ChangedFilter::Any),
                ..Filter::default()
            }),
            ["analytics", "CI key"]
        );
        assert_eq!(
            names(Filter {
                changed: Some(ChangedFilter::Kind(ChangeKind::New)),
                ..Filter::default()
            }),
            ["CI key"]
        );
    }

    #[test]
    fn the_age_filter_reads_creation_secrets_use_and_expiry() {
        let mut r = rows();
        // A token never used, made 10 days ago, expiring in a week, its secret as old as it.
        let mut d = row("okta:api_token:4", "new token", "low", 5);
        d.created_at = Some("2026-11-19T00:00:00Z".into());
        d.oldest_secret_at = d.created_at.clone();
        d.expires_at = Some("2026-12-06T00:00:00Z".into());
        d.last_used_source = "never".into();
        // An old secret of it expired and is still attached.
        d.findings =
            serde_json::from_value(serde_json::json!([{"rule": "NL103", "severity": "low",
            "points": 5, "status": "open"}]))
            .unwrap();
        d.index();
        // One never used since 2021, with a secret as old, that never expires.
        let mut e = row("okta:api_token:5", "old token", "low", 5);
        e.created_at = Some("2021-01-01T00:00:00Z".into());
        e.oldest_secret_at = e.created_at.clone();
        e.last_used_source = "never".into();
        e.expiry = "never".into();
        e.index();
        r.extend([d, e]);
        let names = |age: AgeFilter| {
            let filter = Filter {
                age: Some(age),
                ..Filter::default()
            };
            let mut names = ids(&r, &apply(&r, &filter, Sort::default(), NOW));
            names.sort();
            names
        };
        assert_eq!(
            names(AgeFilter::OverAYear),
            ["CI key", "Deploy Bot", "old token"]
        );
        assert_eq!(names(AgeFilter::SecretOverAYear), ["old token"]);
        // Last used in 2023 and 2022, or never since 2020 and 2021; never used in ten days is not
        // unused yet.
        assert_eq!(
            names(AgeFilter::Unused90Days),
            ["CI key", "Deploy Bot", "analytics", "old token"]
        );
        assert_eq!(names(AgeFilter::ExpiresIn30Days), ["new token"]);
        assert_eq!(names(AgeFilter::Expired), ["new token"]);
        assert_eq!(names(AgeFilter::NeverExpires), ["old token"]);
        for age in AgeFilter::ALL {
            assert_eq!(AgeFilter::parse(age.as_str()), Some(age));
        }
    }

    #[test]
    fn search_matches_name_id_and_owner_words() {
        let r = rows();
        let names = |s: &str| {
            ids(
                &r,
                &apply(
                    &r,
                    &Filter {
                        search: s.into(),
                        ..Filter::default()
                    },
                    Sort::default(),
                    NOW,
                ),
            )
        };
        assert_eq!(names("DEPLOY"), ["Deploy Bot", "CI key"]); // name, and deploy_key in the ID
        assert_eq!(names("zoe"), ["Deploy Bot"]);
        assert_eq!(names("entra:service"), ["analytics"]);
        assert_eq!(names("key ana"), ["CI key"]);
        assert!(names("nothing-like-this").is_empty());
        assert_eq!(names("  ").len(), 3);
    }

    #[test]
    fn filter_activity_and_parsing() {
        assert!(!Filter::default().is_active());
        assert!(
            !Filter {
                search: "  ".into(),
                ..Filter::default()
            }
            .is_active()
        );
        assert!(
            Filter {
                level: Some(Level::Low),
                ..Filter::default()
            }
            .is_active()
        );
        assert_eq!(ChangedFilter::parse("any"), Some(ChangedFilter::Any));
        assert_eq!(
            ChangedFilter::parse("scopes_grown"),
            Some(ChangedFilter::Kind(ChangeKind::ScopesGrown))
        );
        for f in OwnerFilter::ALL {
            assert_eq!(OwnerFilter::parse(f.as_str()), Some(f));
        }
        let r = rows();
        assert_eq!(distinct(&r, |r| r.platform.as_str()), ["entra", "github"]);
    }
}
