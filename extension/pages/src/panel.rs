//! The side panel's state and its reducer: pure, so every transition is tested without a DOM.

use std::rc::Rc;

use nhi_lens::protocol::TenantSummary;
use nhi_lens::score::Level;
use yew::Reducible;

use crate::model::{Inventory, Row};
use crate::shared::Shared;
use crate::view::{self, AgeFilter, ChangedFilter, Column, Filter, OwnerFilter, Sort};

/// Where `localStorage` keeps the last tenant chosen.
pub const TENANT_KEY: &str = "nhi-lens.tenant";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panel {
    /// `None` while loading.
    pub tenants: Option<Vec<TenantSummary>>,
    pub tenant: Option<String>,
    pub inventory: Option<Shared<Inventory>>,
    /// An inventory request is under way.
    pub loading: bool,
    pub filter: Filter,
    pub sort: Sort,
    /// Indexes into `inventory.rows` of the rows shown, in order.
    pub view: Shared<Vec<u32>>,
    /// The identity whose detail is open.
    pub selected: Option<String>,
    /// The last failure, shown until the next success.
    pub error: Option<String>,
    /// Bumped whenever the chosen tenant's inventory must be (re)loaded: the side panel loads
    /// `tenant` each time it changes.
    pub refresh: u32,
    /// The chosen tenant's `updated_at` of the scoring its inventory holds (as its answer says,
    /// else as the tenant list said when it was requested): a newer one in a later tenant list
    /// means the background read more pages.
    pub seen: Option<String>,
    /// The remembered tenant's inventory was asked for before the tenant list came, beside it
    /// (a round trip less before the panel shows it).
    pub early: bool,
    /// The tenant of the console in the active tab, said before the tenant list came: the list
    /// chooses it if it holds its inventory.
    pub in_view: Option<String>,
}

/// One change to the filters.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterChange {
    Platform(Option<String>),
    Kind(Option<String>),
    Level(Option<Level>),
    Owner(Option<OwnerFilter>),
    Age(Option<AgeFilter>),
    Changed(Option<ChangedFilter>),
    Search(String),
    Clear,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The tenants arrived (first load or a later poll); `remembered` is the last choice, chosen
    /// again if still there. A newer inventory of the tenant shown is loaded.
    Tenants {
        tenants: Vec<TenantSummary>,
        remembered: Option<String>,
    },
    /// The admin chose a tenant: its inventory is requested.
    Choose(String),
    /// The active tab shows a console of this tenant (as the panel opens, or the admin switched
    /// tabs): it is shown if NHI Lens holds its inventory.
    InView(String),
    /// On opening, before the tenant list: the remembered tenant's inventory is requested.
    Early(String),
    /// The early request failed (the tenant may be forgotten since): the tenant list decides.
    EarlyFailed(String),
    /// The same tenant's inventory is requested again (refresh, after Mark reviewed).
    Reload,
    Loaded(Inventory),
    Failed(String),
    Filter(FilterChange),
    SortBy(Column),
    Open(String),
    Close,
    /// An identity changed (owner assigned, risk accepted): its new row.
    Updated(Box<Row>),
}

/// Picks the tenant to show: the remembered one if it is still there, else the first.
pub fn pick_tenant(tenants: &[TenantSummary], remembered: Option<&str>) -> Option<String> {
    remembered
        .and_then(|r| tenants.iter().find(|t| t.tenant == r))
        .or_else(|| tenants.first())
        .map(|t| t.tenant.clone())
}

impl Panel {
    fn refresh_view(&mut self) {
        self.view = Shared::new(match &self.inventory {
            Some(inv) => view::apply(&inv.rows, &self.filter, self.sort, inv.now),
            None => Vec::new(),
        });
    }

    /// The row whose detail is open.
    pub fn selected_row(&self) -> Option<&Row> {
        let id = self.selected.as_deref()?;
        self.inventory.as_ref()?.rows.iter().find(|r| r.id == id)
    }

