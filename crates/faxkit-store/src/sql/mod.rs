//! [`SqlStore`]: the store over SQLite (one file, several processes on one machine) or Postgres (many workers
//! on many machines), through one set of statements.
//!
//! Every operation is a single conditional statement (`INSERT … ON CONFLICT DO NOTHING`, `UPDATE … WHERE
//! token = $n AND state = 'claimed' RETURNING …`), atomic in both engines: SQLite serialises writers on the
//! database file; Postgres locks the row and re-checks the `WHERE` clause against the committed row before
//! updating it (so two workers racing for one fax cannot both win, which is what `FOR UPDATE SKIP LOCKED`
//! would give a batch claim). Time comes from the database (`clock_timestamp()` on Postgres, the file's
//! machine on SQLite), so workers on machines with skewed clocks agree on when a lease ends.

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

use crate::error::{Error, Result};
use crate::model::{
    BeginSend, Claim, Failed, FaxKey, InboxRecord, InboxState, Lease, SendOutcome, SendRecord, SendState,
    outcome_columns, ts,
};
use crate::store::Store;

mod statements;

use statements::{Dialect, MIGRATIONS, Statements};

/// The schema this build writes; a database with a newer one is refused.
pub const SCHEMA_VERSION: i64 = 1;

/// A store in SQLite or Postgres. See the [crate docs](crate) for which to choose.
///
/// ```no_run
/// # async fn f() -> faxkit_store::Result<()> {
/// use faxkit_store::SqlStore;
/// let local = SqlStore::sqlite("/var/lib/fax/inbox.db").await?;
/// # #[cfg(feature = "postgres")]
/// let fleet = SqlStore::postgres("postgres://fax@db.internal/fax").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    statements: &'static Statements,
    describe: String,
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4)
}

impl SqlStore {
    /// Opens (creating when missing) the SQLite database file at `path`, in WAL mode with full syncs, and
    /// applies the migrations. Several processes on one machine may open the same file.
    ///
    /// # Errors
    /// [`Error::Database`] when the file cannot be opened; [`Error::SchemaTooNew`].
    #[cfg(feature = "sqlite")]
    pub async fn sqlite(path: impl AsRef<std::path::Path>) -> Result<SqlStore> {
        // Processes opening one new file at once race for the switch to WAL and for the first migration;
        // SQLite answers the losers "database is locked" without waiting, so they try again.
        let mut attempt = 0u64;
        loop {
            match SqlStore::sqlite_once(path.as_ref()).await {
                Err(e) if is_busy(&e) && attempt < 100 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(10 * attempt.min(10))).await;
                }
                other => return other,
            }
        }
    }

    #[cfg(feature = "sqlite")]
    async fn sqlite_once(path: &std::path::Path) -> Result<SqlStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await.map_err(|e| Error::io(dir.display().to_string(), e))?;
        }
        let text = path.to_str().ok_or_else(|| Error::Config(format!("{}: not UTF-8", path.display())))?;
        let url = format!("sqlite://{text}?mode=rwc");
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // Writers from other processes wait instead of failing; every commit reaches the disk.
                    sqlx::raw_sql("PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        sqlx::raw_sql("PRAGMA journal_mode = WAL").execute(&pool).await?;
        let store = SqlStore {
            pool,
            statements: Statements::get(Dialect::Sqlite),
            describe: format!("sqlite:{}", path.display()),
        };
        store.migrate(Dialect::Sqlite).await?;
        Ok(store)
    }

    /// Connects to Postgres at `url` (`postgres://user:password@host:port/db`) and applies the migrations.
    ///
    /// # Errors
    /// [`Error::Database`] when the server cannot be reached; [`Error::SchemaTooNew`].
    #[cfg(feature = "postgres")]
    pub async fn postgres(url: &str) -> Result<SqlStore> {
        SqlStore::postgres_with(url, 16).await
    }

    /// [`postgres`](SqlStore::postgres) with a pool of at most `max_connections`.
    ///
    /// # Errors
    /// As [`postgres`](SqlStore::postgres).
    #[cfg(feature = "postgres")]
    pub async fn postgres_with(url: &str, max_connections: u32) -> Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(max_connections.max(1)).connect(url).await?;
        let store = SqlStore { pool, statements: Statements::get(Dialect::Postgres), describe: redact_url(url) };
        store.migrate(Dialect::Postgres).await?;
        Ok(store)
    }

    /// Applies the migrations the database lacks, under a lock so concurrent openers apply each once.
    async fn migrate(&self, dialect: Dialect) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let begin = match dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        };
        sqlx::raw_sql(begin).execute(&mut *conn).await?;
        let result = async {
            if dialect == Dialect::Postgres {
                // One opener at a time; the lock ends with the transaction.
                sqlx::raw_sql("SELECT pg_advisory_xact_lock(7305206114)").execute(&mut *conn).await?;
            }
            sqlx::raw_sql("CREATE TABLE IF NOT EXISTS faxkit_schema (version BIGINT NOT NULL)")
                .execute(&mut *conn)
                .await?;
            let found: Option<i64> = sqlx::query("SELECT MAX(version) FROM faxkit_schema")
                .fetch_one(&mut *conn)
                .await?
                .try_get::<Option<i64>, _>(0)?;
            let found = found.unwrap_or(0);
            if found > SCHEMA_VERSION {
                return Err(Error::SchemaTooNew { found, supported: SCHEMA_VERSION });
            }
            for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
                sqlx::raw_sql(*sql).execute(&mut *conn).await?;
                sqlx::query("INSERT INTO faxkit_schema (version) VALUES ($1)")
                    .bind(*version)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }
        .await;
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = sqlx::raw_sql(end).execute(&mut *conn).await;
        result?;
        ended?;
        Ok(())
    }

    /// The schema version recorded in the database.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn schema_version(&self) -> Result<i64> {
        let row = sqlx::query("SELECT MAX(version) FROM faxkit_schema").fetch_one(&self.pool).await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
    }

    /// The connection pool, for callers that keep their own tables beside these.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// Whether SQLite said "busy" or "locked" (result codes 5 and 6, with their extended forms).
