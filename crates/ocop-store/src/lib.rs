//! Storage for ocop. SQL lives here and nowhere else.
//!
//! [`Store`] is the one interface the server uses; [`SqliteStore`] and [`PgStore`] implement it
//! with the same SQL text where the dialects agree (both accept `$1` placeholders and
//! `RETURNING`). Each topic's queries are written once in its module as a macro that is
//! instantiated for both backends in [`backends`].

mod backends;
mod error;
mod migrate;
mod model;
mod rows;
pub mod testing;

mod audit;
mod certificates;
mod cycles;
mod documents;
mod dossiers;
mod dossiers_sql;
mod localities;
mod maintenance;
mod organizations;
mod products;
mod search;
mod sessions;
mod stamps;
mod tokens;
mod users;
mod verification;

pub use audit::AuditStore;
pub use backends::{connect, Backend, DatabaseUrl, PgStore, SqliteStore};
pub use certificates::CertificateStore;
pub use cycles::{
    Cycle, CycleStore, NewCycle, NewProposal, NewSupport, Proposal, ProposalCount, ProposalFilter,
    Screening, Support,
};
pub use documents::DocumentStore;
pub use dossiers::{
    CertificateFilter, Dossier, DossierFilter, DossierStore, Evidence, Move, NewDossier,
    NewEvidence, NewRound, Round, ScoreSheet, Seat,
};
pub use error::StoreError;
pub use localities::LocalityStore;
pub use maintenance::MaintenanceStore;
pub use model::*;
pub use organizations::OrganizationStore;
pub use products::ProductStore;
pub use sessions::SessionStore;
pub use stamps::{Lot, NewBatch, NewLot, NewRange, StampBatch, StampRange, StampStore};
pub use tokens::TokenStore;
pub use users::UserStore;
pub use verification::{
    Activity, ActivityAfter, Alert, BatchCard, NewAlert, NewReport, NewScan, ProductCard, Report,
    ScanDay, VerificationStore, WatchFilter,
};

/// Everything the server needs from a database.
pub trait Store:
    UserStore
    + SessionStore
    + TokenStore
    + AuditStore
    + LocalityStore
    + OrganizationStore
    + ProductStore
    + DocumentStore
    + CertificateStore
    + CycleStore
    + DossierStore
    + MaintenanceStore
    + StampStore
    + VerificationStore
    + Send
    + Sync
{
    fn backend(&self) -> Backend;
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Decodes an optional row, or every row, with one of the topics' `*_from_row!` macros.
macro_rules! decode_row {
    ($row:expr, $($from:tt)+) => {
        match $row {
            Some(r) => Some($($from)+!(r)),
            None => None,
        }
    };
}
pub(crate) use decode_row;

macro_rules! decode_rows {
    ($rows:expr, $($from:tt)+) => {{
        let rows = $rows;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push($($from)+!(r));
        }
        out
    }};
}
pub(crate) use decode_rows;
