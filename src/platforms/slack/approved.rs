//! Approved apps: `admin.apps.approved.list` (Enterprise plan, user token with `admin.apps:read`).

use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "slack.approved_apps",
    title: "Slack approved apps (admin.apps.approved.list)",
    doc_url: "https://docs.slack.dev/reference/methods/admin.apps.approved.list",
    // The list key is Slack's own name; an empty list is still this response.
    detect: |shape| json(shape).is_some_and(|s| s.list_is(Some("approved_apps"))),
    read: read_exported!(|input, sink| super::read_decisions(input, sink, "approved_apps", false)),
    exported_only: true,
};
