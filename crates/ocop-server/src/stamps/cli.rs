//! `ocop stamps issue | export | verify`: the operator at the command line, who holds the
//! database and the key file and so is not checked against a scope (every change is audited
//! as "cli").

use super::export::{self, ExportRequest, Format};
use crate::app::Config;
use crate::cli::StampsCommand;
use crate::commands::open_store;
use crate::error::Fatal;
use crate::users::Requester;
use ocop_domain::stamps::stretch_at;
use ocop_stamp::{CodeBook, StampCode};
use std::io::Write;
use std::path::Path;

pub async fn run(config: &Config, command: StampsCommand) -> Result<(), Fatal> {
    // Ordering stamps on a fresh installation creates the key file as the server would;
    // checking a code needs the real one.
    let keys = match command {
        StampsCommand::Verify { .. } => load_keys(config)?,
        _ => {
            crate::keyfile::load_or_create(&config.key_file)
                .map_err(|e| Fatal::new(e.to_string()))?
                .0
        }
    };
    let codes = CodeBook::new(&keys);
    match command {
        StampsCommand::Issue { product, count } => {
            let store = open_store(config).await?;
            let b = super::issue_batch(
                &*store,
                Requester::Operator,
                product,
                count,
                keys.current().kid,
            )
            .await?;
            println!(
                "{}",
                serde_json::json!({"batch_id": b.id, "first_serial": b.first_serial, "count": b.count})
            );
            Ok(())
        }
        StampsCommand::Export {
            batch,
            format,
            output,
            with_pin,
            layout,
            from,
            to,
            digital_link,
        } => {
            let store = open_store(config).await?;
            let req = ExportRequest {
                format: Format::parse(&format)?,
                with_pin,
                layout,
                from,
                to,
                digital_link,
            };
            let prepared =
                export::prepare(&*store, &codes, Requester::Operator, batch, &req).await?;
            let base = config.public_base();
            let started = std::time::Instant::now();
            let n = prepared.len();
            tokio::task::spawn_blocking(move || write_file(&prepared, &codes, &base, &output))
                .await
                .map_err(|e| Fatal::new(format!("the export stopped: {e}")))??;
            eprintln!(
                "{n} stamps exported in {:.2} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        StampsCommand::Verify { code } => verify(config, &codes, &code).await,
    }
}

fn load_keys(config: &Config) -> Result<ocop_stamp::KeyRing, Fatal> {
    let text = std::fs::read_to_string(&config.key_file).map_err(|e| {
        Fatal::new(format!(
            "cannot read the key file {}: {e} (give the server's file with --key-file / OCOP_KEY_FILE)",
            config.key_file.display()
        ))
    })?;
    ocop_stamp::KeyRing::from_json(&text).map_err(|e| {
        Fatal::new(format!(
            "the key file {} is damaged: {e}",
            config.key_file.display()
        ))
    })
}

/// Writes beside the target and renames once complete, so a failed export leaves no half file.
fn write_file(
    prepared: &export::Export,
    codes: &CodeBook,
    base: &str,
    output: &Path,
) -> Result<(), Fatal> {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.part"));
    let fail =
        |e: &dyn std::fmt::Display| Fatal::new(format!("cannot write {}: {e}", output.display()));
    let mut file = std::fs::File::create(&tmp).map_err(|e| fail(&e))?;
    let bar = progress_bar(prepared.len());
    let result = prepared.write(codes, base, &mut file, &mut |done| bar.set_position(done));
    bar.finish_and_clear();
    let result = result.map_err(|e| fail(&e)).and_then(|_| {
        file.flush().map_err(|e| fail(&e))?;
        file.sync_all().map_err(|e| fail(&e))
    });
    drop(file);
    match result {
        Ok(()) => std::fs::rename(&tmp, output).map_err(|e| fail(&e)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// A bar on a terminal; nothing when stderr is a pipe or a file.
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} tem · {eta} còn lại")
    {
        bar.set_style(style);
    }
    bar
}

async fn verify(config: &Config, codes: &CodeBook, typed: &str) -> Result<(), Fatal> {
    let code = StampCode::parse(typed).map_err(|e| Fatal::new(format!("not valid: {e}")))?;
    let serial = codes.serial_of(&code);
    let kids = codes.kids_matching(&code);
    if kids.is_empty() {
        return Err(Fatal::new(format!(
            "not valid: {code} was not made with any key in {} (a mistyped or counterfeit code)",
            config.key_file.display()
        )));
    }
    let store = open_store(config).await?;
    let Some(batch) = store.batch_holding(serial as i64).await? else {
        return Err(Fatal::new(format!(
            "not valid: serial {serial} has not been issued in this database (is --database-url the server's?)"
        )));
    };
    if !kids.contains(&(batch.kid as u32)) {
        return Err(Fatal::new(format!(
            "not valid: serial {serial} is in batch {} under key {}, but the code was made with another key",
            batch.id, batch.kid
        )));
    }
    let recorded: Vec<_> = store
        .stamp_ranges(batch.id)
        .await?
        .iter()
        .map(ocop_store::StampRange::recorded)
        .collect();
    let stretch = stretch_at(&recorded, serial as i64);
    let b = &batch;
    println!(
        "{}",
        serde_json::json!({"valid": true, "code": code.grouped(), "serial": serial, "batch_id": b.id,
            "product_id": b.product_id, "kid": b.kid, "stamp": stretch})
    );
    Ok(())
}
