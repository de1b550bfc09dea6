//! [`open`]: a store from a location string.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::memory::MemoryStore;
use crate::store::Store;

/// Opens the store a location names:
///
/// | location | store |
/// |---|---|
/// | `memory:` | [`MemoryStore`] |
/// | `file:PATH` | [`FileStore`](crate::FileStore) (one JSON file, no database) |
/// | `sqlite:PATH` or `sqlite://PATH` | [`SqlStore::sqlite`](crate::SqlStore::sqlite) (feature `sqlite`) |
/// | `postgres://…` or `postgresql://…` | [`SqlStore::postgres`](crate::SqlStore::postgres) (feature `postgres`) |
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let store = faxkit_store::open("memory:").await?;
/// assert_eq!(store.describe(), "memory");
/// assert!(faxkit_store::open("mysql://db").await.is_err());
/// # Ok::<(), faxkit_store::Error>(()) }).unwrap();
/// ```
///
/// # Errors
/// [`Error::Config`] for a location it does not know or a store not compiled in; the store's own errors.
pub async fn open(location: &str) -> Result<Arc<dyn Store>> {
    if location == "memory:" || location == "memory" {
        return Ok(Arc::new(MemoryStore::new()));
    }
    if let Some(path) = location.strip_prefix("file:") {
        if path.is_empty() {
            return Err(Error::Config("file: needs a path (file:/var/lib/fax/state.json)".into()));
        }
        return Ok(Arc::new(crate::FileStore::open(path).await?));
    }
    if let Some(path) = location.strip_prefix("sqlite://").or_else(|| location.strip_prefix("sqlite:")) {
        if path.is_empty() {
            return Err(Error::Config("sqlite: needs a path (sqlite:/var/lib/fax/state.db)".into()));
        }
        #[cfg(feature = "sqlite")]
        return Ok(Arc::new(crate::SqlStore::sqlite(path).await?));
        #[cfg(not(feature = "sqlite"))]
        return Err(Error::Config("this build has no SQLite store (feature `sqlite`)".into()));
    }
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        return Ok(Arc::new(crate::SqlStore::postgres(location).await?));
        #[cfg(not(feature = "postgres"))]
        return Err(Error::Config("this build has no Postgres store (feature `postgres`)".into()));
    }
    Err(Error::Config(format!(
        "unknown store location {:?}: use sqlite:PATH, postgres://…, file:PATH or memory:",
        location.split('@').next_back().unwrap_or_default()
    )))
}
