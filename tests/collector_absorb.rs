//! Reading inputs apart and absorbing them in order is reading them together: the extension's
//! background keeps each capture's records and reads only what a new capture brings, and its
//! inventory must be the one `nhi-lens scan` would make of the same inputs.

use std::path::Path;

use nhi_lens::ingest::{Collector, Inventory};

/// Inputs as (source, bytes).
type Inputs = Vec<(String, Vec<u8>)>;

/// Every fixture of one folder, in name order.
fn inputs(folder: &str) -> Inputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

fn json(inventory: &Inventory) -> serde_json::Value {
    serde_json::json!({
        "identities": inventory.identities,
        "errors": inventory.errors,
        "inputs": inventory.inputs,
    })
}

#[test]
fn inputs_read_apart_and_absorbed_make_the_inventory_read_together() {
    let platforms = [
        "atlassian",
        "aws",
        "entra",
        "github",
        "gitlab",
        "google",
        "okta",
        "salesforce",
        "slack",
        "snowflake",
    ];
    let mut sets: Vec<(String, Inputs)> = Vec::new();
    for platform in platforms {
        sets.push((platform.into(), inputs(platform)));
        let demo = format!("demo/{platform}");
        sets.push((demo.clone(), inputs(&demo)));
    }
    // Every platform's inputs in one inventory (people from one platform's directory listings
    // name owners across inputs), with the unreadable inputs among them.
    let mut all: Vec<_> = sets.iter().flat_map(|(_, i)| i.clone()).collect();
    all.extend(inputs("bad"));
    sets.push(("everything".into(), all));
    for (folder, inputs) in sets {
        assert!(!inputs.is_empty(), "{folder}");
        let mut together = Collector::new();
        for (source, bytes) in &inputs {
            together.add(source, bytes);
        }
        let together = together.finish();
        assert!(!together.identities.is_empty(), "{folder}: no identities");

        // Each input in a collector of its own, kept and copied, as the background keeps them.
        let kept: Vec<Collector> = inputs
            .iter()
            .map(|(source, bytes)| {
                let mut one = Collector::new();
                one.add(source, bytes);
                one
            })
            .collect();
        let mut apart = Collector::new();
        for one in &kept {
            apart.absorb(one.clone());
        }
        assert_eq!(json(&apart.finish()), json(&together), "{folder}");
    }
}
