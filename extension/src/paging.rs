//! The pages of a console's lists: where each page read stands in its list, and which captures a
//! list read again leaves behind (pages it no longer has, searches of it, the oldest past the cap).
//! The background pages through `Link`-paged lists itself; lists the console pages with tokens of
//! its own (OData's `@odata.nextLink`) are read as the console loads them.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use nhi_lens::ingest::probe::NextPage;

use crate::store::CaptureMeta;
use crate::views::{comparable, is_narrowed, narrows, one_of};

/// How many captures a tenant keeps, the pages of a list read a page at a time counted as one: a
/// console's searches load a list per search (`?q=a`, `?q=ac`), each kept under its URL, and every
/// capture is read again when the worker starts. Past this, those read longest ago go (a list's
/// pages together).
pub const MAX_CAPTURES_PER_TENANT: usize = 300;

/// How many bytes of captures a tenant keeps: every capture is read again when a worker starts,
/// and a page's script could otherwise send capture after capture of 64 MiB under URLs of its
/// choosing until the worker's memory ran out reading them. Past this, those read longest ago
/// go first, as past [`MAX_CAPTURES_PER_TENANT`].
pub const MAX_BYTES_PER_TENANT: u64 = 256 << 20;

/// How many captures a tenant keeps, each page of a list counted: a list read a page at a time
/// goes as one past [`MAX_CAPTURES_PER_TENANT`], but the list read now never goes, and a page's
/// script could otherwise keep adding pages to it (a virtual grid's windows at places of its
/// choosing). Past this, or past [`MAX_BYTES_PER_TENANT`] once whole units have gone, the
/// captures read longest ago go one by one, what was read now aside.
pub const MAX_PAGES_PER_TENANT: usize = 5_000;

/// Where each text read now stands in its list: the list's first page, and how many pages after
/// it (0 for a first page, or a list of one page). A page the background `paged` to stands where its
/// walk's start stands, its steps further; one the console loaded stands after the page whose next
/// link names it (`next_of`, read now or kept from before), or where it stood before.
pub(crate) fn places_in_lists(
    texts: &[(String, Rc<str>)],
    paged: &HashMap<String, (String, u32)>,
    next_of: &HashMap<String, String>,
    kept: &[CaptureMeta],
) -> HashMap<String, (String, u32)> {
    let previous_now: HashMap<&str, &str> = next_of
        .iter()
        .map(|(page, next)| (next.as_str(), page.as_str()))
        .collect();
    let (fetched, loaded): (Vec<&String>, Vec<&String>) = texts
        .iter()
        .map(|(s, _)| s)
        .partition(|s| paged.contains_key(*s));
    // The console's pages in the order their links chain them, whatever order they came in.
    let loaded_now: HashSet<&str> = loaded.iter().map(|s| s.as_str()).collect();
    let mut ordered: Vec<&str> = Vec::with_capacity(loaded.len());
    let mut placed: HashSet<&str> = HashSet::new();
    for source in &loaded {
        let mut chain = vec![source.as_str()];
        while let Some(&previous) = previous_now.get(comparable(chain[chain.len() - 1]).as_str()) {
            if !loaded_now.contains(previous)
                || placed.contains(previous)
                || chain.contains(&previous)
            {
                break;
            }
            chain.push(previous);
        }
        for page in chain.into_iter().rev() {
            if placed.insert(page) {
                ordered.push(page);
            }
        }
    }
    let mut places: HashMap<String, (String, u32)> = HashMap::new();
    for source in ordered {
        let after = |(first, page): (String, u32)| (first, page + 1);
        let link = comparable(source);
        let place = previous_now
            .get(link.as_str())
            .and_then(|previous| places.get(*previous).cloned())
            .map(after)
            .or_else(|| {
                // Pages older versions kept have no place (0): their list is not known to go on.
                let before = kept.iter().find(|c| c.source == source && c.page > 0)?;
                Some((before.paged_from.clone()?, before.page))
            })
            .or_else(|| {
                let previous = kept
                    .iter()
                    .find(|c| c.next.as_deref() == Some(link.as_str()))?;
                let first = previous.paged_from.clone();
                Some(after((
                    first.unwrap_or(previous.source.clone()),
                    previous.page,
                )))
            })
            // A list that leads back to this page has no first page but this one.
            .filter(|(first, _)| first != source)
            .unwrap_or_else(|| (source.to_string(), 0));
        places.insert(source.to_string(), place);
    }
    for source in fetched {
        let (start, steps) = &paged[source];
        let (first, page) = places
            .get(start)
            .cloned()
            .unwrap_or_else(|| (start.clone(), 0));
        places.insert(source.clone(), (first, page + steps));
    }
    places
}