    /// The IDs of the rows shown, in order (the "current view" export scope).
    pub fn view_ids(&self) -> Vec<String> {
        match &self.inventory {
            Some(inv) => self
                .view
                .iter()
                .map(|&i| inv.rows[i as usize].id.clone())
                .collect(),
            None => Vec::new(),
        }
    }
}

impl Reducible for Panel {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Tenants {
                tenants,
                remembered,
            } => {
                let listed = |t: &String| tenants.iter().any(|s| &s.tenant == t);
                let in_view = next.in_view.take().filter(listed);
                let keep = next.tenant.clone().filter(listed);
                let chosen = in_view
                    .or(keep)
                    .or_else(|| pick_tenant(&tenants, remembered.as_deref()));
                let updated = chosen
                    .as_ref()
                    .and_then(|c| tenants.iter().find(|t| &t.tenant == c))
                    .map(|t| t.updated_at.clone());
                if chosen != next.tenant {
                    next.inventory = None;
                    next.selected = None;
                    next.filter = Filter::default();
                }
                // An early request for the tenant chosen, not answered yet, stands for this list's:
                // its answer says which scoring it holds (`seen`), which the next list is compared
                // with (the page may have been read between the two requests).
                let waiting_early = next.early && chosen == next.tenant && next.inventory.is_none();
                if chosen.is_some()
                    && (chosen != next.tenant || updated != next.seen && !waiting_early)
                {
                    next.loading = true;
                    next.refresh += 1;
                    next.error = None;
                } else if chosen.is_none() {
                    // Nothing to show, nor to wait for (an early request's answer is for a tenant
                    // no longer there).
                    next.loading = false;
                }
                next.early = false;
                if next.tenants.is_none() {
                    next.error = None;
                }
                if !waiting_early {
                    next.seen = updated;
                }
                next.tenant = chosen;
                next.tenants = Some(tenants);
            }
            Action::Choose(tenant) => {
                if next.tenant.as_deref() != Some(tenant.as_str()) {
                    next.inventory = None;
                    next.selected = None;
                    next.filter = Filter::default();
                }
                next.seen = next
                    .tenants
                    .iter()
                    .flatten()
                    .find(|t| t.tenant == tenant)
                    .map(|t| t.updated_at.clone());
                next.tenant = Some(tenant);
                next.early = false;
                next.loading = true;
                next.refresh += 1;
            }
            Action::InView(tenant) => match &next.tenants {
                None => next.in_view = Some(tenant),
                Some(list)
                    if next.tenant.as_ref() != Some(&tenant)
                        && list.iter().any(|t| t.tenant == tenant) =>
                {
                    return self.reduce(Action::Choose(tenant));
                }
                // Shown already, or nothing read of it yet: the panel stays as it is.
                Some(_) => {}
            },
            Action::Early(tenant) => {
                if next.tenants.is_none() && next.tenant.is_none() {
                    next.tenant = Some(tenant);
                    next.early = true;
                    next.loading = true;
                    next.refresh += 1;
                }
            }
            Action::EarlyFailed(tenant) => {
                if next.tenant.as_deref() == Some(tenant.as_str()) {
                    next.loading = false;
                    if next.tenants.is_some() {
                        // The list kept it, and nothing was loaded: ask again, and say why not.
                        next.loading = true;
                        next.refresh += 1;
                    } else {
                        // Let the list's arrival ask again, or choose another.
                        next.early = false;
                        next.seen = None;
                    }
                }
            }
            Action::Reload => {
                // Asked for by the admin: its failure is shown, whatever came before.
                next.early = false;
                if next.tenant.is_some() {
                    next.loading = true;
                    next.refresh += 1;
                }
            }
            Action::Loaded(inventory) => {
                if next.tenant.as_deref() != Some(inventory.tenant.as_str()) {
                    // A late answer for a tenant no longer shown.
                    return self;
                }
                if let Some(id) = &next.selected
                    && !inventory.rows.iter().any(|r| &r.id == id)
                {
                    next.selected = None;
                }
                if inventory.updated_at.is_some() {
                    next.seen = inventory.updated_at.clone();
                }
                next.inventory = Some(Shared::new(inventory));
                next.loading = false;
                next.error = None;
            }
            Action::Failed(message) => {
                next.loading = false;
                next.error = Some(message);
            }
            Action::Filter(change) => {
                let f = &mut next.filter;
                match change {
                    FilterChange::Platform(p) => f.platform = p,
                    FilterChange::Kind(k) => f.kind = k,
                    FilterChange::Level(l) => f.level = l,
                    FilterChange::Owner(o) => f.owner = o,
                    FilterChange::Age(a) => f.age = a,
                    FilterChange::Changed(c) => f.changed = c,
                    FilterChange::Search(s) => f.search = s,
                    FilterChange::Clear => *f = Filter::default(),
                }
            }
            Action::SortBy(column) => next.sort = next.sort.clicked(column),
            Action::Open(id) => next.selected = Some(id),
            Action::Close => next.selected = None,
            Action::Updated(row) => {
                if let Some(inv) = &mut next.inventory {
                    let mut changed = (**inv).clone();
                    if changed.replace(*row) {
                        *inv = Shared::new(changed);
                    }
                }
            }
        }
        let view_inputs_changed = next.inventory != self.inventory
            || next.filter != self.filter
            || next.sort != self.sort;
        if view_inputs_changed {
            next.refresh_view();
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::identity;
    use serde_json::json;

    fn tenant(name: &str) -> TenantSummary {
        TenantSummary {
            tenant: name.into(),
            identities: 2,
            critical: 0,
            high: 1,
            updated_at: "2024-01-11T00:00:00Z".into(),
            unreadable: None,
        }
    }

    /// A tenant list of `names`, "b" remembered.
    fn tenants(names: &[&str]) -> Action {
        Action::Tenants {
            tenants: names.iter().map(|n| tenant(n)).collect(),
            remembered: Some("b".into()),
        }
    }

    fn inventory(tenant: &str) -> Inventory {
        let report = json!({"schema": "nhi-lens/1", "now": "2024-01-11T00:00:00Z", "identities": [
            identity("github:github_app:1", "Deploy Bot", "high", 70),
            identity("slack:bot:2", "Standup", "low", 5)]});
        Inventory::from_reply(
            nhi_lens::protocol::Reply::Inventory {
                tenant: tenant.into(),
                report: nhi_lens::protocol::JsonText(report.to_string()),
                rules: vec![],
                changes: vec![],
                reviewed_at: None,
                pages: vec![],
                updated_at: Some("2024-01-11T00:00:00Z".into()),
                revision: 1,
            },
            0,
        )
        .unwrap()
    }

    fn names(p: &Panel) -> Vec<&str> {
        let inv = p.inventory.as_ref().unwrap();
        p.view
            .iter()
            .map(|&i| inv.rows[i as usize].name.as_str())
            .collect()
    }

    #[test]
    fn the_remembered_tenant_is_chosen_again() {
        let list = vec![tenant("a"), tenant("b")];
        assert_eq!(pick_tenant(&list, Some("b")).as_deref(), Some("b"));
        assert_eq!(pick_tenant(&list, Some("gone")).as_deref(), Some("a"));
        assert_eq!(pick_tenant(&[], Some("b")), None);
        let p = Rc::new(Panel::default()).reduce(Action::Tenants {
            tenants: list,
            remembered: Some("b".into()),
        });
        assert_eq!(p.tenant.as_deref(), Some("b"));
        assert!(p.loading);
        assert_eq!(p.refresh, 1);
    }

    #[test]
    fn the_panel_shows_the_tenant_of_the_console_in_view_when_it_holds_its_inventory() {
        // Said before the list came, over the remembered tenant asked for early.
        let early = Rc::new(Panel::default()).reduce(Action::Early("b".into()));
        let p = early.clone().reduce(Action::InView("c".into()));
        assert_eq!(p.tenant.as_deref(), Some("b"), "the list decides");
        let p = p.reduce(tenants(&["a", "b", "c"]));
        assert_eq!((p.tenant.as_deref(), p.refresh), (Some("c"), 2));
        assert!(p.loading && p.in_view.is_none());
        // A tenant nothing was read of yet leaves the remembered one shown.
        let p = early
            .clone()
            .reduce(Action::InView("new".into()))
            .reduce(tenants(&["a", "b"]));
        assert_eq!((p.tenant.as_deref(), p.refresh), (Some("b"), 1));
        // Once the list is there, a switch of tabs shows the tab's tenant; switching back to the
        // tenant shown reloads nothing.
        let p = p.reduce(Action::Loaded(inventory("b")));
        let p = p.reduce(Action::InView("a".into()));
        assert_eq!((p.tenant.as_deref(), p.refresh), (Some("a"), 2));
        assert!(p.loading && p.inventory.is_none());
        assert_eq!(p.clone().reduce(Action::InView("a".into())).refresh, 2);
        assert_eq!(
            p.clone()
                .reduce(Action::InView("new".into()))
                .tenant
                .as_deref(),
            Some("a")
        );
    }

    #[test]
    fn the_remembered_tenant_is_asked_for_beside_the_tenant_list_once() {
        let early = Rc::new(Panel::default()).reduce(Action::Early("b".into()));
        assert_eq!((early.tenant.as_deref(), early.refresh), (Some("b"), 1));
        assert!(early.loading && early.early);
        // The list keeps it: the early request was the one.
        let p = early.clone().reduce(tenants(&["a", "b"]));
        assert_eq!(
            (p.tenant.as_deref(), p.refresh, p.early),
            (Some("b"), 1, false)
        );
        assert!(p.loading);
        let p = p.reduce(Action::Loaded(inventory("b")));
        assert_eq!((p.refresh, p.loading), (1, false));
        // A later list with nothing newer asks for nothing.
        assert_eq!(p.reduce(tenants(&["a", "b"])).refresh, 1);
        // Forgotten since: the list's first is asked for, and the early failure says nothing.
        let p = early.clone().reduce(tenants(&["a"]));
        assert_eq!((p.tenant.as_deref(), p.refresh), (Some("a"), 2));
        let p = p.reduce(Action::EarlyFailed("b".into()));
        assert_eq!((p.refresh, p.error.as_deref()), (2, None));
        assert!(p.loading);
        // Failed before the list came: the list asks again for the tenant it keeps.
        let p = early.clone().reduce(Action::EarlyFailed("b".into()));
        assert!(!p.loading && p.error.is_none());
        let p = p.reduce(tenants(&["a", "b"]));
        assert_eq!((p.tenant.as_deref(), p.refresh), (Some("b"), 2));
        // Failed after the list kept it: asked again, as any other request.
        let p = early
            .clone()
            .reduce(tenants(&["b"]))
            .reduce(Action::EarlyFailed("b".into()));
        assert_eq!(p.refresh, 2);
        assert!(p.loading && !p.early);
        // No tenant left at all: nothing is loading.
        let p = early.clone().reduce(tenants(&[]));
        assert_eq!(p.tenant, None);
        assert!(!p.loading);
        // Refresh before the list came is the admin's request: its failure is shown.
        let p = early
            .clone()
            .reduce(Action::Loaded(inventory("b")))
            .reduce(Action::Reload);
        assert!(!p.early && p.loading);
        let p = p.reduce(Action::Failed("gone".into()));
        assert_eq!((p.loading, p.error.as_deref()), (false, Some("gone")));
        // The console's page read between the early request and the list's: the list counts
        // a newer scoring than the early answer holds, which is then asked for.
        let newer = |names: &[&str]| Action::Tenants {
            tenants: names
                .iter()
                .map(|n| TenantSummary {
                    updated_at: "2024-01-12T00:00:00Z".into(),
                    ..tenant(n)
                })
                .collect(),
            remembered: Some("b".into()),
        };
        let p = early.clone().reduce(newer(&["b"]));
        assert_eq!((p.refresh, p.seen.clone()), (1, None));
        let p = p.reduce(Action::Loaded(inventory("b")));
        assert_eq!(p.refresh, 1);
        assert_eq!(p.clone().reduce(newer(&["b"])).refresh, 2);
        assert_eq!(p.reduce(tenants(&["b"])).refresh, 1);
        // Answered before the list came: compared with it at once.
        let p = early
            .clone()
            .reduce(Action::Loaded(inventory("b")))
            .reduce(newer(&["b"]));
        assert_eq!(p.refresh, 2);
        assert!(p.loading);
        // Once the list is known, an early request is no longer made.
        let p = Rc::new(Panel::default()).reduce(tenants(&["a", "b"]));
        assert_eq!(p.clone().reduce(Action::Early("a".into())), p);
    }

    #[test]
    fn a_newer_inventory_in_a_later_tenant_list_is_loaded() {
        let list = vec![tenant("a"), tenant("b")];
        let p = Rc::new(Panel::default()).reduce(Action::Tenants {
            tenants: list.clone(),
            remembered: None,
        });
        let p = p.reduce(Action::Loaded(inventory("a")));
        assert_eq!((p.refresh, p.loading), (1, false));
        // The same list again: nothing to do.
        let p = p.reduce(Action::Tenants {
            tenants: list.clone(),
            remembered: None,
        });
        assert_eq!((p.refresh, p.loading), (1, false));
        assert!(p.inventory.is_some());
        // The background read more pages of "a".
        let mut newer = list.clone();
        newer[0].updated_at = "2024-01-12T00:00:00Z".into();
        let p = p.reduce(Action::Tenants {
            tenants: newer,
            remembered: None,
        });
        assert_eq!((p.refresh, p.loading), (2, true));
        assert!(
            p.inventory.is_some(),
            "the old inventory stays until the new one arrives"
        );
        let p = p.reduce(Action::Choose("b".into()));
        assert_eq!(p.refresh, 3);
        assert!(p.inventory.is_none());
        let p = p.reduce(Action::Reload);
        assert_eq!(p.refresh, 4);
    }

    #[test]
    fn loading_filtering_sorting_and_selection() {
        let p = Rc::new(Panel::default()).reduce(Action::Choose("a".into()));
        let p = p.reduce(Action::Loaded(inventory("a")));
        assert!(!p.loading);
        assert_eq!(names(&p), ["Deploy Bot", "Standup"]);
        let p = p.reduce(Action::SortBy(Column::Risk));
        assert_eq!(names(&p), ["Standup", "Deploy Bot"]);
        let p = p.reduce(Action::Filter(FilterChange::Search("deploy".into())));
        assert_eq!(names(&p), ["Deploy Bot"]);
        assert_eq!(p.view_ids(), ["github:github_app:1"]);
        let p = p.reduce(Action::Filter(FilterChange::Clear));
        let p = p.reduce(Action::Filter(FilterChange::Platform(Some("slack".into()))));
        assert_eq!(names(&p), ["Standup"]);
        let p = p.reduce(Action::Open("slack:bot:2".into()));
        assert_eq!(p.selected_row().unwrap().name, "Standup");
        let mut row = p.selected_row().unwrap().clone();
        row.name = "Standup (renamed)".into();
        let p = p.reduce(Action::Updated(Box::new(row)));
        assert_eq!(names(&p), ["Standup (renamed)"]);
        let p = p.reduce(Action::Close);
        assert!(p.selected.is_none());
    }

    #[test]
    fn a_late_answer_for_another_tenant_is_ignored() {
        let p = Rc::new(Panel::default()).reduce(Action::Choose("a".into()));
        let p = p.reduce(Action::Choose("b".into()));
        let p = p.reduce(Action::Loaded(inventory("a")));
        assert!(p.inventory.is_none());
        assert!(p.loading);
        let p = p.reduce(Action::Failed("boom".into()));
        assert_eq!(p.error.as_deref(), Some("boom"));
        assert!(!p.loading);
    }
}