#[cfg(feature = "sqlite")]
fn is_busy(e: &Error) -> bool {
    let Error::Database(inner) = e else { return false };
    inner
        .downcast_ref::<sqlx::Error>()
        .and_then(sqlx::Error::as_database_error)
        .and_then(|d| d.code())
        .and_then(|code| code.parse::<i64>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// `postgres://user:secret@host/db` without the password.
#[cfg(any(feature = "postgres", test))]
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

fn inbox_record(row: &AnyRow) -> Result<InboxRecord> {
    let attempts: i64 = row.try_get("attempts")?;
    Ok(InboxRecord {
        key: FaxKey::new(row.try_get::<String, _>("source")?, row.try_get::<String, _>("fax_id")?),
        state: InboxState::parse(&row.try_get::<String, _>("state")?),
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        owner: row.try_get("owner")?,
        token: row.try_get("token")?,
        lease_until: row.try_get::<Option<i64>, _>("lease_until")?.map(ts),
        last_error: row.try_get("last_error")?,
        updated_at: ts(row.try_get("updated_at")?),
    })
}

fn send_record(row: &AnyRow) -> Result<SendRecord> {
    Ok(SendRecord {
        key: row.try_get("send_key")?,
        vendor: row.try_get("vendor")?,
        state: SendState::parse(&row.try_get::<String, _>("state")?),
        fax_id: row.try_get("fax_id")?,
        fingerprint: row.try_get("fingerprint")?,
        owner: row.try_get("owner")?,
        token: row.try_get("token")?,
        lease_until: row.try_get::<Option<i64>, _>("lease_until")?.map(ts),
        error: row.try_get("error")?,
        created_at: ts(row.try_get("created_at")?),
        updated_at: ts(row.try_get("updated_at")?),
    })
}

#[async_trait::async_trait]
impl Store for SqlStore {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    async fn claim(&self, key: &FaxKey, owner: &str, lease: Duration, max_attempts: u32) -> Result<Claim> {
        let s = &self.statements;
        let inserted = sqlx::query(s.claim_insert)
            .bind(&key.source)
            .bind(&key.fax_id)
            .bind(owner)
            .bind(ms(lease))
            .execute(&self.pool)
            .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::Claimed(Lease { key: key.clone(), owner: owner.to_owned(), token: 1, attempt: 1 }));
        }
        let taken = sqlx::query(s.claim_takeover)
            .bind(&key.source)
            .bind(&key.fax_id)
            .bind(owner)
            .bind(ms(lease))
            .bind(i64::from(max_attempts))
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = taken {
            let token: i64 = row.try_get(0)?;
            let attempt: i64 = row.try_get(1)?;
            let attempt = u32::try_from(attempt).unwrap_or(u32::MAX);
            return Ok(Claim::Claimed(Lease { key: key.clone(), owner: owner.to_owned(), token, attempt }));
        }
        let Some(row) =
            sqlx::query(s.claim_state).bind(&key.source).bind(&key.fax_id).fetch_optional(&self.pool).await?
        else {
            return Ok(Claim::Busy); // deleted under us by hand: look again next round
        };
        let state = InboxState::parse(&row.try_get::<String, _>(0)?);
        let attempts: i64 = row.try_get(1)?;
        let token: i64 = row.try_get(2)?;
        let free: i64 = row.try_get(3)?;
        Ok(match state {
            InboxState::Done => Claim::Done { acknowledged: false },
            InboxState::Acknowledged => Claim::Done { acknowledged: true },
            InboxState::Dead => Claim::Dead,
            InboxState::Claimed | InboxState::Retry if free == 1 && attempts >= i64::from(max_attempts) => {
                sqlx::query(s.dead_letter)
                    .bind(&key.source)
                    .bind(&key.fax_id)
                    .bind(token)
                    .bind(format!("{attempts} claims without a result"))
                    .execute(&self.pool)
                    .await?;
                Claim::Dead
            }
            InboxState::Claimed | InboxState::Retry => Claim::Busy,
        })
    }

    async fn renew(&self, lease: &Lease, duration: Duration) -> Result<bool> {
        let done = sqlx::query(self.statements.renew)
            .bind(&lease.key.source)
            .bind(&lease.key.fax_id)
            .bind(lease.token)
            .bind(ms(duration))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn complete(&self, lease: &Lease) -> Result<()> {
        let done = sqlx::query(self.statements.complete)
            .bind(&lease.key.source)
            .bind(&lease.key.fax_id)
            .bind(lease.token)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(Error::Fenced { key: lease.key.to_string(), token: lease.token })
        }
    }

    async fn acknowledged(&self, key: &FaxKey) -> Result<()> {
        sqlx::query(self.statements.acknowledged).bind(&key.source).bind(&key.fax_id).execute(&self.pool).await?;
        Ok(())
    }

    async fn fail(&self, lease: &Lease, error: &str, max_attempts: u32, backoff: Duration) -> Result<Failed> {
        let row = sqlx::query(self.statements.fail)
            .bind(&lease.key.source)
            .bind(&lease.key.fax_id)
            .bind(lease.token)
            .bind(i64::from(max_attempts))
            .bind(ms(backoff))
            .bind(error)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Err(Error::Fenced { key: lease.key.to_string(), token: lease.token });
        };
        Ok(match InboxState::parse(&row.try_get::<String, _>(0)?) {
            InboxState::Dead => Failed::DeadLettered,
            _ => Failed::RetryIn(u64::try_from(ms(backoff)).unwrap_or(0)),
        })
    }

    async fn postpone(&self, lease: &Lease, error: &str, backoff: Duration) -> Result<()> {
        let done = sqlx::query(self.statements.postpone)
            .bind(&lease.key.source)
            .bind(&lease.key.fax_id)
            .bind(lease.token)
            .bind(ms(backoff))
            .bind(error)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(Error::Fenced { key: lease.key.to_string(), token: lease.token })
        }
    }

    async fn release(&self, lease: &Lease) -> Result<()> {
        sqlx::query(self.statements.release)
            .bind(&lease.key.source)
            .bind(&lease.key.fax_id)
            .bind(lease.token)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn due(&self, source: &str, limit: u32) -> Result<Vec<FaxKey>> {
        let rows = sqlx::query(self.statements.due).bind(source).bind(i64::from(limit)).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(FaxKey::new(r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?))).collect()
    }

    async fn inbox(&self, state: Option<InboxState>) -> Result<Vec<InboxRecord>> {
        let rows = match state {
            None => sqlx::query(self.statements.inbox_all).fetch_all(&self.pool).await?,
            Some(s) => sqlx::query(self.statements.inbox_in).bind(s.as_str()).fetch_all(&self.pool).await?,
        };
        rows.iter().map(inbox_record).collect()
    }

    async fn requeue(&self, key: &FaxKey) -> Result<bool> {
        let done = sqlx::query(self.statements.requeue).bind(&key.source).bind(&key.fax_id).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    async fn begin_send(
        &self,
        key: &str,
        vendor: &str,
        fingerprint: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<BeginSend> {
        let s = &self.statements;
        let inserted = sqlx::query(s.send_insert)
            .bind(key)
            .bind(vendor)
            .bind(fingerprint)
            .bind(owner)
            .bind(ms(lease))
            .execute(&self.pool)
            .await?;
        if inserted.rows_affected() == 1 {
            return Ok(BeginSend::Fresh(1));
        }
        let Some(row) = sqlx::query(s.send_get).bind(key).fetch_optional(&self.pool).await? else {
            return Err(Error::Send { key: key.to_owned(), message: "ledger entry vanished while reading it".into() });
        };
        let record = send_record(&row)?;
        let live: i64 = row.try_get("live")?;
        if record.fingerprint != fingerprint {
            return Ok(BeginSend::Mismatch(record));
        }
        match record.state {
            SendState::Sent => return Ok(BeginSend::Sent(record)),
            SendState::Intent if live == 1 => return Ok(BeginSend::InProgress(record)),
            _ => {}
        }
        let taken = sqlx::query(s.send_takeover)
            .bind(key)
            .bind(record.token)
            .bind(owner)
            .bind(ms(lease))
            .fetch_optional(&self.pool)
            .await?;
        let Some(taken) = taken else {
            // Someone else changed it between the read and the takeover: report what it is now.
            return Ok(match self.send_record(key).await? {
                Some(now) if now.state == SendState::Sent => BeginSend::Sent(now),
                Some(now) => BeginSend::InProgress(now),
                None => BeginSend::InProgress(record),
            });
        };
        let token: i64 = taken.try_get(0)?;
        Ok(match record.state {
            SendState::Failed => BeginSend::Retry(token),
            _ => BeginSend::Reconcile(token, record),
        })
    }

    async fn finish_send(&self, key: &str, token: i64, outcome: &SendOutcome) -> Result<()> {
        let (state, fax_id, error) = outcome_columns(outcome);
        let done = sqlx::query(self.statements.send_finish)
            .bind(key)
            .bind(token)
            .bind(state.as_str())
            .bind(fax_id)
            .bind(error)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 1 { Ok(()) } else { Err(Error::Fenced { key: key.to_owned(), token }) }
    }

    async fn send_record(&self, key: &str) -> Result<Option<SendRecord>> {
        let row = sqlx::query(self.statements.send_get).bind(key).fetch_optional(&self.pool).await?;
        row.as_ref().map(send_record).transpose()
    }

    async fn sends(&self) -> Result<Vec<SendRecord>> {
        let rows = sqlx::query(self.statements.sends).fetch_all(&self.pool).await?;
        rows.iter().map(send_record).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(redact_url("postgres://fax:s3cret@db:5432/fax"), "postgres://fax@db:5432/fax");
        assert_eq!(redact_url("postgres://db/fax"), "postgres://db/fax");
    }
}
