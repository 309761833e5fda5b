//! The `nhi-lens` command line: scan exports, explain rules, list the formats it reads.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use nhi_lens::report::{self, Format, TableOptions};

/// A scan allocates a few hundred megabytes of small objects in one go. mimalloc with large OS
/// pages takes a fault per 2 MiB instead of per 4 KiB, which on a virtual machine is most of the
/// difference between reading a 100 MB export in a third of a second and in a second.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn use_large_pages() {
    // SAFETY: mi_option_set only records an option value; it is called before any threads start.
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1) };
}
use nhi_lens::score::Level;
use nhi_lens::{Collector, Policy, assess, frameworks, platforms, rules, timestamp};

/// Finds the non-human identities in SaaS admin exports and scores their owner, age and risk.
#[derive(Parser)]
#[command(name = "nhi-lens", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read exports and API responses, score every identity, print a report.
    ///
    /// Exit status: 0 when all inputs were read (and nothing reached --fail-on), 1 when an
    /// identity is at or above --fail-on, 2 when an input could not be read in full (every
    /// identity from the readable inputs is still reported).
    Scan {
        /// Files or folders (read recursively). Each input's kind is recognized by its content.
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
        /// Report format.
        #[arg(long, short, default_value = "table", value_parser = parse_format)]
        format: Format,
        /// Policy file (TOML): thresholds, allowlist, owner map, risk acceptances.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// An earlier JSON report of the same tenant: permissions added since are reported.
        #[arg(long, value_name = "REPORT")]
        previous: Option<PathBuf>,
        /// Treat this time as "now" (RFC 3339 or a date), for reproducible results.
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
        /// Exit with status 1 when any identity is at or above this level.
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        fail_on: Option<Level>,
        /// Table format: list every identity, with or without findings.
        #[arg(long)]
        all: bool,
        /// Table format: list at most this many identities with findings, riskiest first (0: all).
        #[arg(long, value_name = "N", default_value_t = report::DEFAULT_TOP)]
        top: usize,
        /// Write the report to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the rules, or explain one (`nhi-lens rules NL101`).
    Rules {
        /// A rule code.
        code: Option<String>,
    },
    /// List the exports and API responses NHI Lens reads, with their documentation.
    Formats,
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|(_, n, _)| *n).collect();
        format!("unknown format; one of: {}", names.join(", "))
    })
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| "one of: critical, high, medium, low".to_string())
}

fn main() -> ExitCode {
    use_large_pages();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan {
            inputs,
            format,
            policy,
            previous,
            now,
            fail_on,
            all,
            top,
            output,
        } => scan(ScanArgs {
            inputs,
            format,
            policy,
            previous,
            now,
            fail_on,
            all,
            top,
            output,
        }),
        Command::Rules { code } => explain_rules(code.as_deref()),
        Command::Formats => list_formats(),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("nhi-lens: {message}");
            ExitCode::from(2)
        }
    }
}

struct ScanArgs {
    inputs: Vec<PathBuf>,
    format: Format,
    policy: Option<PathBuf>,
    previous: Option<PathBuf>,
    now: Option<String>,
    fail_on: Option<Level>,
    all: bool,
    top: usize,
    output: Option<PathBuf>,
}

fn scan(args: ScanArgs) -> Result<ExitCode, String> {
    let policy = match &args.policy {
        None => Policy::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the policy {}: {e}", path.display()))?;
            Policy::from_toml(&text).map_err(|e| format!("policy {}: {e}", path.display()))?
        }
    };
    let now = match &args.now {
        None => time::OffsetDateTime::now_utc(),
        Some(text) => timestamp::parse(text)
            .ok_or_else(|| format!("--now \"{text}\" is not a date or time"))?,
    };

    let mut collector = Collector::new();
    // Inputs that are one page of a longer list, with the member that says so.
    let mut named_next = Vec::new();
    for input in &args.inputs {
        for file in files_under(input, &mut collector) {
            let source = file.display().to_string();
            match load(&file) {
                // The bytes are released as soon as they are read: only identities are kept.
                Ok(bytes) => {
                    collector.add(&source, &bytes);
                    if let Some(member) = nhi_lens::ingest::probe::later_pages(&bytes) {
                        named_next.push((source, member));
                    }
                }
                Err(e) => collector.fail(&source, format!("cannot read the file: {e}")),
            }
        }
    }
    let baseline = match &args.previous {
        None => None,
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read the earlier report {}: {e}", path.display()))?;
            let baseline = nhi_lens::previous::Baseline::read(&bytes)
                .map_err(|e| format!("earlier report {}: {e}", path.display()))?;
            Some(baseline)
        }
    };
    let mut inventory = collector.finish();
    nhi_lens::ingest::note_unfinished_lists(&mut inventory, &named_next);
    if let Some(baseline) = &baseline {
        baseline.apply(&mut inventory.identities);
    }
    // A report read back keeps the decisions it was made under.
    let policy = policy.with_decisions(std::mem::take(&mut inventory.decisions));
    let report = assess(inventory, &policy, now);

    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let written = match args.format {
        Format::Table => report::write_table(
            &report,
            &TableOptions {
                all: args.all,
                top: args.top,
            },
            &mut out,
        ),
        format => report::write(&report, format, &mut out),
    };
    written
        .and_then(|()| out.flush())
        .or_else(ignore_broken_pipe)
        .map_err(|e| format!("writing the report: {e}"))?;

    if args.format != Format::Table && !report.errors.is_empty() {
        for e in &report.errors {
            eprintln!(
                "nhi-lens: {}: {}",
                nhi_lens::text::printable(&e.source),
                nhi_lens::text::printable(&e.message)
            );
        }
    }
    let code = if !report.errors.is_empty() {
        2
    } else if args
        .fail_on
        .is_some_and(|t| t > Level::None && report.worst() >= t)
    {
        1
    } else {
        0
    };
    // The process ends here: freeing a few hundred thousand identities one by one would only
    // delay the exit.
    std::mem::forget(report);
    Ok(ExitCode::from(code))
}

