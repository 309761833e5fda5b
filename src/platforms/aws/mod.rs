//! AWS IAM, from the credential report.
//!
//! Facts: `reference/platforms.md` §8. The report has no owner field (IAM keeps owners, if
//! anywhere, in tags) and no policies, so AWS identities carry credentials and use, not grants,
//! except the root account's keys, which can do everything.

mod credential_report;

use super::PlatformSpec;
use crate::model::Platform;

/// AWS in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Aws,
    consoles: &[
        "https://*console.aws.amazon.com/iam/home*#/users*",
        "https://*console.aws.amazon.com/iam/home*#/credential_report*",
        "https://*console.aws.amazon.com/iam/home*#/roles*",
        "https://*console.aws.amazon.com/iamv2/home*",
    ],
    formats: &[credential_report::CSV, credential_report::JSON],
};
