//! The database: one pool per backend, migrations per backend, and the SQL — nothing else.
//!
//! Rules:
//! - Each query is written once and runs on SQLite and PostgreSQL: placeholders are `$1`, `$2`…
//!   (SQLite accepts them), no backend-only functions in shared SQL. The [`on_backend!`] macro
//!   instantiates the same statement for both drivers, so every value is bound with its native type.
//! - Times are truncated to microseconds before they are stored ([`crate::clock::now`]), because
//!   PostgreSQL keeps microseconds and SQLite would keep nanoseconds: both must hold the same value.
//! - SQLite runs in WAL mode with `synchronous=FULL`: a committed write survives a crash or power loss.
//!   Write transactions start with `BEGIN IMMEDIATE` so two writers queue instead of deadlocking,
//!   and writers of one process first queue on a fair in-process lock: SQLite's own busy handler
//!   sleeps in growing steps, so under load a writer slept for a second while the file was free.
//! - Erased personal data leaves no readable copy in the database files: SQLite zeroes what it
//!   deletes (`secure_delete`); after an erasure, housekeeping runs [`Store::scrub_erased`],
//!   which truncates SQLite's log and rewrites PostgreSQL's tables that held the data.

pub mod articles;
pub mod audit;
pub mod callbacks;
pub mod calls;
pub mod contacts;
pub mod drafts;
pub mod email;
pub mod feedback;
mod grouped;
pub use grouped::Write;
pub mod klantinteracties;
pub mod kpi_settings;
pub mod login_failures;
pub mod mail;
pub mod notices;
pub mod parties;
pub mod requests;
pub mod search;
pub mod sessions;
pub mod tokens;
pub mod trees;
pub mod units;
pub mod users;
pub mod versions;
pub mod work;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Runs one expression against whichever backend the executor holds. `$conn` is bound to a
/// `&mut SqliteConnection` or a `&mut PgConnection`, so the body is compiled once per driver.
#[macro_export]
macro_rules! on_backend {
    ($ex:expr, $conn:ident => $body:expr) => {
        match $crate::store::Executor::exec($ex) {
            $crate::store::Exec::Sqlite($conn) => $body,
            $crate::store::Exec::Postgres($conn) => $body,
        }
    };
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint was violated; the text names the constraint or column.
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot use database at {url}: {reason}")]
    Config { url: String, reason: String },
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let Some(db) = err.as_database_error()
            && db.kind() == sqlx::error::ErrorKind::UniqueViolation
        {
            let what = db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned());
            return StoreError::Conflict(what);
        }
        StoreError::Database(err)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The handle every domain function receives. Cheap to clone (pools are reference-counted).
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    group: grouped::Group,
}

#[derive(Clone, Debug)]
enum Db {
    Sqlite(SqlitePool, Arc<Mutex<()>>),
    Postgres(PgPool),
}

/// A pooled connection for reads and single statements.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A transaction; dropped without [`Tx::commit`] it rolls back.
pub enum Tx {
    /// The guard is this process's turn to write; it is released after the commit or rollback
    /// (fields drop in order).
    Sqlite(Transaction<'static, Sqlite>, OwnedMutexGuard<()>),
    Postgres(Transaction<'static, Postgres>),
}

pub enum Exec<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Anything a query can run on: a pooled connection or a transaction.
pub trait Executor {
    fn exec(&mut self) -> Exec<'_>;
}

impl Executor for Conn {
    fn exec(&mut self) -> Exec<'_> {
        match self {
            Conn::Sqlite(c) => Exec::Sqlite(&mut *c),
            Conn::Postgres(c) => Exec::Postgres(&mut *c),
        }
    }
}

impl Executor for Tx {
    fn exec(&mut self) -> Exec<'_> {
        match self {
            Tx::Sqlite(t, _) => Exec::Sqlite(&mut *t),
            Tx::Postgres(t) => Exec::Postgres(&mut *t),
        }
    }
}

/// Rows of `select` for a list of ids, in chunks of 500 binds (SQLite's and PostgreSQL's limits
/// are far above that). `select` ends in `IN (`; the ids and `)` follow, then `order`, which
/// orders within a chunk (callers that need one order over all chunks sort afterwards).
/// Runs one statement whose only parameter is an id (`$1`); how many rows it touched.
pub(crate) async fn execute_for_id(ex: &mut impl Executor, sql: &str, id: uuid::Uuid) -> StoreResult<u64> {
    Ok(on_backend!(ex, c => sqlx::query(sql).bind(id).execute(c).await.map(|r| r.rows_affected()))?)
}

pub(crate) async fn fetch_by_ids<T>(
    ex: &mut impl Executor,
    select: &str,
    ids: &[uuid::Uuid],
    order: &str,
) -> StoreResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<T> = on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(select);
            let mut list = b.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            b.push(") ");
            b.push(order);
            b.build_query_as().fetch_all(&mut *c).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