/// Notes the next page a list's body names (OData's, which the console loads with a token of its
/// own, so the background cannot): its next pages are read as the console loads them, each in the
/// place of the one before, and its walk is not at its end.
pub(crate) fn own_next(
    source: &str,
    next: NextPage,
    next_of: &mut HashMap<String, String>,
    incomplete: &mut HashSet<String>,
) {
    match next {
        NextPage::End | NextPage::NotSaid => return,
        NextPage::At(next) => {
            next_of.insert(source.to_string(), comparable(&next));
        }
        NextPage::Unknown => {}
    }
    incomplete.insert(source.to_string());
}

/// Whether a list a page loaded (`seen`: the sources read on it) goes on past what the tenant
/// keeps: one of its pages names a next page that was never read, which the console loads as the
/// admin pages on. Every answer on the page says so, not only the one that brought the list: its
/// layout snapshot, or a view shown again, comes after. A search or filter of a list is left out:
/// one typed earlier and cleared, whose next page was never read, would otherwise say so of the
/// page for as long as it is kept (its own answer says it).
pub(crate) fn goes_on(captures: &[CaptureMeta], seen: &HashSet<String>) -> bool {
    let read: HashSet<String> = captures.iter().map(|c| comparable(&c.source)).collect();
    captures.iter().any(|c| {
        seen.contains(&c.source)
            && !is_narrowed(&c.source)
            && c.next.as_ref().is_some_and(|next| !read.contains(next))
    })
}

