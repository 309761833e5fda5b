//! Deploy keys: `GET /api/v4/deploy_keys` (administrators of self-managed instances: every key with
//! `projects_with_write_access` and, from GitLab 16.0, `projects_with_readonly_access`) and
//! `GET /api/v4/projects/:id/deploy_keys` (the keys enabled on one project, with `can_push`).
//!
//! GitLab keeps one record per public key and enables it on as many projects as asked: each
//! (key, project) pair becomes one identity, all of them carrying the key's SHA256 fingerprint, so
//! a key on several projects shows as one credential shared by several identities (NL701). Only the
//! fingerprint of the key is kept, never the key. Who added a key is recorded by GitLab (it answers
//! `GET /keys?fingerprint=…`) but not in these lists: the owner is "not loaded".

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::{
    DeployKeyRecord, Id, Namespace, ProjectRef, expiry, last_use, resource_from_source, scope_grant,
};
use crate::fingerprint;
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Identity, Kind, Ownership, Platform, Precision,
    Reach, Usage,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "gitlab.deploy_keys",
    title: "GitLab deploy keys (GET /api/v4/deploy_keys, /projects/:id/deploy_keys)",
    doc_url: "https://docs.gitlab.com/api/deploy_keys/",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["key", "title"])
                && s.first_has_any(&[
                    "fingerprint_sha256",
                    "fingerprint",
                    "can_push",
                    "projects_with_write_access",
                    "projects_with_readonly_access",
                ])
                // GitHub's deploy keys carry `read_only` and `verified`.
                && !s.first_has_any(&["read_only", "verified", "added_by"])
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct DeployKey {
    id: Id,
    #[serde(default)]
    title: Option<String>,
    /// The public key: only its fingerprint is kept.
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    fingerprint_sha256: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    /// `null` when the key never expires; absent before GitLab 15.x added key expiry.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    expires_at: Option<Option<String>>,
    /// Not in the documented deploy key entity; read if a version adds it.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    last_used_at: Option<Option<String>>,
    /// Project lists only.
    #[serde(default)]
    can_push: Option<bool>,
    /// The instance list only.
    #[serde(default)]
    projects_with_write_access: Option<Vec<Project>>,
    #[serde(default)]
    projects_with_readonly_access: Option<Vec<Project>>,
}

#[derive(Deserialize)]
struct Project {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default)]
    path_with_namespace: Option<String>,
}

