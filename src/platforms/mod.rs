//! The platform table: one folder per platform, each registered here explicitly.
//!
//! A platform knows its console URLs, the export and API formats it reads, and its privilege
//! catalogue. Platforms know nothing of scoring: they only build [`Identity`] records.

pub mod atlassian;
pub mod aws;
pub mod directory;
pub mod entra;
pub mod github;
pub mod gitlab;
pub mod google;
pub mod okta;
pub mod salesforce;
mod scalar;
pub mod slack;
pub mod snowflake;

use crate::catalogue::Catalogue;
use crate::console::ConsolePage;
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::model::{Identity, Platform};

/// One input format a platform reads: an API response or an export.
pub struct Format {
    /// Stable ID, `platform.thing` (`github.installations`).
    pub id: &'static str,
    /// What an admin would call it, with the API call (`GitHub App installations (GET /orgs/{org}/installations)`).
    pub title: &'static str,
    /// The vendor documentation of the shape.
    pub doc_url: &'static str,
    /// Whether an input of this shape is this format. Must not claim other formats' inputs.
    pub detect: fn(&Shape) -> bool,
    /// Reads the input into identities (or join records). An `Err` means nothing could be read.
    pub read: fn(&Input, &mut Sink) -> Result<(), String>,
    /// Whether only a file the admin exported has this shape (an API response fetched by hand, a
    /// CSV export, NHI Lens's own report): no console page the extension reads loads it. Such a
    /// format's `read` is [`read_exported!`], so the extension's worker, built without the
    /// `exports` feature, carries none of its code.
    pub exported_only: bool,
}

/// The reader of an [`exported_only`](Format::exported_only) format: `read` itself with the
/// `exports` feature (the command line, the web page); without it (the extension's worker, which
/// only reads what consoles load) a reader that says where such a file is read, and `read` is
/// named but never compiled in.
#[cfg(feature = "exports")]
macro_rules! read_exported {
    ($read:expr) => {{ $read }};
}

/// See the `exports` version above.
#[cfg(not(feature = "exports"))]
macro_rules! read_exported {
    ($read:expr) => {{
        // Names the reader (so it counts as used) in a value nothing keeps: the linker drops it.
        let _: fn(&crate::ingest::Input, &mut crate::ingest::Sink) -> Result<(), String> = $read;
        crate::platforms::read_by_the_command_line
    }};
}

pub(crate) use read_exported;

/// What the extension's worker does with an exported file, which no console page loads.
#[cfg(not(feature = "exports"))]
pub(crate) fn read_by_the_command_line(_: &Input, _: &mut Sink) -> Result<(), String> {
    Err(
        "this is an exported file, not a console page: read it with the nhi-lens command line \
         or the web page"
            .into(),
    )
}

/// What NHI Lens knows about one platform.
pub struct PlatformSpec {
    pub platform: Platform,
    /// Its admin consoles, as URL patterns (`*` matches anything, `{tenant}` the segment or
    /// label that names the tenant, `{segment}` any one path segment). On a console page that is none of `pages`, NHI Lens reads
    /// nothing but badges the identities the tenant's inventory already holds
    /// ([`crate::console::ELSEWHERE`]).
    pub consoles: &'static [&'static str],
    /// The console pages the extension reads, each within one of `consoles`.
    pub pages: &'static [ConsolePage],
    pub formats: &'static [Format],
    /// Its privilege catalogues: the tier of each scope or permission, and their hierarchy.
    pub catalogues: &'static [fn() -> &'static Catalogue],
    /// The host its pages name, when it also runs self-managed on hosts of its owners' choosing
    /// (see [`crate::console::Instance`]).
    pub self_managed: Option<&'static str>,
    /// The other domains its hosted service runs on (a region's or a government's cloud): each
    /// one's pages are the pages above on its domain, its tenants apart from the own domain's.
    pub cells: &'static [crate::console::Cell],
    /// Where its console names the tenant in the page, for a console whose URLs do not.
    pub tenant_in_page: Option<crate::console::TenantInPage>,
    /// Path names its console URLs use for something else (`enterprises` in
    /// `github.com/enterprises/x/settings`), so never a tenant where `{tenant}` matches them.
    pub not_tenants: &'static [&'static str],
    /// Domains whose hosts draw its console's pages in frames of their own and load its API
    /// there (the Azure portal's React views on `sandbox-1.reactblade.portal.azure.net`): a frame
    /// on one of them, in a tab on one of its console's pages, is read as that page.
    pub frame_domains: &'static [&'static str],
}