/// Takes out of a tenant's captures those that are no longer its, and returns them:
/// - the pages of a list walked now to its end (`ends`: its first page, and the page the walk
///   started from) that lie after the walk's start and were not read now: a token revoked since, a
///   cursor that moved, a list that got shorter; and the pages an older version fetched after
///   those;
/// - a page whose place in its list a page read now took (`taken`), as a console that pages on
///   with tokens of its own loads a list again;
/// - a search or filter of a list read `whole` now, with the pages after it (an app deleted since
///   it was searched for), and one of its records fetched on its own (an app deleted since its
///   blade was opened);
/// - past [`MAX_CAPTURES_PER_TENANT`] captures (the pages of a list read a page at a time
///   counted, and taken out, as one), the searches and filters of a list kept whole first (the
///   list holds what they hold), then those read longest ago.
///
/// What was read now (`now_read`) stays.
pub(crate) fn superseded(
    captures: &mut Vec<CaptureMeta>,
    ends: &[(String, u32)],
    taken: &[(String, u32)],
    whole: &[String],
    now_read: &HashSet<&str>,
) -> Vec<CaptureMeta> {
    let take_out = |captures: &mut Vec<CaptureMeta>, out: &dyn Fn(&CaptureMeta) -> bool| {
        let (gone, kept): (Vec<CaptureMeta>, _) = std::mem::take(captures)
            .into_iter()
            .partition(|c| out(c) && !now_read.contains(c.source.as_str()));
        *captures = kept;
        gone
    };
    let mut gone = take_out(captures, &|c| {
        if c.paged_from.is_none() {
            return whole
                .iter()
                .any(|list| narrows(&c.source, list) || one_of(&c.source, list));
        }
        c.paged_from.as_ref().is_some_and(|first| {
            // An older version's pages have no place (0): only a walk from the first page ends them.
            let ended =
                |(list, start): &(String, u32)| list == first && (*start == 0 || c.page > *start);
            let taken_place = |(list, page): &(String, u32)| list == first && *page == c.page;
            ends.iter().any(ended) || (c.page > 0 && taken.iter().any(taken_place))
        })
    });
    let mut dropped: HashSet<String> = gone.iter().map(|c| c.source.clone()).collect();
    loop {
        let now_gone = take_out(captures, &|c| {
            c.paged_from.as_ref().is_some_and(|f| dropped.contains(f))
        });
        if now_gone.is_empty() {
            break;
        }
        dropped = now_gone.iter().map(|c| c.source.clone()).collect();
        gone.extend(now_gone);
    }
    // No more captures than the cap: no more units either (the usual case, asked per message).
    let bytes: u64 = captures.iter().map(|c| u64::from(c.bytes)).sum();
    if captures.len() <= MAX_CAPTURES_PER_TENANT && bytes <= MAX_BYTES_PER_TENANT {
        return gone;
    }
    // The pages of a list read a page at a time go together, as one: a list of thousands in
    // pages of a hundred would otherwise push out its own first pages, and every identity on
    // them would read as removed. (A list read again replaces its pages, above.)
    let first_pages: HashSet<String> = captures
        .iter()
        .filter_map(|c| c.paged_from.clone())
        .collect();
    // (Not a search's pages: a search typed a keystroke at a time is a list per keystroke.)
    let unit_of = |c: &CaptureMeta| -> String {
        let first = c.paged_from.as_deref().unwrap_or(&c.source);
        let paged = c.paged_from.is_some() || c.next.is_some() || first_pages.contains(&c.source);
        if paged && !is_narrowed(first) {
            first.to_string()
        } else {
            c.source.clone()
        }
    };
    // Each unit in the order first seen: when it was last read, whether a page of it was read
    // now, and its bytes.
    let mut units: Vec<(String, Option<nhi_lens::model::Timestamp>, bool, u64)> = Vec::new();
    let mut place: HashMap<String, usize> = HashMap::new();
    // Each capture's unit, in the captures' order.
    let unit_keys: Vec<String> = captures.iter().map(unit_of).collect();
    for (c, unit) in captures.iter().zip(&unit_keys) {
        let at = *place.entry(unit.clone()).or_insert_with(|| {
            units.push((unit.clone(), None, false, 0));
            units.len() - 1
        });
        let entry = &mut units[at];
        entry.1 = entry.1.max(nhi_lens::timestamp::parse(&c.at));
        entry.2 |= now_read.contains(c.source.as_str());
        entry.3 += u64::from(c.bytes);
    }
    let excess = units.len().saturating_sub(MAX_CAPTURES_PER_TENANT);
    let mut over = bytes.saturating_sub(MAX_BYTES_PER_TENANT);
    if excess > 0 || over > 0 {
        // An admin's searches, a capture a keystroke, would otherwise push out the list itself,
        // and with it every identity only the list names. (A search newer than its list may
        // hold a record created since: that record waits for the list's next reading.)
        let wholes: Vec<&str> = captures
            .iter()
            .filter(|c| c.paged_from.is_none() && !is_narrowed(&c.source))
            .map(|c| c.source.as_str())
            .collect();
        let spare = |unit: &str| is_narrowed(unit) && wholes.iter().any(|list| narrows(unit, list));
        // What goes first: searches of a list kept, then other searches and filters, then
        // records a list kept holds too (an app's own page, after the apps list), then the rest
        // (lists, and what no list holds: an app's grants, its owners); each oldest first, in
        // the order first seen among those of one time (a stable sort).
        let rank = |unit: &str| -> u8 {
            if spare(unit) {
                0
            } else if is_narrowed(unit) {
                1
            } else if wholes.iter().any(|list| one_of(unit, list)) {
                2
            } else {
                3
            }
        };
        let mut oldest: Vec<(u8, Option<nhi_lens::model::Timestamp>, &str, u64)> = units
            .iter()
            .filter(|(_, _, now, _)| !now)
            .map(|(unit, at, _, bytes)| (rank(unit), *at, unit.as_str(), *bytes))
            .collect();
        oldest.sort_by_key(|&(rank, at, _, _)| (rank, at));
        let mut out: HashSet<&str> = HashSet::new();
        for &(_, _, unit, bytes) in &oldest {
            if out.len() >= excess && over == 0 {
                break;
            }
            out.insert(unit);
            over = over.saturating_sub(bytes);
        }
        let keys: HashSet<String> = captures
            .iter()
            .zip(&unit_keys)
            .filter(|(_, unit)| out.contains(unit.as_str()))
            .map(|(c, _)| c.key.clone())
            .collect();
        gone.extend(take_out(captures, &|c| keys.contains(&c.key)));
    }
    let mut bytes: u64 = captures.iter().map(|c| u64::from(c.bytes)).sum();
    let mut count = captures.len();
    if count > MAX_PAGES_PER_TENANT || bytes > MAX_BYTES_PER_TENANT {
        let mut oldest: Vec<&CaptureMeta> = captures
            .iter()
            .filter(|c| !now_read.contains(c.source.as_str()))
            .collect();
        oldest.sort_by_key(|c| nhi_lens::timestamp::parse(&c.at));
        let mut keys: HashSet<String> = HashSet::new();
        for c in oldest {
            if count <= MAX_PAGES_PER_TENANT && bytes <= MAX_BYTES_PER_TENANT {
                break;
            }
            keys.insert(c.key.clone());
            count -= 1;
            bytes = bytes.saturating_sub(u64::from(c.bytes));
        }
        gone.extend(take_out(captures, &|c| keys.contains(&c.key)));
    }
    gone
}

