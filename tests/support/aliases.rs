//! `tests/consoles/aliases.txt`: hosts served from another host's mock console (`alias target`
//! per line, `#` comments). Read by the mock console server (xtask) and by the conventions test
//! that finds each console page's mock, so both follow an alias the same way.

use std::path::Path;

/// The host whose files serve `host`, when `host` has no mock of its own under `root` and
/// `aliases.txt` there names one.
pub fn served_by(root: &Path, host: &str) -> Option<String> {
    if host.is_empty() || root.join(host).is_dir() {
        return None;
    }
    let aliases = std::fs::read_to_string(root.join("aliases.txt")).ok()?;
    aliases.lines().find_map(|line| {
        let mut words = line.split('#').next()?.split_whitespace();
        (words.next()? == host).then(|| words.next().map(str::to_string))?
    })
}
