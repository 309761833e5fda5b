//! The directory (tenant) the admin center is signed in to, which keys its inventory: an admin of
//! several directories keeps one inventory for each.
//!
//! The Azure portal shell names the signed-in directory in its top bar's account menu,
//! `div.fxs-avatarmenu-tenant` beside `div.fxs-avatarmenu-username` ([obs] in public user scripts
//! and extensions for portal.azure.com that read or blur them). The Entra admin center is built on
//! the same shell ([infer]: its `#view/…` blade routes are the portal's). Where the menu is not
//! found, the inventory is keyed by the host, as before.

use scraper::Selector;

use crate::console::TenantInPage;

/// The element naming the directory.
const DIRECTORY: &str = ".fxs-avatarmenu-tenant";

/// What [`super::SPEC`] reads the tenant from.
pub(super) const TENANT_IN_PAGE: TenantInPage = TenantInPage {
    selector: DIRECTORY,
    read: directory_in,
    unique: false,
};

/// The directory the region names, as a plain label: its display name's letters and digits (of
/// any script: `Contoso 日本` and `Contoso 中国` are two directories) in lower case, each run of
/// other characters a `-` (`Acme Corporation` is `acme-corporation`), at most 64 of them. Display
/// names need not be unique: two directories of one name share an inventory, as every directory
/// did before.
fn directory_in(html: &str) -> Option<String> {
    let document = crate::html::document(html);
    let selector = Selector::parse(DIRECTORY).ok()?;
    let name: String = document.select(&selector).next()?.text().collect();
    let mut label = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            label.extend(c.to_lowercase());
        } else if !label.is_empty() && !label.ends_with('-') {
            label.push('-');
        }
    }
    let label: String = label.chars().take(64).collect();
    let label = label.trim_end_matches('-');
    (!label.is_empty()).then(|| label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_menu_names_the_directory() {
        let menu = |tenant: &str| {
            format!(
                r#"<div class="fxs-avatarmenu-tenant-container"><a role="button"><div class="fxs-avatarmenu-username">dana@acme.example</div><div class="fxs-avatarmenu-tenant">{tenant}</div><img class="fxs-avatarmenu-tenant-image" src="x.png"></a></div>"#
            )
        };
        assert_eq!(
            directory_in(&menu("Acme Corporation")).as_deref(),
            Some("acme-corporation")
        );
        assert_eq!(
            directory_in(&menu("  CONTOSO  (Europe) &amp; Co. ")).as_deref(),
            Some("contoso-europe-co")
        );
        // Never a dot: no directory's label is the host's.
        assert_eq!(
            directory_in(&menu("entra.microsoft.com")).as_deref(),
            Some("entra-microsoft-com")
        );
        // Hostile text is a label or nothing.
        assert_eq!(
            directory_in(&menu("<img src=x onerror=alert(1)>")).as_deref(),
            None,
            "an element inside is no name"
        );
        // Any script's letters; two names that differ only there are two directories.
        assert_eq!(directory_in(&menu("株式会社")).as_deref(), Some("株式会社"));
        assert_eq!(
            directory_in(&menu("Contoso 日本")).as_deref(),
            Some("contoso-日本")
        );
        assert_ne!(
            directory_in(&menu("Contoso 日本")),
            directory_in(&menu("Contoso 中国"))
        );
        // No control or format character (an RTL override) makes it into a label.
        assert_eq!(
            directory_in(&menu("Acme\u{202e}Corp")).as_deref(),
            Some("acme-corp")
        );
        assert_eq!(
            directory_in(&menu(&"日".repeat(100))).map(|l| l.chars().count()),
            Some(64)
        );
        assert_eq!(directory_in(&menu("")), None);
        assert_eq!(
            directory_in(&menu(&"a".repeat(100))).map(|l| l.len()),
            Some(64)
        );
        assert_eq!(
            directory_in("<div class=\"fxs-avatarmenu-username\">dana</div>"),
            None
        );
        // Each such directory keys an inventory of its own, never the host's shared one.
        let key = |name: &str| {
            crate::console::tenant_key(
                crate::model::Platform::Entra,
                "entra.microsoft.com",
                Some(&menu(name)),
                None,
            )
        };
        assert_eq!(key("Müller AG"), "entra:müller-ag");
        assert_eq!(key("株式会社"), "entra:株式会社");
        assert_ne!(key("Société Générale"), key("Müller AG"));
        assert_eq!(key(""), "entra:entra.microsoft.com");
    }
}
