//! Times the background brain's steps natively on a Graph `GET /applications` response, as the
//! browser benchmark's worker marks do in WebAssembly: `worker_steps FILE [RUNS]`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use nhi_lens::protocol::{Capture, Reply, Request};
use nhi_lens_extension::brain::{Brain, Host, Sender};
use nhi_lens_extension::store::MemoryStorage;
use nhi_lens_extension::testing::block_on;
use time::OffsetDateTime;

struct TimedHost {
    storage: MemoryStorage,
    laps: Rc<RefCell<Vec<(&'static str, Instant)>>>,
}

impl Host for TimedHost {
    type Storage = MemoryStorage;
    fn storage(&self) -> &MemoryStorage {
        &self.storage
    }
    fn now(&self) -> time::OffsetDateTime {
        OffsetDateTime::now_utc()
    }
    async fn fetch_json(&self, url: &str) -> Result<(String, Option<String>), String> {
        Err(format!("{url}: not fetched here"))
    }
    fn lap(&self, step: &'static str) {
        self.laps.borrow_mut().push((step, Instant::now()));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("usage: worker_steps FILE [RUNS]");
    let runs: usize = args
        .next()
        .map_or(3, |r| r.parse().expect("RUNS is a number"));
    let body = std::fs::read_to_string(&file).expect("the response file");
    let page = "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade";
    let sender = Sender {
        tab_id: Some(1),
        url: page.into(),
        extension_page: false,
        frame_id: Some(0),
        top_url: None,
    };
    for run in 0..runs {
        // A fresh brain each run, as a worker that has not read this response before.
        let laps = Rc::new(RefCell::new(Vec::new()));
        let brain = Brain::new(TimedHost {
            storage: MemoryStorage::default(),
            laps: laps.clone(),
        });
        let request = Request::Captured {
            url: page.into(),
            captures: vec![Capture::Json {
                url: "http://127.0.0.1:9/graph.microsoft.com/v1.0/applications".into(),
                body: body.clone(),
                link: None,
                request: None,
            }],
            missing: Vec::new(),
        };
        let started = Instant::now();
        let reply = block_on(brain.handle(request, &sender));
        let handled = Instant::now();
        let text = nhi_lens::json_out::to_string(&reply).unwrap();
        let answered = Instant::now();
        let mut last = started;
        let mut steps = Vec::new();
        for (step, at) in laps.borrow().iter().copied() {
            steps.push(format!("{step} {:.1}", (at - last).as_secs_f64() * 1e3));
            last = at;
        }
        steps.push(format!("rest {:.1}", (handled - last).as_secs_f64() * 1e3));
        steps.push(format!(
            "answer {:.1} ({} B)",
            (answered - handled).as_secs_f64() * 1e3,
            text.len()
        ));
        println!(
            "run {run}: total {:.1} ms: {}",
            (answered - started).as_secs_f64() * 1e3,
            steps.join(", ")
        );
        let flushed = Instant::now();
        block_on(brain.flush()).unwrap();
        println!("  flush {:.1} ms", flushed.elapsed().as_secs_f64() * 1e3);
        // The side panel then asks for the tenant's inventory, as its first render does.
        let panel = Sender {
            tab_id: None,
            url: "chrome-extension://nhi-lens/sidepanel.html".into(),
            extension_page: true,
            frame_id: None,
            top_url: None,
        };
        let Reply::Tenants { tenants } = block_on(brain.handle(Request::Tenants, &panel)) else {
            panic!("the tenants");
        };
        let tenant = tenants.first().expect("a tenant").tenant.clone();
        for ask in ["first", "again"] {
            laps.borrow_mut().clear();
            let asked = Instant::now();
            let reply = block_on(brain.handle(
                Request::Inventory {
                    tenant: tenant.clone(),
                },
                &panel,
            ));
            let handled = Instant::now();
            let text = reply.into_json_text().unwrap();
            if let Ok(path) = std::env::var("NHI_INVENTORY_OUT") {
                std::fs::write(path, &text).unwrap();
            }
            println!(
                "  inventory ({ask}): handled {:.1} ms, written {:.1} ms ({} B)",
                (handled - asked).as_secs_f64() * 1e3,
                handled.elapsed().as_secs_f64() * 1e3,
                text.len()
            );
            let mut last = asked;
            for (step, at) in laps.borrow().iter().copied() {
                print!("{step} {:.1}; ", (at - last).as_secs_f64() * 1e3);
                last = at;
            }
            println!();
        }
    }
}
