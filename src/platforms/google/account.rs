//! Which Google Workspace organization an Admin console page is of. Its URLs name none: every
//! organization's console is `admin.google.com`, and an admin signed in to several accounts
//! reaches the second under `/u/1/`. Google's bar at the top of the page links the signed-in
//! account (its avatar, labelled `Google Account: Name (email)` in English, and linking to
//! `accounts.google.com/SignOutOptions` in every language): the domain of that email is the
//! inventory's tenant, so two organizations' apps never mix in one inventory. Where the bar
//! names no email, the inventory is keyed by the host, as before.

use scraper::Selector;

use crate::console::TenantInPage;

/// The bar's link to the signed-in account.
const ACCOUNT_LINK: &str =
    r#"a[aria-label^="Google Account:"], a[href^="https://accounts.google.com/SignOutOptions"]"#;

/// What [`super::SPEC`] reads the tenant from.
pub(super) const TENANT_IN_PAGE: TenantInPage = TenantInPage {
    selector: ACCOUNT_LINK,
    read: domain_in,
    unique: false,
};

/// The domain of the email the account link's label names, in lower case (`acme.example` for
/// `Google Account: Ada Admin (ada@Acme.example)`).
fn domain_in(html: &str) -> Option<String> {
    let document = crate::html::document(html);
    let selector = Selector::parse(ACCOUNT_LINK).ok()?;
    document
        .select(&selector)
        .filter_map(|link| link.value().attr("aria-label"))
        .find_map(email_domain)
}

/// The domain of the first email in `label`: a word holding one `@`, in parentheses or not.
fn email_domain(label: &str) -> Option<String> {
    label
        .split(|c: char| c.is_whitespace() || "()<>,;".contains(c))
        .filter_map(|word| word.split_once('@'))
        .filter(|(user, domain)| !user.is_empty() && !domain.contains('@'))
        .map(|(_, domain)| domain.trim_end_matches('.').to_ascii_lowercase())
        .find(|domain| {
            domain.contains('.')
                && !domain.starts_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str) -> String {
        format!(
            r#"<a class="gb_B gb_0a" aria-label="{label}" href="https://accounts.google.com/SignOutOptions?hl=en&amp;continue=https://admin.google.com/ac/owl" role="button" tabindex="0"><span class="gb_9d">A</span></a>"#
        )
    }

    #[test]
    fn the_account_link_names_the_organizations_domain() {
        assert_eq!(
            domain_in(&bar("Google Account: Ada Admin  \n(ada@Acme.example)")).as_deref(),
            Some("acme.example")
        );
        // In another language, found by its link, and read the same.
        assert_eq!(
            domain_in(&bar("Compte Google : Ada Admin (ada@acme.example)")).as_deref(),
            Some("acme.example")
        );
        // No email, or a hostile one: no tenant (the host keys the inventory).
        assert_eq!(domain_in(&bar("Google Account: Ada Admin")), None);
        assert_eq!(domain_in(&bar("Google Account: x (a@<img src=x>)")), None);
        assert_eq!(domain_in(&bar("Google Account: x (a@localhost)")), None);
        assert_eq!(
            domain_in(r#"<a href="/ac/users">ada@acme.example</a>"#),
            None
        );
    }
}
