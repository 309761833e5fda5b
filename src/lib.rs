//! NHI Lens: finds the non-human identities in SaaS admin data and scores their owner, age and
//! risk.
//!
//! The same core runs in the `nhi-lens` command line, in the browser extension's background
//! worker and in the standalone web page (built for `wasm32-unknown-unknown` without the default
//! `cli` feature). The pipeline:
//!
//! 1. [`ingest`]: each input (an API response, an export, a captured page) is recognized by its
//!    content and read by its platform's format into [`model::Identity`] records, joined across
//!    inputs;
//! 2. [`policy`]: the admin's owner map and tenant settings are applied;
//! 3. [`rules`]: every rule looks at every identity and reports [`rules::Finding`]s;
//! 4. [`score`]: findings add up to a score and a level;
//! 5. [`report`]: the result is written as a table, JSON, CSV, Markdown, SARIF or OCSF.

pub mod assess;
pub mod catalogue;
pub mod console;
pub mod fingerprint;
pub mod frameworks;
pub mod html;
pub mod ingest;
pub mod json_out;
pub mod model;
pub mod owner_csv;
pub mod platforms;
pub mod policy;
pub mod previous;
pub mod protocol;
pub mod report;
pub mod rules;
pub mod score;
pub mod secret_text;
pub mod text;
pub mod timestamp;
pub mod url_secret;

pub use assess::{Assessment, Report, assess, scan};
pub use ingest::{Collector, InputError, Inventory};
pub use model::Identity;
pub use policy::Policy;