/// The `rel="next"` URL of a `Link` header.
pub(crate) fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim().to_ascii_lowercase();
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim();
        (is_next && target.starts_with('<') && target.ends_with('>'))
            .then(|| target[1..target.len() - 1].to_string())
    })
}

/// `next` made absolute against the URL it came with (Link headers may be relative).
/// Whether a URL's path holds a `.` or `..` segment, written plainly or escaped (`%2e%2e`), or a
/// backslash (which a browser reads as `/`): the browser resolves them before it fetches, so the
/// path fetched would not be the one a pattern's `*` matched (`apps/%2e%2e/%2e%2e/login/…/grants`).
pub(crate) fn has_dot_segment(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.find("://").map_or(path, |i| &path[i + 3..]);
    path.contains('\\')
        || path.split('/').skip(1).any(|segment| {
            let plain = segment.to_ascii_lowercase().replace("%2e", ".");
            plain == "." || plain == ".."
        })
}

pub(crate) fn absolute(base: &str, next: &str) -> String {
    if next.contains("://") {
        return next.to_string();
    }
    let origin_end = base
        .find("://")
        .map(|i| i + 3 + base[i + 3..].find('/').unwrap_or(base.len() - i - 3))
        .unwrap_or(0);
    if next.starts_with('/') {
        format!("{}{next}", &base[..origin_end])
    } else {
        let dir = base[..base.find('?').unwrap_or(base.len())]
            .rsplit_once('/')
            .map_or(base, |(d, _)| d);
        format!("{dir}/{next}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenants_captures_past_its_bytes_go_oldest_first_but_what_was_read_now() {
        // Six searches of 60 MiB each, a minute apart: 360 MiB.
        let mut captures: Vec<CaptureMeta> = (0..6)
            .map(|n| CaptureMeta {
                key: format!("k{n}"),
                source: format!("https://acme-admin.okta.com/api/v1/apps?q={n}"),
                at: format!("2026-12-01T00:0{n}:00Z"),
                paged_from: None,
                page: 0,
                next: None,
                bytes: 60 << 20,
            })
            .collect();
        // The oldest is the one read now: it stays.
        let now: HashSet<&str> = HashSet::from(["https://acme-admin.okta.com/api/v1/apps?q=0"]);
        let gone = superseded(&mut captures, &[], &[], &[], &now);
        let gone: Vec<&str> = gone.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(gone, ["k1", "k2"]);
        let kept: Vec<&str> = captures.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(kept, ["k0", "k3", "k4", "k5"]);
        let bytes: u64 = captures.iter().map(|c| u64::from(c.bytes)).sum();
        assert!(bytes <= MAX_BYTES_PER_TENANT);
        // Within the bytes, nothing goes; what older versions kept counts no bytes.
        let mut small = captures.clone();
        small.iter_mut().for_each(|c| c.bytes = 0);
        assert!(superseded(&mut small, &[], &[], &[], &now).is_empty());
    }

    #[test]
    fn a_list_read_now_past_the_caps_loses_its_pages_read_longest_ago() {
        // A grid's windows, pages of the list read now: 5,010 of 1 KiB, then 3 of 100 MiB.
        let page = |n: usize, bytes: u32| CaptureMeta {
            key: format!("k{n}"),
            source: format!("https://app.snowflake.com/us-west-2/acme/#/admin/users#rows {n}"),
            at: format!("2026-12-01T00:00:00.{n:09}Z"),
            paged_from: Some("https://app.snowflake.com/us-west-2/acme/#/admin/users".into()),
            page: n as u32,
            next: None,
            bytes,
        };
        let mut captures: Vec<CaptureMeta> = (1..=MAX_PAGES_PER_TENANT + 10)
            .map(|n| page(n, 1024))
            .collect();
        let newest = captures.last().unwrap().source.clone();
        let now: HashSet<&str> = HashSet::from([newest.as_str()]);
        let gone = superseded(&mut captures, &[], &[], &[], &now);
        assert_eq!(gone.len(), 10);
        assert!(gone.iter().all(|c| c.page <= 10), "the oldest go");
        assert_eq!(captures.len(), MAX_PAGES_PER_TENANT);
        // Three windows of 100 MiB: the two oldest go, the one read now stays.
        let mut big: Vec<CaptureMeta> = (1..=3).map(|n| page(n, 100 << 20)).collect();
        let newest = big[0].source.clone();
        let now: HashSet<&str> = HashSet::from([newest.as_str()]);
        let gone = superseded(&mut big, &[], &[], &[], &now);
        let gone: Vec<&str> = gone.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(gone, ["k2"]);
        assert_eq!(big.len(), 2);
    }
}
