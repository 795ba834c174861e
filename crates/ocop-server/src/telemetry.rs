//! Logs to standard error. `OCOP_LOG` takes targets such as `info` or `ocop_server=debug,info`.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

pub fn init() {
    let filter: Targets = std::env::var("OCOP_LOG")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| "info".parse().expect("static filter parses"));
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_target(false),
        )
        .with(filter)
        .try_init();
}
