//! The mock consoles: `tests/consoles/` served over HTTP on 127.0.0.1 with strict CSP headers,
//! the way the test build of the extension expects them (DESIGN.md, "Browser-test surface").
//!
//! A request for `/<host>/<path>` is answered from `tests/consoles/<host>/<path>`, trying in order:
//! the file itself (scripts, styles, images), `<path>@<query>.json` or `.html` (one page of a paged
//! API or list, the decoded query with `/` replaced), `<path>.json`, `<path>.html`, `<path>/index.html`. JSON answers
//! carry `application/json`. Every answer carries the host's Content-Security-Policy from
//! `tests/consoles/<host>/csp.txt` (one line, like the real console's), or a strict default that
//! allows only the mock's own scripts: in particular no `'wasm-unsafe-eval'`, as on the real
//! consoles. An `<path>.headers` file next to a JSON answer adds headers (a `Link` for paging).
//! `tests/consoles/aliases.txt` names hosts served from another host's files: a self-managed
//! instance (`gitlab.corp.example`) of a console that has a mock (`gitlab.com`).
//!
//! `cargo xtask serve [--port N] [--root DIR]` serves them (or another folder laid out alike) until
//! stopped; the browser tests and the demo start
//! the same server in-process.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

#[path = "../../tests/support/aliases.rs"]
mod aliases;

/// The CSP of a mock console that names none of its own: as strict as github.com's.
pub const DEFAULT_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' \
    'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-src 'self'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// A running mock-console server.
pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Serves `root` on an ephemeral loopback port (or `port` if not 0) on background threads.
    pub fn start(root: PathBuf, port: u16) -> Result<Server, String> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let root = Arc::new(root);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                thread::spawn(move || {
                    let _ = serve(stream, &root);
                });
            }
        });
        Ok(Server { port, stop })
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// `cargo xtask serve [--port N]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args
            .get(i + 1)
            .and_then(|p| p.parse().ok())
            .ok_or("--port takes a number")?,
        None => 8080,
    };
    let dir = match args.iter().position(|a| a == "--root") {
        Some(i) => PathBuf::from(args.get(i + 1).ok_or("--root takes a folder")?),
        None => root(),
    };
    let shown = dir.display().to_string();
    let server = Server::start(dir, port)?;
    eprintln!(
        "serving {shown} on {} (e.g. {}/github.com/organizations/acme/settings/installations); Ctrl-C stops",
        server.base(),
        server.base()
    );
    loop {
        thread::park();
    }
}

/// `tests/consoles/` of the workspace.
pub fn root() -> PathBuf {
    crate::project_root().join("tests/consoles")
}

fn serve(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut content_length = 0usize;
        let mut keep_alive = true;
        // A console slow to answer: a mock page asks for its answer this late (at most 30 s).
        let mut delay_ms = 0u64;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    content_length = value.trim().parse().unwrap_or(0);
                } else if name == "connection" && value.trim().eq_ignore_ascii_case("close") {
                    keep_alive = false;
                } else if name == "x-mock-delay" {
                    delay_ms = value.trim().parse::<u64>().unwrap_or(0).min(30_000);
                }
            }
        }
        let mut body = vec![0; content_length.min(1 << 20)];
        reader.read_exact(&mut body)?;
        thread::sleep(std::time::Duration::from_millis(delay_ms));
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let answer = match target
            .split('?')
            .next()
            .and_then(|p| p.strip_suffix("/$batch"))
        {
            Some(base) if method == "POST" => batch(root, base, &body),
            _ => answer(root, method, target),
        };
        let mut head = format!(
            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\n",
            answer.status,
            answer.content_type,
            answer.body.len()
        );
        if let Some(csp) = &answer.csp {
            head.push_str(&format!("Content-Security-Policy: {csp}\r\n"));
        }
        for (name, value) in &answer.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&answer.body)?;
        }
        stream.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

