//! Group commit: writes that arrive while another commit is under way wait for it and then share
//! one transaction, so one fsync (SQLite) or one WAL flush (PostgreSQL) acknowledges them all.
//!
//! Rules:
//! - A write is acknowledged only after the commit that holds it has returned: nothing is
//!   acknowledged that a crash could take back.
//! - When a shared transaction fails, each of its writes is tried again in a transaction of its
//!   own, so a write that fails, fails alone and the others still land. Writes must therefore be
//!   repeatable: they carry their own ids, so a repeat after an unclear failure is refused by
//!   the primary key instead of stored twice.
//! - Writer tasks per [`Store`] handle family are started on first use and stop when the last
//!   handle is dropped: one for SQLite, which lets one writer in at a time anyway; several for
//!   PostgreSQL, where a single writer would wait for each statement's round trip in turn
//!   (measured: one writer 1,867 registrations/s, four writers more — see docs/BENCHMARKS.md).

use std::sync::{Arc, OnceLock};

use futures_util::future::BoxFuture;
use tokio::sync::{Mutex, mpsc, oneshot};

use super::{Backend, Store, StoreError, StoreResult, Tx};

/// A write inside someone else's transaction; called again, on a fresh transaction, when the
/// shared one failed.
pub type Write = Arc<dyn for<'t> Fn(&'t mut Tx) -> BoxFuture<'t, StoreResult<()>> + Send + Sync>;

/// More writes than this in one transaction only delay the first one's answer.
const MAX_BATCH: usize = 64;

/// Writer tasks on PostgreSQL (each holds a connection while it commits).
const POSTGRES_WRITERS: usize = 4;

struct Job {
    write: Write,
    done: oneshot::Sender<StoreResult<()>>,
}

/// The way into a store's writer task.
#[derive(Clone, Default)]
pub(super) struct Group(Arc<OnceLock<mpsc::Sender<Job>>>);

impl Store {
    /// Runs `write` in a transaction shared with the other writes waiting at the same moment,
    /// and returns once that transaction is committed.
    pub async fn write_grouped(&self, write: Write) -> StoreResult<()> {
        let jobs = self.group.0.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(4 * MAX_BATCH);
            let receiver = Arc::new(Mutex::new(receiver));
            let writers = match self.backend() {
                Backend::Sqlite => 1,
                Backend::Postgres => POSTGRES_WRITERS,
            };
            for _ in 0..writers {
                // The writer's own handle has a group of its own that it never uses, so it does
                // not keep the channel open.
                let writer = Store { db: self.db.clone(), group: Group::default() };
                tokio::spawn(run(writer, Arc::clone(&receiver)));
            }
            sender
        });
        let (done, answer) = oneshot::channel();
        if let Err(refused) = jobs.send(Job { write, done }).await {
            // The writer task is gone (its runtime shut down): write alone, here.
            return alone(self, &refused.0.write).await;
        }
        answer.await.unwrap_or_else(|_| Err(StoreError::Database(sqlx::Error::WorkerCrashed)))
    }
}

async fn run(store: Store, jobs: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // The receiver is held only while taking a batch: while one writer commits, the next one
    // gathers what arrives meanwhile.
    while jobs.lock().await.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if batch.len() > 1 {
            match together(&store, &batch).await {
                Ok(()) => {
                    for job in batch.drain(..) {
                        let _ = job.done.send(Ok(()));
                    }
                    continue;
                }
                Err(err) => tracing::debug!(writes = batch.len(), %err, "gedeelde transactie mislukt; elk apart"),
            }
        }
        for job in batch.drain(..) {
            let result = alone(&store, &job.write).await;
            let _ = job.done.send(result);
        }
    }
}

async fn together(store: &Store, batch: &[Job]) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    for job in batch {
        (job.write)(&mut tx).await?;
    }
    tx.commit().await
}

async fn alone(store: &Store, write: &Write) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    write(&mut tx).await?;
    tx.commit().await
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group").field("started", &self.0.get().is_some()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(n: i64) -> Write {
        Arc::new(move |tx| {
            Box::pin(async move {
                crate::on_backend!(tx, c => sqlx::query("INSERT INTO numbers (n) VALUES ($1)").bind(n).execute(c).await.map(|_| ()))?;
                Ok(())
            })
        })
    }

    #[tokio::test]
    async fn a_write_that_fails_in_a_shared_transaction_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("t.db").display()), 4).await.unwrap();
        let mut conn = store.acquire().await.unwrap();
        crate::on_backend!(&mut conn, c => sqlx::query("CREATE TABLE numbers (n INTEGER PRIMARY KEY)").execute(c).await.map(|_| ()))
            .unwrap();
        // Holding the write lock makes the writes queue up, so they are taken as one batch.
        let held = store.begin().await.unwrap();
        let writes = (0..20).map(|n| store.write_grouped(insert(if n == 13 { 3 } else { n })));
        let all = futures_util::future::join_all(writes);
        let release = async {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            drop(held);
        };
        let (results, ()) = tokio::join!(all, release);

        let failed: Vec<usize> = results.iter().enumerate().filter(|(_, r)| r.is_err()).map(|(i, _)| i).collect();
        assert_eq!(failed.len(), 1, "one of the two writes of 3 fails: {results:?}");
        let stored: Vec<i64> =
            crate::on_backend!(&mut conn, c => sqlx::query_scalar("SELECT n FROM numbers ORDER BY n")
            .fetch_all(c).await)
            .unwrap();
        assert_eq!(stored, (0..20).filter(|n| *n != 13).collect::<Vec<i64>>());
    }
}
