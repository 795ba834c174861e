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
    pub public_url: url::Url,
}

impl Config {
    pub fn from_options(o: &GlobalOptions) -> Result<Config, Fatal> {
        let database_url: DatabaseUrl = o.database_url.parse().map_err(|e| Fatal::new(e.to_string()))?;
        let public_url = url::Url::parse(o.public_url.trim_end_matches('/'))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                Fatal::new(format!(
                    "--public-url `{}` is not an http(s) address: write it like https://ocop.quangninh.gov.vn",
                    o.public_url
                ))
            })?;
        Ok(Config {
            database_url,
            key_file: o.key_file.clone(),
            public_url,
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
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config, keys: &KeyRing) -> AppState {
        AppState {
            store,
            config: Arc::new(config),
            secrets: Arc::new(Secrets::derive(keys)),
            limits: Arc::new(Limits::default()),
            metrics: Arc::new(Metrics::default()),
        }
    }
}


/// Whether the public URL is HTTPS; put in request extensions for the headers middleware.
#[derive(Clone, Copy)]
pub struct PublicScheme(pub bool);