struct Answer {
    status: &'static str,
    content_type: &'static str,
    csp: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// What the mock answers for a file it does not have: an API's error in JSON, as the consoles'
/// APIs answer (the tap must leave it alone), a line of text for anything else.
fn not_found(what: &str) -> Answer {
    let api = what.contains("/api/") || what.contains("graph.microsoft.com/");
    let message = format!("no mock console file for {what}");
    Answer {
        status: "404 Not Found",
        content_type: if api {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        },
        csp: Some(DEFAULT_CSP.into()),
        headers: Vec::new(),
        body: if api {
            serde_json::json!({ "error": { "code": "NotFound", "message": message } }).to_string()
        } else {
            message + "\n"
        }
        .into_bytes(),
    }
}

fn answer(root: &Path, method: &str, target: &str) -> Answer {
    if !matches!(method, "GET" | "HEAD" | "POST") {
        return not_found(target);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = percent_decode(path);
    // Never outside the root.
    if path.split('/').any(|s| s == ".." || s.starts_with('.')) || path.contains('\\') {
        return not_found(&path);
    }
    let rel = path.trim_start_matches('/').trim_end_matches('/');
    // A self-managed instance is served from the files of the console it is an instance of.
    let instance = aliases::served_by(root, rel);
    let aliased = instance
        .as_ref()
        .map(|(alias, target)| format!("{target}{}", &rel[alias.len()..]));
    let rel = aliased.as_deref().unwrap_or(rel);
    let host = rel.split('/').next().unwrap_or("");
    let csp = std::fs::read_to_string(root.join(host).join("csp.txt"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| DEFAULT_CSP.to_string());
    let base = root.join(rel);
    let mut candidates = Vec::new();
    if !rel.is_empty() {
        candidates.push(base.clone());
        if let Some(query) = query {
            candidates.push(with_suffix(
                &base,
                &format!("@{}.json", query_file_name(query)),
            ));
        }
        candidates.push(with_suffix(&base, ".json"));
        candidates.push(with_suffix(&base, ".html"));
    }
    candidates.push(base.join("index.html"));
    for file in candidates {
        if !file.is_file() {
            continue;
        }
        let Ok(mut body) = std::fs::read(&file) else {
            continue;
        };
        let name = file.to_string_lossy();
        let content_type = content_type(&name);
        // A JSON body's absolute links (OData's `@odata.nextLink`) name the instance's own host
        // too, as a real instance's or cloud's do; a page's own links and scripts are the
        // instance's (under its path, where it has one: GitLab's relative URL root).
        if let Some((alias, target)) = &instance
            && let Ok(text) = std::str::from_utf8(&body)
        {
            if content_type.starts_with("application/json") {
                body = text
                    .replace(&format!("https://{target}/"), &format!("https://{alias}/"))
                    .into_bytes();
            } else if content_type.starts_with("text/html") {
                // In attributes, and a refresh's `url=`.
                body = text
                    .replace(&format!("\"/{target}/"), &format!("\"/{alias}/"))
                    .replace(&format!("url=/{target}/"), &format!("url=/{alias}/"))
                    .into_bytes();
            }
        }
        let mut headers = Vec::new();
        if let Ok(extra) = std::fs::read_to_string(format!("{name}.headers")) {
            for line in extra.lines() {
                if let Some((n, v)) = line.split_once(':') {
                    let mut v = v.trim().to_string();
                    // Links name the instance's own host, as a real instance's do.
                    if let Some((alias, target)) = &instance {
                        v = v.replace(&format!("/{target}/"), &format!("/{alias}/"));
                    }
                    headers.push((n.trim().to_string(), v));
                }
            }
        }
        return Answer {
            status: "200 OK",
            content_type,
            csp: Some(csp),
            headers,
            body,
        };
    }
    not_found(target)
}

/// A JSON batch (Microsoft Graph's `POST {base}/$batch`): each request of the body answered as
/// its own `GET {base}{url}` would be, in one response.
fn batch(root: &Path, base: &str, body: &[u8]) -> Answer {
    let requests = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|b| b.get("requests")?.as_array().cloned())
        .unwrap_or_default();
    let responses: Vec<serde_json::Value> = requests
        .iter()
        .map(|request| {
            let id = request.get("id").cloned().unwrap_or_default();
            let url = request.get("url").and_then(|u| u.as_str()).unwrap_or("");
            let one = answer(
                root,
                "GET",
                &format!("{base}/{}", url.trim_start_matches('/')),
            );
            let status: u16 = one.status[..3].parse().unwrap_or(500);
            let body = serde_json::from_slice::<serde_json::Value>(&one.body)
                .unwrap_or_else(|_| serde_json::json!({ "error": { "code": "NotFound" } }));
            serde_json::json!({
                "id": id,
                "status": status,
                "headers": { "Content-Type": "application/json" },
                "body": body,
            })
        })
        .collect();
    Answer {
        status: if requests.is_empty() {
            "400 Bad Request"
        } else {
            "200 OK"
        },
        content_type: "application/json; charset=utf-8",
        csp: Some(DEFAULT_CSP.into()),
        headers: Vec::new(),
        body: serde_json::json!({ "responses": responses })
            .to_string()
            .into_bytes(),
    }
}

fn with_suffix(base: &Path, suffix: &str) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A query as part of a file name: decoded, with characters files cannot hold replaced.
fn query_file_name(query: &str) -> String {
    percent_decode(query)
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | '\0') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_and_never_leave_the_root() {
        let dir = std::env::temp_dir().join(format!("nhi-consoles-{}", std::process::id()));
        let host = dir.join("graph.microsoft.com/v1.0");
        std::fs::create_dir_all(&host).unwrap();
        std::fs::write(host.join("applications.json"), "{\"value\":[]}").unwrap();
        std::fs::write(
            host.join("applications@$skiptoken=2.json"),
            "{\"value\":[1]}",
        )
        .unwrap();
        let a = answer(
            &dir,
            "GET",
            "/graph.microsoft.com/v1.0/applications?$select=id",
        );
        assert_eq!(a.status, "200 OK");
        assert_eq!(a.body, b"{\"value\":[]}");
        assert!(a.csp.unwrap().contains("script-src 'self'"));
        let a = answer(
            &dir,
            "GET",
            "/graph.microsoft.com/v1.0/applications?%24skiptoken=2",
        );
        assert_eq!(a.body, b"{\"value\":[1]}");
        assert_eq!(
            answer(&dir, "GET", "/../etc/passwd").status,
            "404 Not Found"
        );
        assert_eq!(answer(&dir, "GET", "/x/%2e%2e/y").status, "404 Not Found");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_alias_is_served_naming_its_own_host_in_links_and_json() {
        let dir = std::env::temp_dir().join(format!("nhi-aliases-{}", std::process::id()));
        let host = dir.join("graph.microsoft.com/beta");
        std::fs::create_dir_all(&host).unwrap();
        std::fs::write(
            dir.join("aliases.txt"),
            "# a cloud's Graph\ndod-graph.microsoft.us graph.microsoft.com\n",
        )
        .unwrap();
        let next = "https://graph.microsoft.com/beta/servicePrincipals?$skiptoken=2";
        std::fs::write(
            host.join("servicePrincipals.json"),
            format!("{{\"@odata.nextLink\":\"{next}\"}}"),
        )
        .unwrap();
        std::fs::write(
            host.join("servicePrincipals.json.headers"),
            "Link: <http://127.0.0.1/graph.microsoft.com/beta/x?page=2>; rel=\"next\"\n",
        )
        .unwrap();
        let own = answer(&dir, "GET", "/graph.microsoft.com/beta/servicePrincipals");
        assert_eq!(
            String::from_utf8(own.body).unwrap(),
            format!("{{\"@odata.nextLink\":\"{next}\"}}")
        );
        let alias = answer(
            &dir,
            "GET",
            "/dod-graph.microsoft.us/beta/servicePrincipals",
        );
        assert_eq!(alias.status, "200 OK");
        assert_eq!(
            String::from_utf8(alias.body).unwrap(),
            "{\"@odata.nextLink\":\"https://dod-graph.microsoft.us/beta/servicePrincipals?$skiptoken=2\"}"
        );
        assert_eq!(
            alias.headers,
            vec![(
                "Link".to_string(),
                "<http://127.0.0.1/dod-graph.microsoft.us/beta/x?page=2>; rel=\"next\"".to_string()
            )]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_alias_under_a_path_is_served_there_alone_its_links_under_it() {
        let dir = std::env::temp_dir().join(format!("nhi-path-alias-{}", std::process::id()));
        let api = dir.join("gitlab.com/api/v4/groups/acme");
        std::fs::create_dir_all(&api).unwrap();
        std::fs::write(
            dir.join("aliases.txt"),
            "code.corp.example/gitlab gitlab.com\ncode.corp.example/gitlab/eu other.example\n",
        )
        .unwrap();
        std::fs::write(
            api.join("access_tokens.json"),
            r#"[{"web_url":"https://gitlab.com/acme"}]"#,
        )
        .unwrap();
        std::fs::write(
            api.join("access_tokens.json.headers"),
            "Link: </gitlab.com/api/v4/groups/acme/access_tokens?page=2>; rel=\"next\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("gitlab.com/groups.html"),
            r#"<a class="brand-logo" href="/gitlab.com/">GitLab</a>"#,
        )
        .unwrap();
        let tokens = answer(
            &dir,
            "GET",
            "/code.corp.example/gitlab/api/v4/groups/acme/access_tokens",
        );
        assert_eq!(tokens.status, "200 OK");
        assert_eq!(
            String::from_utf8(tokens.body).unwrap(),
            r#"[{"web_url":"https://code.corp.example/gitlab/acme"}]"#
        );
        assert_eq!(
            tokens.headers[0].1,
            "</code.corp.example/gitlab/api/v4/groups/acme/access_tokens?page=2>; rel=\"next\""
        );
        let page = answer(&dir, "GET", "/code.corp.example/gitlab/groups");
        assert_eq!(
            String::from_utf8(page.body).unwrap(),
            r#"<a class="brand-logo" href="/code.corp.example/gitlab/">GitLab</a>"#
        );
        // Neither the host's root, nor a path that only starts alike, nor the longer alias's.
        for elsewhere in [
            "/code.corp.example/api/v4/groups/acme/access_tokens",
            "/code.corp.example/gitlabs/api/v4/groups/acme/access_tokens",
            "/code.corp.example/gitlab/eu/api/v4/groups/acme/access_tokens",
        ] {
            assert_eq!(
                answer(&dir, "GET", elsewhere).status,
                "404 Not Found",
                "{elsewhere}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