/// Named critical sections for read-check-write sequences ("is this the last beheerder?").
#[derive(Clone, Copy, Debug)]
pub enum Lock {
    UserAdministration = 1,
}

impl Tx {
    /// Serialises this transaction with every other one taking the same lock, until commit or
    /// rollback. SQLite needs nothing: `BEGIN IMMEDIATE` already lets one writer in at a time.
    /// PostgreSQL's READ COMMITTED would let two transactions both pass a check that only one
    /// may pass, so it takes a transaction-scoped advisory lock.
    pub async fn lock(&mut self, lock: Lock) -> StoreResult<()> {
        if let Tx::Postgres(t) = self {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(lock as i64).execute(&mut **t).await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t, _turn) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Pool figures for `/metrics`.
#[derive(Clone, Copy, Debug)]
pub struct PoolStats {
    pub size: u32,
    pub idle: usize,
    pub max: u32,
}

/// Where the data lives: an explicit URL, or else a SQLite file in the data directory.
pub fn database_url(database_url: Option<&str>, data_dir: &Path) -> String {
    match database_url {
        Some(url) => url.to_owned(),
        None => format!("sqlite://{}", data_dir.join("loket.db").display()),
    }
}

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), creating a SQLite file and its folder
    /// when missing. Does not migrate.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Store> {
        let config_error = |reason: String| StoreError::Config { url: redact(url), reason };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // No JIT: it pays off for long analytical queries, and a misestimated short one
            // (stale statistics) spent 200 ms compiling before a 1 ms index scan.
            let options =
                PgConnectOptions::from_str(url).map_err(|e| config_error(e.to_string()))?.options([("jit", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(|e| config_error(e.to_string()))?;
            Ok(Store { db: Db::Postgres(pool), group: grouped::Group::default() })
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| config_error(format!("cannot create {}: {e}", dir.display())))?;
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                // Deleted and overwritten content is zeroed in the file, so an erased person
                // cannot be read back from it (AVG erasure).
                .pragma("secure_delete", "ON")
                .busy_timeout(Duration::from_secs(10))
                // Reads through a shared memory map instead of a read() per page: a full pass
                // over 100,000 articles (a search-index rebuild) was mostly system calls.
                .pragma("mmap_size", "268435456")
                // sqlx hands each row from the connection's worker thread to the task through a
                // channel of this size; at the default 50 the worker waited on the task (and
                // was woken) for nearly every row of a 1,000-contact timeline.
                .row_buffer_size(1024);
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                // A file in this process cannot drop the connection; the ping before each
                // acquire was a round trip to the connection's worker thread per query.
                .test_before_acquire(false)
                .connect_with(options)
                .await
                .map_err(|e| config_error(e.to_string()))?;
            Ok(Store { db: Db::Sqlite(pool, Arc::new(Mutex::new(()))), group: grouped::Group::default() })
        } else {
            Err(config_error("the URL must start with sqlite:// or postgres://".into()))
        }
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings the schema up to date. Each backend has its own migration folder with the same
    /// numbered steps; `tests/` runs the whole suite on both to keep them equal in behaviour.
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(pool, _) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        // Work a migration left for Loket to do in Rust (once; a no-op after that).
        let started = std::time::Instant::now();
        if parties::backfill_name_words(self, |_| {}).await? {
            tracing::info!(
                seconds = started.elapsed().as_secs_f64(),
                "namen van klanten doorzoekbaar gemaakt (migratie 0024)"
            );
        }
        Ok(())
    }

