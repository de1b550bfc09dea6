//! The SQL [`SqlStore`](super::SqlStore) runs: migrations, and every statement with the dialect's clock
//! written in once.

/// Migrations, applied in order on open inside one locked transaction. Each is plain SQL that both SQLite and
/// Postgres accept.
pub(super) const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE faxkit_inbox (
        source TEXT NOT NULL,
        fax_id TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts BIGINT NOT NULL,
        owner TEXT,
        token BIGINT NOT NULL,
        lease_until BIGINT,
        next_at BIGINT,
        last_error TEXT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (source, fax_id)
    );
    CREATE INDEX faxkit_inbox_by_state ON faxkit_inbox (state, updated_at);
    CREATE TABLE faxkit_sends (
        send_key TEXT PRIMARY KEY,
        vendor TEXT NOT NULL,
        state TEXT NOT NULL,
        fax_id TEXT,
        fingerprint TEXT NOT NULL,
        owner TEXT,
        token BIGINT NOT NULL,
        lease_until BIGINT,
        error TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
    );",
)];

/// A statement text made once per dialect and kept for the life of the process (sqlx takes `&'static str`
/// as audited SQL; these are built only from constants).
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The database's clock in milliseconds since the epoch.
    fn now(self) -> &'static str {
        match self {
            Dialect::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
            Dialect::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
        }
    }
}

const INBOX_COLUMNS: &str = "source, fax_id, state, attempts, owner, token, lease_until, last_error, updated_at";
const SEND_COLUMNS: &str =
    "send_key, vendor, state, fax_id, fingerprint, owner, token, lease_until, error, created_at, updated_at";

/// The statements, with the dialect's clock written in once.
#[derive(Debug)]
pub(super) struct Statements {
    pub(super) claim_insert: &'static str,
    pub(super) claim_takeover: &'static str,
    pub(super) claim_state: &'static str,
    pub(super) dead_letter: &'static str,
    pub(super) renew: &'static str,
    pub(super) complete: &'static str,
    pub(super) acknowledged: &'static str,
    pub(super) fail: &'static str,
    pub(super) postpone: &'static str,
    pub(super) release: &'static str,
    pub(super) due: &'static str,
    pub(super) inbox_all: &'static str,
    pub(super) inbox_in: &'static str,
    pub(super) requeue: &'static str,
    pub(super) send_insert: &'static str,
    pub(super) send_get: &'static str,
    pub(super) send_takeover: &'static str,
    pub(super) send_finish: &'static str,
    pub(super) sends: &'static str,
}

