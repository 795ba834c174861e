//! `ocop criteria list|show|score`: the criteria sets and scoring, without a database.

use crate::cli::CriteriaCommand;
use crate::error::Fatal;
use ocop_domain::criteria::{self, Choice, Rubric};
use std::io::Read;
use std::path::Path;

pub fn run(command: &CriteriaCommand) -> Result<(), Fatal> {
    match command {
        CriteriaCommand::List => {
            for s in criteria::criteria_sets() {
                println!(
                    "{:>2}  {} · {} · {}",
                    s.number, s.group, s.name, s.managing_agency
                );
            }
            Ok(())
        }
        CriteriaCommand::Show { set } => {
            let r = criteria::rubric(*set).map_err(|e| Fatal::new(e.to_string()))?;
            print!("{}", sheet_text(r));
            Ok(())
        }
        CriteriaCommand::Score { set, answers } => {
            criteria::rubric(*set).map_err(|e| Fatal::new(e.to_string()))?;
            let json = read_answers(answers)?;
            let view = super::score::score_answers(*set, &json)
                .map_err(|e| Fatal::new(format!("{}: {e}", source_name(answers))))?;
            let text = serde_json::to_string_pretty(&view)
                .map_err(|e| Fatal::new(format!("cannot write the result: {e}")))?;
            println!("{text}");
            Ok(())
        }
    }
}

fn read_answers(path: &Path) -> Result<serde_json::Value, Fatal> {
    let mut text = String::new();
    let read = if path == Path::new("-") {
        std::io::stdin()
            .take(16 << 20)
            .read_to_string(&mut text)
            .map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| Fatal::new(format!("cannot read {}: {e}", source_name(path))))?;
    serde_json::from_str(&text).map_err(|e| {
        Fatal::new(format!(
            "{} is not JSON ({e}): write {{\"members\":[{{\"1.1\":2,…}}]}}",
            source_name(path)
        ))
    })
}

fn source_name(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}

/// The score sheet as text: what an answers file needs (codes and option numbers).
fn sheet_text(r: &Rubric) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let star = |m: Option<u8>| m.map_or(String::new(), |l| format!("  [min {l}★]"));
    let points = |p: Option<u32>| p.map_or("blank".to_string(), |p| p.to_string());
    for part in &r.parts {
        let _ = writeln!(
            out,
            "PART {} — {} ({} points)",
            part.code, part.name, part.max_points
        );
        for c in &part.criteria {
            let stop = if c.stop_if_zero || c.has_stop_rule {
                "  [stop rule]"
            } else {
                ""
            };
            let _ = writeln!(out, "  {} {} (max {}){stop}", c.code, c.name, c.max_points);
            match &c.choice {
                Choice::Options { options } => {
                    for (i, o) in options.iter().enumerate() {
                        let _ = writeln!(
                            out,
                            "      {i}: {} pts — {}{}",
                            points(o.points),
                            o.text,
                            star(o.min_for_stars)
                        );
                    }
                }
                Choice::Cases { cases } => {
                    for (k, case) in cases.iter().enumerate() {
                        let _ = writeln!(out, "    case {k}: {}", case.name);
                        for (i, o) in case.options.iter().enumerate() {
                            let _ = writeln!(
                                out,
                                "      {i}: {} pts — {}{}",
                                points(o.points),
                                o.text,
                                star(o.min_for_stars)
                            );
                        }
                    }
                }
                Choice::Points => {
                    let _ = writeln!(
                        out,
                        "      no options in the source: answer {{\"points\":0..={}}}",
                        c.max_points
                    );
                }
            }
        }
    }
    if !r.disqualified_if.is_empty() {
        let _ = writeln!(out, "DISQUALIFIED IF");
        for (i, d) in r.disqualified_if.iter().enumerate() {
            let _ = writeln!(out, "  {i}: {d}");
        }
    }
    for f in &r.source_flags {
        let _ = writeln!(out, "SOURCE NOTE: {f}");
    }
    out
}
