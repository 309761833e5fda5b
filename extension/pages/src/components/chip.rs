//! Risk and severity chips: a coloured label with the score.

use nhi_lens::score::Level;
use yew::prelude::*;

use crate::labels::level_title;

/// A risk chip: `high 72`, coloured by level.
pub fn risk_chip(level: Level, score: u8) -> Html {
    html! {
        <span class="chip" data-level={level.as_str()}
              title={format!("{} risk, score {score} of 100", level_title(level))}>
            <span class="chip-level">{ level.as_str() }</span>
            <span class="chip-score">{ score }</span>
        </span>
    }
}

/// A finding's severity (`critical`, `high`, `medium`, `low` or `info`).
pub fn severity_chip(severity: &str) -> Html {
    let level = match severity {
        "critical" | "high" | "medium" | "low" => severity,
        _ => "none",
    };
    html! {
        <span class="chip" data-level={level.to_string()} title={format!("Severity: {severity}")}>
            <span class="chip-level">{ severity.to_string() }</span>
        </span>
    }
}
