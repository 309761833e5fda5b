//! `tests/consoles/aliases.txt`: hosts served from another host's mock console (`alias target`
//! per line, `#` comments). An alias may name a path of its host (`code.corp.example/gitlab`: a
//! self-managed GitLab under a relative URL root). Read by the mock console server (xtask) and by
//! the conventions test that finds each console page's mock, so both follow an alias the same way.

use std::path::Path;

/// The alias `rel` (`host/path…`, a request's path without its leading `/`) is under, and the
/// host whose files serve it, when its host has no mock of its own under `root` and
/// `aliases.txt` there names one: of aliases on its host, the longest that `rel` is in, at a
/// segment's end.
pub fn served_by(root: &Path, rel: &str) -> Option<(String, String)> {
    let host = rel.split('/').next()?;
    if host.is_empty() || root.join(host).is_dir() {
        return None;
    }
    let aliases = std::fs::read_to_string(root.join("aliases.txt")).ok()?;
    aliases
        .lines()
        .filter_map(|line| {
            let mut words = line.split('#').next()?.split_whitespace();
            let (alias, target) = (words.next()?, words.next()?);
            let after = rel.strip_prefix(alias)?;
            (after.is_empty() || after.starts_with('/'))
                .then(|| (alias.to_string(), target.to_string()))
        })
        .max_by_key(|(alias, _)| alias.len())
}