/// Every platform NHI Lens reads, in report order.
pub static PLATFORMS: [&PlatformSpec; 10] = [
    &github::SPEC,
    &gitlab::SPEC,
    &entra::SPEC,
    &google::SPEC,
    &slack::SPEC,
    &okta::SPEC,
    &salesforce::SPEC,
    &atlassian::SPEC,
    &aws::SPEC,
    &snowflake::SPEC,
];

/// The table entry of `platform`.
pub fn spec(platform: Platform) -> &'static PlatformSpec {
    PLATFORMS
        .iter()
        .find(|p| p.platform == platform)
        .expect("every platform is in the table")
}

/// Every format of every platform, in detection order.
pub fn formats() -> impl Iterator<Item = &'static Format> {
    PLATFORMS.iter().flat_map(|p| p.formats.iter())
}

/// Gives a platform's `Join` its `absorb`: every field of the other's appended to this one's, in
/// order, as if both inputs had been read into one. Listing the fields destructures the other
/// `Join`, so a field added later and not listed does not compile.
macro_rules! absorb {
    ($join:ident { $($field:ident),* $(,)? }) => {
        impl $join {
            /// Takes in what `other` read after what this one read (see [`Joins::absorb`]).
            pub fn absorb(&mut self, other: Self) {
                let $join { $($field),* } = other;
                $(self.$field.extend($field);)*
            }
        }
    };
}
pub(crate) use absorb;

/// Records of platforms whose identities are assembled from several inputs.
#[derive(Clone, Default)]
pub struct Joins {
    pub aws: aws::Join,
    pub entra: entra::Join,
    pub google: google::Join,
    pub okta: okta::Join,
    pub slack: slack::Join,
    pub salesforce: salesforce::Join,
    pub atlassian: atlassian::Join,
    pub snowflake: snowflake::Join,
    pub gitlab: gitlab::Join,
    /// People from directory listings, to tell whether owners are still active.
    pub directory: directory::Directory,
}

impl Joins {
    /// Takes in what an empty list tells by the URL it came from, which no format reads (an
    /// empty list has no records to recognize): one Okta app's grants, read, and none.
    pub fn empty_list(&mut self, source: &str) {
        self.okta.empty_grants_list(source);
    }

    /// Takes in the records read from later inputs. Readers only add records (never look at what
    /// earlier inputs left), so reading inputs apart and absorbing them in order is reading them
    /// together: the background keeps each capture's records and reads only what is new.
    pub fn absorb(&mut self, other: Joins) {
        let Joins {
            aws,
            entra,
            google,
            okta,
            slack,
            salesforce,
            atlassian,
            snowflake,
            gitlab,
            directory,
        } = other;
        self.aws.absorb(aws);
        self.entra.absorb(entra);
        self.google.absorb(google);
        self.okta.absorb(okta);
        self.slack.absorb(slack);
        self.salesforce.absorb(salesforce);
        self.atlassian.absorb(atlassian);
        self.snowflake.absorb(snowflake);
        self.gitlab.absorb(gitlab);
        self.directory.absorb(directory);
    }

    /// Assembles the joined identities once every input is read, then gives owners their
    /// status from the directory listings.
    pub fn finish(&mut self, out: &mut Vec<Identity>) {
        let joins = std::mem::take(self);
        joins.aws.finish(out);
        joins.entra.finish(out);
        joins.google.finish(out);
        joins.okta.finish(out);
        joins.slack.finish(out);
        joins.salesforce.finish(out);
        joins.atlassian.finish(out);
        joins.snowflake.finish(out);
        joins.gitlab.finish(out);
        joins.directory.resolve(out);
        okta::rejected_with_their_users(out);
    }
}

/// The JSON shape of an input, for detectors that only read JSON.
pub(crate) fn json(shape: &Shape) -> Option<&crate::ingest::probe::JsonShape> {
    match shape {
        Shape::Json(s) => Some(s),
        Shape::Csv(_) | Shape::Html(_) => None,
    }
}
