//! Restricted apps: `admin.apps.restricted.list`. The same records as the approved list; a
//! restricted app is blocked from installation, so its identity is disabled.

use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "slack.restricted_apps",
    title: "Slack restricted apps (admin.apps.restricted.list)",
    doc_url: "https://docs.slack.dev/reference/methods/admin.apps.restricted.list",
    detect: |shape| json(shape).is_some_and(|s| s.list_is(Some("restricted_apps"))),
    read: read_exported!(|input, sink| super::read_decisions(input, sink, "restricted_apps", true)),
    exported_only: true,
};