impl Project {
    fn to_ref(&self) -> ProjectRef {
        ProjectRef {
            id: self.id.as_ref().map(ToString::to_string),
            path: self
                .path_with_namespace
                .clone()
                .filter(|p| !p.trim().is_empty()),
        }
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let project = resource_from_source(input.source, "deploy_keys", input.url_root)
        .filter(|r| r.namespace == Namespace::Project)
        .map(|r| {
            if r.numeric() {
                ProjectRef {
                    id: Some(r.id),
                    path: None,
                }
            } else {
                ProjectRef {
                    id: None,
                    path: Some(r.id),
                }
            }
        });
    let source = sink.source_name();
    let skipped = records::each::<DeployKey, _>(input.bytes, None, |key| {
        let key_id = key.id.to_string();
        let label = format!(
            "deploy key {key_id} ({})",
            key.title.as_deref().unwrap_or("untitled")
        );
        let fingerprint = key
            .fingerprint_sha256
            .clone()
            .filter(|f| f.starts_with("SHA256:"))
            .or_else(|| key.key.as_deref().and_then(fingerprint::ssh_public_key));
        let created_at = sink.time(&label, "created_at", key.created_at.as_deref());
        let expiry = expiry(sink, &label, "expires_at", key.expires_at.as_ref());
        let usage = match &key.last_used_at {
            None => Usage::NotLoaded,
            value => last_use(sink, &label, value.as_ref(), Precision::Exact),
        };
        let instance_list =
            key.projects_with_write_access.is_some() || key.projects_with_readonly_access.is_some();
        let mut projects = Vec::new();
        let projects_known;
        if instance_list {
            for p in key.projects_with_write_access.iter().flatten() {
                projects.push((p.to_ref(), Some(true)));
            }
            for p in key.projects_with_readonly_access.iter().flatten() {
                projects.push((p.to_ref(), Some(false)));
            }
            // Before GitLab 16.0 the list names only the projects the key can push to.
            projects_known = key.projects_with_readonly_access.is_some();
        } else if let Some(project) = &project {
            projects.push((project.clone(), key.can_push));
            projects_known = true;
        } else {
            projects_known = false;
        }
        if key.key.is_some() && fingerprint.is_none() {
            sink.problem(format!(
                "{label}: key is not an SSH public key; no fingerprint kept"
            ));
        }
        sink.joins.gitlab.deploy_keys.push(DeployKeyRecord {
            key_id,
            title: key.title.clone().filter(|t| !t.trim().is_empty()),
            fingerprint,
            created_at,
            expiry,
            usage,
            projects,
            projects_known,
            can_push: key.can_push,
            source: source.clone(),
        });
    })?;
    sink.skipped(skipped);
    Ok(())
}

/// One identity per (key, project), or per key where no project is known.
pub(super) fn assemble(records: Vec<DeployKeyRecord>, out: &mut Vec<Identity>) {
    if records.is_empty() {
        return;
    }
    // Inputs name a project by ID or by path; the instance list names both.
    let mut path_of: FxHashMap<String, String> = FxHashMap::default();
    let mut id_of: FxHashMap<String, String> = FxHashMap::default();
    for record in &records {
        for (p, _) in &record.projects {
            if let (Some(id), Some(path)) = (&p.id, &p.path) {
                path_of.insert(id.clone(), path.clone());
                id_of.insert(path.to_ascii_lowercase(), id.clone());
            }
        }
    }
    let normalize = |p: &ProjectRef| -> Option<(String, String)> {
        let id = p.id.clone().or_else(|| {
            p.path
                .as_ref()
                .and_then(|x| id_of.get(&x.to_ascii_lowercase()).cloned())
        });
        let path = p
            .path
            .clone()
            .or_else(|| p.id.as_ref().and_then(|x| path_of.get(x).cloned()));
        let key = id.clone().or_else(|| path.clone())?;
        let shown = path.or(id)?;
        Some((key, shown))
    };

    // Every (key, project) pair, in the order first seen, then keys with no project.
    let mut scoped: Vec<Identity> = Vec::new();
    let mut scoped_at: FxHashMap<(String, String), usize> = FxHashMap::default();
    let mut keys_with_projects: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut unscoped: Vec<&DeployKeyRecord> = Vec::new();
    for record in &records {
        let mut any = false;
        for (p, push) in &record.projects {
            let Some((project_key, shown)) = normalize(p) else {
                continue;
            };
            any = true;
            let pair = (record.key_id.clone(), project_key.clone());
            match scoped_at.get(&pair) {
                Some(&at) => merge(&mut scoped[at], record, *push, &shown),
                None => {
                    let native = format!("{project_key}/{}", record.key_id);
                    let mut identity = new_key(record, native);
                    identity.location = Some(format!("project {shown}"));
                    identity.reach = Reach::Selected;
                    identity
                        .grants
                        .push(access_grant(*push, Some(&shown), record));
                    scoped_at.insert(pair, scoped.len());
                    keys_with_projects
                        .entry(record.key_id.clone())
                        .or_default()
                        .push(scoped.len());
                    scoped.push(identity);
                }
            }
        }
        if !any {
            unscoped.push(record);
        }
    }
    let mut lone: Vec<Identity> = Vec::new();
    let mut lone_at: FxHashMap<String, usize> = FxHashMap::default();
    for record in unscoped {
        if let Some(pairs) = keys_with_projects.get(&record.key_id) {
            // The same key seen on its projects elsewhere: this record adds only its source.
            for &at in pairs {
                add_source(&mut scoped[at], record);
            }
            continue;
        }
        if let Some(&at) = lone_at.get(&record.key_id) {
            add_source(&mut lone[at], record);
            continue;
        }
        let mut identity = new_key(record, record.key_id.clone());
        if record.projects_known {
            // Listed with its projects, and there are none: it can reach nothing.
            identity.reach = Reach::None;
        } else {
            identity.reach = Reach::Unknown;
            identity
                .grants
                .push(access_grant(record.can_push, None, record));
        }
        lone_at.insert(record.key_id.clone(), lone.len());
        lone.push(identity);
    }
    out.extend(scoped);
    out.extend(lone);
}

/// A deploy key identity with everything but its project.
fn new_key(record: &DeployKeyRecord, native: String) -> Identity {
    let name = record
        .title
        .clone()
        .unwrap_or_else(|| format!("deploy key {}", record.key_id));
    let mut identity = Identity::new(Platform::Gitlab, Kind::DeployKey, native, name);
    identity.ownership = Ownership::NotLoaded;
    identity.created_at = record.created_at;
    identity.usage = record.usage.clone();
    let mut credential = Credential::new(CredentialKind::Key);
    credential.id = Some(record.key_id.clone());
    credential.label = record.title.clone();
    credential.created_at = record.created_at;
    credential.expiry = record.expiry;
    credential.usage = record.usage.clone();
    credential.fingerprint = record.fingerprint.clone();
    identity.credentials.push(credential);
    identity.credential_control = CredentialControl::CUSTOMER;
    identity.sources.push(record.source.clone());
    identity
}

/// Read access, or write access when the key can push.
fn access_grant(
    push: Option<bool>,
    project: Option<&str>,
    record: &DeployKeyRecord,
) -> crate::model::Grant {
    let name = if push == Some(true) {
        "write_repository"
    } else {
        "read_repository"
    };
    scope_grant(name, project, record.created_at)
}

/// A second sighting of the same key on the same project.
fn merge(identity: &mut Identity, record: &DeployKeyRecord, push: Option<bool>, shown: &str) {
    add_source(identity, record);
    if push == Some(true) && !identity.grants.iter().any(|g| g.name == "write_repository") {
        identity.grants = vec![scope_grant(
            "write_repository",
            Some(shown),
            identity.created_at,
        )];
    }
}

fn add_source(identity: &mut Identity, record: &DeployKeyRecord) {
    if !identity.sources.contains(&record.source) {
        identity.sources.push(record.source.clone());
    }
    identity.usage.merge(record.usage.clone());
    if let Some(c) = identity.credentials.first_mut() {
        c.usage.merge(record.usage.clone());
        if c.fingerprint.is_none() {
            c.fingerprint = record.fingerprint.clone();
        }
    }
}