impl Statements {
    /// The statements of one dialect, built on first use.
    pub(super) fn get(dialect: Dialect) -> &'static Statements {
        static SQLITE: std::sync::OnceLock<Statements> = std::sync::OnceLock::new();
        static POSTGRES: std::sync::OnceLock<Statements> = std::sync::OnceLock::new();
        let cell = match dialect {
            Dialect::Sqlite => &SQLITE,
            Dialect::Postgres => &POSTGRES,
        };
        cell.get_or_init(|| Statements::new(dialect))
    }

    fn new(dialect: Dialect) -> Statements {
        let now = dialect.now();
        let key = "source = $1 AND fax_id = $2";
        Statements {
            claim_insert: leak(format!(
                "INSERT INTO faxkit_inbox ({INBOX_COLUMNS}, next_at) \
                 VALUES ($1, $2, 'claimed', 1, $3, 1, {now} + $4, NULL, {now}, NULL) \
                 ON CONFLICT (source, fax_id) DO NOTHING"
            )),
            claim_takeover: leak(format!(
                "UPDATE faxkit_inbox SET state = 'claimed', owner = $3, token = token + 1, attempts = attempts + 1, \
                 lease_until = {now} + $4, updated_at = {now} \
                 WHERE {key} AND attempts < $5 AND ((state = 'claimed' AND lease_until <= {now}) \
                 OR (state = 'retry' AND (next_at IS NULL OR next_at <= {now}))) \
                 RETURNING token, attempts"
            )),
            claim_state: leak(format!(
                "SELECT state, attempts, token, CASE WHEN (state = 'claimed' AND lease_until <= {now}) \
                 OR (state = 'retry' AND (next_at IS NULL OR next_at <= {now})) THEN 1 ELSE 0 END AS free \
                 FROM faxkit_inbox WHERE {key}"
            )),
            dead_letter: leak(format!(
                "UPDATE faxkit_inbox SET state = 'dead', lease_until = NULL, updated_at = {now}, \
                 last_error = COALESCE(last_error, $4) WHERE {key} AND token = $3 AND state IN ('claimed', 'retry')"
            )),
            renew: leak(format!(
                "UPDATE faxkit_inbox SET lease_until = {now} + $4, updated_at = {now} \
                 WHERE {key} AND token = $3 AND state = 'claimed'"
            )),
            complete: leak(format!(
                "UPDATE faxkit_inbox SET state = 'done', lease_until = NULL, updated_at = {now} \
                 WHERE {key} AND token = $3 AND state = 'claimed'"
            )),
            acknowledged: leak(format!(
                "UPDATE faxkit_inbox SET state = 'acknowledged', updated_at = {now} WHERE {key} AND state = 'done'"
            )),
            fail: leak(format!(
                "UPDATE faxkit_inbox SET state = CASE WHEN attempts >= $4 THEN 'dead' ELSE 'retry' END, \
                 next_at = {now} + $5, lease_until = NULL, last_error = $6, updated_at = {now} \
                 WHERE {key} AND token = $3 AND state = 'claimed' RETURNING state"
            )),
            postpone: leak(format!(
                "UPDATE faxkit_inbox SET state = 'retry', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
                 next_at = {now} + $4, lease_until = NULL, last_error = $5, updated_at = {now} \
                 WHERE {key} AND token = $3 AND state = 'claimed'"
            )),
            release: leak(format!(
                "UPDATE faxkit_inbox SET state = 'retry', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
                 next_at = {now}, lease_until = NULL, updated_at = {now} \
                 WHERE {key} AND token = $3 AND state = 'claimed'"
            )),
            due: leak(format!(
                "SELECT source, fax_id FROM faxkit_inbox WHERE source = $1 AND ((state = 'claimed' AND lease_until <= {now}) \
                 OR (state = 'retry' AND (next_at IS NULL OR next_at <= {now})) OR state = 'done') \
                 ORDER BY updated_at LIMIT $2"
            )),
            inbox_all: leak(format!("SELECT {INBOX_COLUMNS} FROM faxkit_inbox ORDER BY updated_at, source, fax_id")),
            inbox_in: leak(format!(
                "SELECT {INBOX_COLUMNS} FROM faxkit_inbox WHERE state = $1 ORDER BY updated_at, source, fax_id"
            )),
            requeue: leak(format!(
                "UPDATE faxkit_inbox SET state = 'retry', attempts = 0, next_at = {now}, updated_at = {now} \
                 WHERE {key} AND state = 'dead'"
            )),
            send_insert: leak(format!(
                "INSERT INTO faxkit_sends ({SEND_COLUMNS}) \
                 VALUES ($1, $2, 'intent', NULL, $3, $4, 1, {now} + $5, NULL, {now}, {now}) \
                 ON CONFLICT (send_key) DO NOTHING"
            )),
            send_get: leak(format!(
                "SELECT {SEND_COLUMNS}, CASE WHEN state = 'intent' AND lease_until > {now} THEN 1 ELSE 0 END AS live \
                 FROM faxkit_sends WHERE send_key = $1"
            )),
            send_takeover: leak(format!(
                "UPDATE faxkit_sends SET state = 'intent', owner = $3, token = token + 1, \
                 lease_until = {now} + $4, updated_at = {now} \
                 WHERE send_key = $1 AND token = $2 AND (state IN ('failed', 'ambiguous') \
                 OR (state = 'intent' AND lease_until <= {now})) RETURNING token"
            )),
            send_finish: leak(format!(
                "UPDATE faxkit_sends SET state = $3, fax_id = $4, error = $5, lease_until = NULL, updated_at = {now} \
                 WHERE send_key = $1 AND token = $2 AND state = 'intent'"
            )),
            sends: leak(format!("SELECT {SEND_COLUMNS} FROM faxkit_sends ORDER BY created_at, send_key")),
        }
    }
}