/// An input's bytes: mapped when large, read otherwise.
enum Loaded {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for Loaded {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Loaded::Mapped(map) => map,
            Loaded::Read(bytes) => bytes,
        }
    }
}

/// Files this large are mapped rather than copied: a 100 MB export then costs no copy and no
/// fresh memory, and its pages go back to the page cache once it is read.
const MAP_FROM_BYTES: u64 = 4 << 20;

fn load(path: &Path) -> io::Result<Loaded> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() < MAP_FROM_BYTES {
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut &file, &mut bytes)?;
        return Ok(Loaded::Read(bytes));
    }
    // SAFETY: the map is read-only and lives only while this one input is parsed. Another
    // process truncating the export during those milliseconds would fault the scan; an admin's
    // saved export is not rewritten while it is being scanned.
    // Populating the map up front faults it in with one call instead of one fault per page.
    unsafe { memmap2::MmapOptions::new().populate().map(&file) }.map(Loaded::Mapped)
}

/// A reader closing the pipe early (`| head`) is not an error.
fn ignore_broken_pipe(e: io::Error) -> io::Result<()> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}

/// The files of an input path: the file itself, or every file under a folder, in name order.
fn files_under(path: &Path, collector: &mut Collector) -> Vec<PathBuf> {
    let source = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            collector.fail(&source, format!("cannot open: {e}"));
            return Vec::new();
        }
    };
    if !meta.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(dir) => dir.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            collector.fail(&source, format!("cannot list the folder: {e}"));
            return Vec::new();
        }
    };
    entries.sort();
    entries
        .into_iter()
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .flat_map(|p| files_under(&p, collector))
        .collect()
}

fn explain_rules(code: Option<&str>) -> Result<ExitCode, String> {
    let fw = frameworks::frameworks();
    let mut out = io::stdout().lock();
    let Some(code) = code else {
        for rule in rules::RULES {
            let m = rule.meta();
            let _ = writeln!(
                out,
                "{}  {:<8}  {:<10}  {}",
                m.code,
                m.severity.as_str(),
                fw.owasp_for(m.code).join(","),
                m.title
            );
        }
        return Ok(ExitCode::SUCCESS);
    };
    let rule = rules::by_code(code).ok_or_else(|| format!("no rule has the code {code}"))?;
    let m = rule.meta();
    let doc = rules::doc(m.name).ok_or("the rule has no documentation")?;
    let _ = writeln!(
        out,
        "{} {} ({})\n\nSeverity: {}\nOWASP NHI Top 10 2025: {}\nNIST CSF 2.0: {}\n\nWhat it does\n{}\n\nWhy is this bad?\n{}\n\nExample\n{}\n\nRemediation\n{}\n\nReferences\n{}",
        m.code,
        m.title,
        m.name,
        m.severity.as_str(),
        fw.owasp_for(m.code).join(", "),
        fw.nist_for(m.code).join(", "),
        doc.what_it_does,
        doc.why_is_this_bad,
        doc.example,
        doc.remediation,
        doc.references
    );
    Ok(ExitCode::SUCCESS)
}

fn list_formats() -> Result<ExitCode, String> {
    let mut out = io::stdout().lock();
    for spec in platforms::PLATFORMS {
        let _ = writeln!(out, "{}", spec.platform.display_name());
        for f in spec.formats {
            let _ = writeln!(
                out,
                "  {:<42} {}\n  {:<42} {}",
                f.id, f.title, "", f.doc_url
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