    pub async fn acquire(&self) -> StoreResult<Conn> {
        Ok(match &self.db {
            Db::Sqlite(pool, _) => Conn::Sqlite(pool.acquire().await?),
            Db::Postgres(pool) => Conn::Postgres(pool.acquire().await?),
        })
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(match &self.db {
            Db::Sqlite(pool, writer) => {
                // As long as SQLite's busy timeout: a writer that waits longer fails the same way.
                let turn = tokio::time::timeout(Duration::from_secs(10), Arc::clone(writer).lock_owned())
                    .await
                    .map_err(|_| StoreError::Database(sqlx::Error::PoolTimedOut))?;
                Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?, turn)
            }
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Brings the planner's statistics and the visibility map up to date after a bulk load
    /// (PostgreSQL's `VACUUM ANALYZE`; SQLite's planner does without). Without the VACUUM an
    /// index-only scan still reads every row it finds from the table until autovacuum comes
    /// by: the name search over a million fresh customers took 135-300 ms instead of 30-60.
    pub async fn refresh_statistics(&self) -> StoreResult<()> {
        if let Db::Postgres(pool) = &self.db {
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        }
        Ok(())
    }

    /// Rewrites what holds erased rows so that no readable copy is left in the database files.
    /// SQLite zeroes deleted content as it goes (`secure_delete`), but earlier page images stay
    /// in its write-ahead log until that is checkpointed and truncated. PostgreSQL keeps the
    /// bytes of dead row versions and removed index entries in free page space even after a
    /// plain VACUUM; `VACUUM FULL` writes the tables and their indexes anew. It locks each table
    /// while it rewrites it, so it runs as housekeeping, not inside a request. Copies outside
    /// the database files (PostgreSQL's WAL segments, backups) age out with those.
    pub async fn scrub_erased(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(pool, writer) => {
                let _turn = Arc::clone(writer).lock_owned().await;
                // (busy, log frames, frames checkpointed): busy means a reader kept the log from
                // being emptied; the scrub is then not done and is tried again.
                let (busy, _, _): (i64, i64, i64) =
                    sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(pool).await?;
                if busy != 0 {
                    return Err(StoreError::Database(sqlx::Error::Protocol(
                        "the write-ahead log is still being read; the scrub waits for the next round".into(),
                    )));
                }
            }
            Db::Postgres(pool) => {
                // VACUUM FULL keeps a deleted row while the oldest snapshot of any session in this
                // database (its own included) is older than the delete. A snapshot's xmin is the
                // oldest transaction still running anywhere in the cluster, so a transaction open
                // in another database holds this one back too. So take a transaction id now,
                // after the erasure committed, and wait (a little) until no session here holds an
                // older snapshot and no transaction anywhere (a session's, a prepared one, a
                // replication slot's) is older; else try again next round.
                // (The lowest three ids are special, and age() of those is always maximal.)
                let reference: i64 = sqlx::query_scalar("SELECT txid_current()").fetch_one(pool).await?;
                let reference = if reference % 4_294_967_296 < 3 { reference + 3 } else { reference };
                let mut waited = 0;
                loop {
                    let older: i64 = sqlx::query_scalar(
                        "WITH r AS (SELECT age((($1::bigint) % 4294967296)::text::xid) AS age)
                         SELECT (SELECT COUNT(*) FROM pg_stat_activity, r WHERE pid <> pg_backend_pid()
                                   AND ((datname = current_database() AND age(backend_xmin) > r.age)
                                        OR age(backend_xid) > r.age))
                              + (SELECT COUNT(*) FROM pg_prepared_xacts, r WHERE age(transaction) > r.age)
                              + (SELECT COUNT(*) FROM pg_replication_slots, r WHERE age(xmin) > r.age)",
                    )
                    .bind(reference)
                    .fetch_one(pool)
                    .await?;
                    if older == 0 {
                        break;
                    }
                    waited += 1;
                    if waited > 300 {
                        return Err(StoreError::Database(sqlx::Error::Protocol(
                            "older transactions may still see the erased rows; the scrub waits for the next round"
                                .into(),
                        )));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                // Each table is locked while it is rewritten. Rather than queue behind a long
                // query (and make every request after it queue too), give up and try again next round.
                let mut conn = pool.acquire().await?;
                sqlx::query("SET lock_timeout = '5s'").execute(&mut *conn).await?;
                let vacuum = sqlx::query(
                    "VACUUM (FULL, ANALYZE) parties, party_name_words, party_identifiers, digital_addresses, participant_names, \
                     contact_participants, contacts, contact_sources, contact_subject_objects, requests, \
                     request_status_history, work_items, work_item_events, callbacks, callback_attempts, mail_threads, mail_messages, \
                     mail_attachments, mail_outbox",
                )
                .execute(&mut *conn)
                .await;
                sqlx::query("RESET lock_timeout").execute(&mut *conn).await?;
                vacuum?;
            }
        }
        Ok(())
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        let result = match &self.db {
            Db::Sqlite(pool, _) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
        };
        result.is_ok()
    }

    pub fn pool_stats(&self) -> PoolStats {
        match &self.db {
            Db::Sqlite(p, _) => {
                PoolStats { size: p.size(), idle: p.num_idle(), max: p.options().get_max_connections() }
            }
            Db::Postgres(p) => PoolStats { size: p.size(), idle: p.num_idle(), max: p.options().get_max_connections() },
        }
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(p, _) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// Hides a password in a database URL before it reaches a log line or an error message.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_database_url_is_hidden() {
        assert_eq!(redact("postgres://loket:geheim@db:5432/loket"), "postgres://loket:***@db:5432/loket");
        assert_eq!(redact("postgres://postgres@127.0.0.1/x"), "postgres://postgres@127.0.0.1/x");
        assert_eq!(redact("sqlite://./loket-data/loket.db"), "sqlite://./loket-data/loket.db");
    }

    #[test]
    fn without_a_url_the_database_is_a_sqlite_file_in_the_data_dir() {
        assert_eq!(database_url(None, Path::new("./loket-data")), "sqlite://./loket-data/loket.db");
    }
}
