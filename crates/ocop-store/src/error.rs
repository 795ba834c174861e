use std::fmt;

/// What can go wrong in the store, in terms a handler can turn into a clear answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value is already taken; the field names it (e.g. "email").
    #[error("{0} is already in use")]
    Conflict(&'static str),
    /// A referenced record does not exist (e.g. an organization id).
    #[error("{0} does not exist")]
    MissingReference(&'static str),
    #[error("not found")]
    NotFound,
    /// A stamp range the rules refuse (outside the batch, voided, beyond the lot…).
    #[error("{0}")]
    Range(#[from] ocop_domain::stamps::RangeRefusal),
    /// A dossier step the procedure refuses (wrong state or role).
    #[error("{0}")]
    Step(#[from] ocop_domain::evaluation::StepRefused),
    /// A step on an idea or plan the cycle's rules refuse (wrong state or role).
    #[error("{0}")]
    Proposal(#[from] ocop_domain::cycle::ProposalRefused),
    /// A change the record's state does not allow, said in full.
    #[error("{0}")]
    Refused(String),
    /// The 40-bit serial space cannot hold another batch of that size.
    #[error("no serials left for a batch of this size")]
    SerialsExhausted,
    #[error("bad database URL: {0}")]
    BadUrl(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}

/// Maps a unique or foreign-key violation to a named, user-facing error.
pub(crate) fn classify(
    e: sqlx::Error,
    unique: &'static str,
    reference: &'static str,
) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Conflict(unique);
        }
        if db.is_foreign_key_violation() {
            return StoreError::MissingReference(reference);
        }
    }
    StoreError::Database(e)
}

/// A database URL with any password hidden, for logs and messages.
pub struct Redacted<'a>(pub &'a url::Url);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut u = self.0.clone();
        if u.password().is_some() {
            let _ = u.set_password(Some("***"));
        }
        write!(f, "{u}")
    }
}
