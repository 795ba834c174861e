//! Configuration and the state every handler shares.

use crate::auth::limits::Limits;
use crate::auth::secrets::Secrets;
use crate::cli::GlobalOptions;
use crate::error::Fatal;
use crate::metrics::Metrics;
use ocop_stamp::KeyRing;
use ocop_store::{DatabaseUrl, Store};
use std::path::PathBuf;
use std::sync::Arc;

/// Settled configuration: every value checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub key_file: PathBuf,
    pub data_dir: PathBuf,
    pub public_url: url::Url,
    /// Per network and minute, for verification and PIN checks; 0 = no limit.
    pub rate_limit_per_minute: u32,
    pub thresholds: ocop_domain::verify::Thresholds,
}

impl Config {
    /// `listen` is the address a server will listen on: without an explicit public URL, that
    /// is where users reach it.
    pub fn from_options(
        o: &GlobalOptions,
        listen: Option<std::net::SocketAddr>,
    ) -> Result<Config, Fatal> {
        let public = match (&o.public_url, listen) {
            (Some(u), _) => u.clone(),
            // Listening on every interface: this machine is still reachable on loopback.
            (None, Some(addr)) if addr.ip().is_unspecified() => {
                format!("http://127.0.0.1:{}", addr.port())
            }
            (None, Some(addr)) => format!("http://{addr}"),
            (None, None) => "http://127.0.0.1:8080".to_string(),
        };
        let database_url: DatabaseUrl = o
            .database_url
            .parse()
            .map_err(|e: ocop_store::StoreError| Fatal::new(e.to_string()))?;
        let public_url = url::Url::parse(public.trim_end_matches('/'))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                Fatal::new(format!(
                    "--public-url `{}` is not an http(s) address: write it like https://ocop.quangninh.gov.vn",
                    public
                ))
            })?;
        Ok(Config {
            database_url,
            key_file: o.key_file.clone(),
            data_dir: o.data_dir.clone(),
            public_url,
            rate_limit_per_minute: o.rate_limit_per_minute,
            thresholds: ocop_domain::verify::Thresholds {
                scans: o.scan_alert_threshold.max(1),
                places: o.place_alert_threshold.max(1),
            },
        })
    }

    /// The public URL without a trailing slash, for building links.
    pub fn public_base(&self) -> String {
        self.public_url.as_str().trim_end_matches('/').to_string()
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// Shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub secrets: Arc<Secrets>,
    pub limits: Arc<Limits>,
    pub metrics: Arc<Metrics>,
    pub files: Arc<crate::files::FileStore>,
    /// Codes and PINs from the key file as it was at start: `ocop keys rotate` takes effect
    /// on a server when it restarts.
    pub codes: Arc<ocop_stamp::CodeBook>,
    /// The kid new batches are issued under (the highest in the key file).
    pub current_kid: u32,
    /// Answers scans from short-lived caches of batches and stamps' activity.
    pub verifier: Arc<crate::verify::Verifier>,
    /// Records every answered scan durably, many per transaction.
    pub scans: crate::verify::writer::ScanWriter,
}

impl AppState {
    /// Must run inside the Tokio runtime: it starts the scan writer.
    pub fn new(store: Arc<dyn Store>, config: Config, keys: &KeyRing) -> AppState {
        let codes = Arc::new(ocop_stamp::CodeBook::new(keys));
        AppState {
            files: Arc::new(crate::files::FileStore::new(config.data_dir.clone())),
            limits: Arc::new(Limits::new(config.rate_limit_per_minute)),
            verifier: Arc::new(crate::verify::Verifier::new(store.clone(), codes.clone())),
            scans: crate::verify::writer::ScanWriter::start(store.clone(), config.thresholds),
            store,
            config: Arc::new(config),
            secrets: Arc::new(Secrets::derive(keys)),
            codes,
            current_kid: keys.current().kid,
            metrics: Arc::new(Metrics::default()),
        }
    }
}
