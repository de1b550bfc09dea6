//! The store crate's errors.

/// What can go wrong in a store, the inbox engine or the send ledger.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database refused or lost the statement (connection, constraint, I/O inside the engine).
    #[error("store: database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The database holds a schema this version does not know (written by a newer faxkit-store).
    #[error(
        "store: schema version {found} is newer than this faxkit-store supports ({supported}); upgrade faxkit-store"
    )]
    SchemaTooNew {
        /// The version recorded in the database.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A store location that cannot be understood (`sqlite:PATH`, `postgres://…`, `memory:`).
    #[error("store: {0}")]
    Config(String),
    /// The lease (or send intent) was taken over by another worker: this worker's write was refused by the
    /// fencing token. What it did is not recorded; the new holder does it again.
    #[error("store: {key}: lease lost to another worker (fencing token {token} is stale)")]
    Fenced {
        /// The fax or send key.
        key: String,
        /// The stale token.
        token: i64,
    },
    /// The vendor call failed.
    #[error(transparent)]
    Fax(#[from] faxkit::Error),
    /// A sink or handler failed.
    #[error("store: handler failed: {0}")]
    Handler(String),
    /// A local file could not be written.
    #[error("store: I/O error: {context}: {source}")]
    Io {
        /// What was being written.
        context: String,
        /// The I/O error the write failed with.
        #[source]
        source: std::io::Error,
    },
    /// The send ledger refuses the send (key reused for another request, another worker is sending it, the
    /// outcome of an earlier attempt is unknown).
    #[error("store: send {key}: {message}")]
    Send {
        /// The idempotency key.
        key: String,
        /// Why the ledger refused, as text (key used for a different request, send in progress elsewhere, …).
        message: String,
    },
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Database(Box::new(e))
    }
}

impl Error {
    /// An I/O error with context.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

/// The store crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
