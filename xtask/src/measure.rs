//! Wall time and peak memory of one command, measured in a fresh process so that nothing else
//! this xtask ran (cargo, the compiler) counts towards the peak.

use std::process::{Command, Stdio};
use std::time::Instant;

/// One run of a command.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub seconds: f64,
    pub peak_bytes: u64,
}

/// Runs `program args` through `xtask __measure` and reads back its time and peak RSS.
pub fn measure(program: &str, args: &[&str]) -> Result<Sample, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(me)
        .arg("__measure")
        .arg(program)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot measure {program}: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    match fields.as_slice() {
        [nanos, kb, code] => {
            if *code != "0" && *code != "1" {
                return Err(format!("{program} exited with {code}"));
            }
            Ok(Sample {
                seconds: nanos.parse::<f64>().map_err(|e| e.to_string())? / 1e9,
                peak_bytes: kb.parse::<u64>().map_err(|e| e.to_string())? * 1024,
            })
        }
        _ => Err(format!("unexpected measurement output: {text}")),
    }
}

/// The best (least noisy) of `runs` runs after one warm-up run: shortest time, largest peak.
pub fn best_of(runs: usize, program: &str, args: &[&str]) -> Result<Sample, String> {
    measure(program, args)?;
    let mut best: Option<Sample> = None;
    for _ in 0..runs {
        let s = measure(program, args)?;
        best = Some(match best {
            None => s,
            Some(b) => Sample {
                seconds: b.seconds.min(s.seconds),
                peak_bytes: b.peak_bytes.max(s.peak_bytes),
            },
        });
    }
    best.ok_or_else(|| "no runs".into())
}

/// `xtask __measure PROGRAM ARGS…`: runs the program with its output discarded and prints
/// `nanoseconds peak-rss-kb exit-code`.
pub fn child(args: &[String]) -> Result<(), String> {
    let (program, rest) = args.split_first().ok_or("__measure needs a program")?;
    let started = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let elapsed = started.elapsed();
    // SAFETY: getrusage writes into the zeroed struct we own; RUSAGE_CHILDREN covers the one
    // child this process has waited for.
    let peak_kb = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss
    };
    println!(
        "{} {} {}",
        elapsed.as_nanos(),
        peak_kb,
        status.code().unwrap_or(-1)
    );
    Ok(())
}
