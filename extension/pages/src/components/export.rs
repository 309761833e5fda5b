//! Export: a format × a scope, one click, a download through a Blob URL.

use nhi_lens::protocol::{Reply, Request};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::bridge;
use crate::components::select::Select;

/// The formats the background writes: (request name, label).
pub const FORMATS: [(&str, &str); 5] = [
    ("csv", "CSV"),
    ("json", "JSON"),
    ("md", "Markdown"),
    ("sarif", "SARIF 2.1.0"),
    ("ocsf", "OCSF"),
];

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The identities the table shows after filters.
    View,
    /// Every identity of the tenant.
    Tenant,
    /// Every tenant.
    Everything,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::View, Scope::Tenant, Scope::Everything];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::View => "view",
            Scope::Tenant => "tenant",
            Scope::Everything => "all",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text)
    }

    fn label(self, shown: usize) -> String {
        match self {
            Scope::View => format!("Current view ({shown})"),
            Scope::Tenant => "This tenant".into(),
            Scope::Everything => "Every tenant".into(),
        }
    }
}

/// The export request for a scope.
pub fn request(format: &str, scope: Scope, tenant: &str, view_ids: Vec<String>) -> Request {
    Request::Export {
        tenant: (scope != Scope::Everything).then(|| tenant.to_string()),
        format: format.to_string(),
        ids: (scope == Scope::View).then_some(view_ids),
    }
}

/// What the export's status says once the file is saved: with the inputs that could not be read
/// in full that a CSV or OCSF file leaves out, which would else pass for the whole inventory.
pub fn saved_note(filename: &str, format: &str, unread: usize) -> String {
    if unread == 0 {
        return format!("Saved {filename}.");
    }
    let label = FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map_or(format, |(_, label)| label);
    let inputs = if unread == 1 {
        "1 input".to_string()
    } else {
        format!("{unread} inputs")
    };
    format!(
        "Saved {filename}. {inputs} could not be read in full, and {label} has no place for them: \
         the side panel lists them, as JSON, Markdown and SARIF exports do."
    )
}

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub tenant: AttrValue,
    /// How many rows the current view shows.
    pub shown: usize,
    /// The IDs of the current view, asked for only on export.
    pub view_ids: Callback<(), Vec<String>>,
}

#[function_component(ExportBar)]
pub fn export_bar(props: &ExportProps) -> Html {
    let format = use_state(|| FORMATS[0].0.to_string());
    let scope = use_state(|| Scope::View);
    let status = use_state(|| None::<Result<String, String>>);
    let busy = use_state(|| false);

    let on_format = {
        let format = format.clone();
        Callback::from(move |value: String| format.set(value))
    };
    let on_scope = {
        let scope = scope.clone();
        Callback::from(move |value: String| {
            if let Some(s) = Scope::parse(&value) {
                scope.set(s);
            }
        })
    };
    let format_options: Vec<(AttrValue, AttrValue)> = FORMATS
        .iter()
        .map(|(v, l)| (AttrValue::Static(v), AttrValue::Static(l)))
        .collect();
    let scope_options: Vec<(AttrValue, AttrValue)> = Scope::ALL
        .iter()
        .map(|s| {
            (
                AttrValue::Static(s.as_str()),
                AttrValue::from(s.label(props.shown)),
            )
        })
        .collect();
    let on_export = {
        let (format, scope, status, busy) =
            (format.clone(), scope.clone(), status.clone(), busy.clone());
        let (tenant, view_ids) = (props.tenant.to_string(), props.view_ids.clone());
        Callback::from(move |_: MouseEvent| {
            // The button stays focusable while a download is made (see `aria-disabled`).
            if *busy {
                return;
            }
            let ids = if *scope == Scope::View {
                view_ids.emit(())
            } else {
                Vec::new()
            };
            let request = request(&format, *scope, &tenant, ids);
            let (status, busy, format) = (status.clone(), busy.clone(), (*format).clone());
            busy.set(true);
            spawn_local(async move {
                let result = match bridge::ask(request).await {
                    Ok(Reply::Export {
                        filename,
                        mime,
                        text,
                        unread,
                    }) => bridge::download(&filename, &mime, &text)
                        .map(|()| saved_note(&filename, &format, unread)),
                    Ok(other) => Err(bridge::unexpected(&other)),
                    Err(e) => Err(e),
                };
                busy.set(false);
                status.set(Some(result));
            });
        })
    };

    html! {
        <div class="export" role="group" aria-label="Export">
            <label for="nhi-export-format">{ "Export" }</label>
            <Select id="nhi-export-format" label="Export format" options={format_options}
                    value={AttrValue::from((*format).clone())} onchange={on_format} />
            <Select id="nhi-export-scope" label="Export scope" options={scope_options}
                    value={AttrValue::Static(scope.as_str())} onchange={on_scope} />
            <button type="button" id="nhi-export" onclick={on_export} aria-disabled={busy.then_some("true")}>{ "Download" }</button>
            <span class="export-status" role="status" aria-live="polite">
                { match &*status {
                    Some(Ok(m)) => html! { <span class="ok">{ m.clone() }</span> },
                    Some(Err(m)) => html! { <span class="error-text">{ m.clone() }</span> },
                    None => html! {},
                } }
            </span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_make_requests() {
        let ids = || vec!["a".to_string()];
        assert_eq!(
            request("csv", Scope::View, "acme", ids()),
            Request::Export {
                tenant: Some("acme".into()),
                format: "csv".into(),
                ids: Some(vec!["a".into()])
            }
        );
        assert_eq!(
            request("sarif", Scope::Tenant, "acme", ids()),
            Request::Export {
                tenant: Some("acme".into()),
                format: "sarif".into(),
                ids: None
            }
        );
        assert_eq!(
            request("ocsf", Scope::Everything, "acme", ids()),
            Request::Export {
                tenant: None,
                format: "ocsf".into(),
                ids: None
            }
        );
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
    }
}
