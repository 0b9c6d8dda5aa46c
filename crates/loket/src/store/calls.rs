//! SQL for calls (telephony records) and the aggregates the service-level reports are built on.

use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

/// A call as stored: times in Unix seconds, the outcome as its id (`waiting`, `answered`,
/// `abandoned`; the column's CHECK allows no other).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CallRow {
    pub id: Uuid,
    pub source: String,
    pub external_id: String,
    pub channel: String,
    pub queue: String,
    pub agent: Option<String>,
    pub arrived_at: i64,
    pub ivr_s: i32,
    pub queued_at: Option<i64>,
    pub queue_s: i32,
    pub answered_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub talk_s: i32,
    pub outcome: String,
}

const COLUMNS: &str = "id, source, external_id, channel, queue, agent, arrived_at, ivr_s, queued_at, queue_s, \
     answered_at, ended_at, talk_s, outcome";

fn push_values<'a, DB: sqlx::Database>(b: &mut sqlx::QueryBuilder<'a, DB>, calls: &'a [CallRow])
where
    Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    b.push_values(calls, |mut row, call| {
        row.push_bind(call.id)
            .push_bind(call.source.clone())
            .push_bind(call.external_id.clone())
            .push_bind(call.channel.clone())
            .push_bind(call.queue.clone())
            .push_bind(call.agent.clone())
            .push_bind(call.arrived_at)
            .push_bind(call.ivr_s)
            .push_bind(call.queued_at)
            .push_bind(call.queue_s)
            .push_bind(call.answered_at)
            .push_bind(call.ended_at)
            .push_bind(call.talk_s)
            .push_bind(call.outcome.clone());
    });
}

/// Stores calls that are not there yet (by source and call id); returns how many were new.
pub async fn insert_many(ex: &mut impl Executor, calls: &[CallRow]) -> StoreResult<u64> {
    if calls.is_empty() {
        return Ok(0);
    }
    let n = on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!("INSERT INTO calls ({COLUMNS}) "));
        push_values(&mut b, calls);
        b.push(" ON CONFLICT (source, external_id) DO NOTHING");
        b.build().execute(&mut *c).await.map(|r| r.rows_affected())
    })?;
    Ok(n)
}

/// How many of `calls` are stored already (by source and call id).
pub async fn count_stored(ex: &mut impl Executor, calls: &[CallRow]) -> StoreResult<i64> {
    if calls.is_empty() {
        return Ok(0);
    }
    let n = on_backend!(ex, c => {
        // A join with the batch as a VALUES list: PostgreSQL does not look a list of row values
        // (`(source, external_id) IN (…)`) up in the unique index, and scanned every stored
        // call for every batch of 500 (the bank's month took 7 s instead of 0.4 s).
        let mut b = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM calls c JOIN (VALUES ");
        let mut list = b.separated(", ");
        for call in calls {
            list.push("(");
            list.push_bind_unseparated(call.source.clone());
            list.push_unseparated(", ");
            list.push_bind_unseparated(call.external_id.clone());
            list.push_unseparated(")");
        }
        b.push(") AS v ON c.source = v.column1 AND c.external_id = v.column2");
        b.build_query_scalar::<i64>().fetch_one(&mut *c).await
    })?;
    Ok(n)
}

/// Stores calls by (source, call id): new ones are added, stored ones whose values differ are
/// overwritten (the import owns its rows), equal ones are left alone. Returns how many rows
/// were added or changed. (Counting, not returning ids: handing 33,000 ids back through
/// SQLite's worker thread made an import of the bank's month half again as slow.)
pub async fn upsert_many(ex: &mut impl Executor, calls: &[CallRow]) -> StoreResult<u64> {
    if calls.is_empty() {
        return Ok(0);
    }
    const UPDATE: &str = " ON CONFLICT (source, external_id) DO UPDATE SET channel = excluded.channel, \
        queue = excluded.queue, agent = excluded.agent, arrived_at = excluded.arrived_at, ivr_s = excluded.ivr_s, \
        queued_at = excluded.queued_at, queue_s = excluded.queue_s, answered_at = excluded.answered_at, \
        ended_at = excluded.ended_at, talk_s = excluded.talk_s, outcome = excluded.outcome \
        WHERE (calls.channel, calls.queue, calls.agent, calls.arrived_at, calls.ivr_s, calls.queued_at, calls.queue_s, \
        calls.answered_at, calls.ended_at, calls.talk_s, calls.outcome) IS DISTINCT FROM (excluded.channel, \
        excluded.queue, excluded.agent, excluded.arrived_at, excluded.ivr_s, excluded.queued_at, excluded.queue_s, \
        excluded.answered_at, excluded.ended_at, excluded.talk_s, excluded.outcome)";
    let n = on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!("INSERT INTO calls ({COLUMNS}) "));
        push_values(&mut b, calls);
        b.push(UPDATE);
        b.build().execute(&mut *c).await.map(|r| r.rows_affected())
    })?;
    Ok(n)
}

pub async fn find(ex: &mut impl Executor, source: &str, external_id: &str) -> StoreResult<Option<CallRow>> {
    let sql = format!("SELECT {COLUMNS} FROM calls WHERE source = $1 AND external_id = $2");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(source).bind(external_id).fetch_optional(c).await)?)
}

/// Writes a call's progress (everything after its arrival).
pub async fn update(ex: &mut impl Executor, call: &CallRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "UPDATE calls SET agent = $2, queue_s = $3, answered_at = $4, ended_at = $5, talk_s = $6, outcome = $7 WHERE id = $1",
    )
    .bind(call.id)
    .bind(&call.agent)
    .bind(call.queue_s)
    .bind(call.answered_at)
    .bind(call.ended_at)
    .bind(call.talk_s)
    .bind(&call.outcome)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// What the service-level figures are counted with; every value is bound, none is spliced in.
#[derive(Debug, Clone)]
pub struct CountRule {
    pub channel: String,
    /// Arrivals in `[from, to)`, Unix seconds.
    pub from: i64,
    pub to: i64,
    pub threshold_s: i32,
    pub short_abandon_s: i32,
    /// Whether the wait includes the IVR time (clock at arrival) or not (clock at queue entry).
    pub include_ivr: bool,
    /// Bucket width in seconds; buckets start at multiples of it since the Unix epoch.
    pub bucket_s: i64,
}

/// Sums per bucket; every figure of a period is a sum of these, so buckets add up.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Bucket {
    pub bucket: i64,
    pub answered: i64,
    pub answered_within: i64,
    pub abandoned: i64,
    pub abandoned_after: i64,
    pub short_abandoned: i64,
    pub wait_s: i64,
    pub handle_s: i64,
}

/// Counts arrivals per bucket. An abandoned call counts once it waited in the queue at least the
/// short-abandon threshold; waits are `queue_s`, plus `ivr_s` when the clock starts at arrival.
pub async fn count_by_bucket(ex: &mut impl Executor, rule: &CountRule) -> StoreResult<Vec<Bucket>> {
    const SQL: &str = "SELECT arrived_at / $1 AS bucket,
            SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END) AS answered,
            SUM(CASE WHEN outcome = 'answered' AND queue_s + $2 * ivr_s <= $3 THEN 1 ELSE 0 END) AS answered_within,
            SUM(CASE WHEN outcome = 'abandoned' AND queued_at IS NOT NULL AND queue_s >= $4 THEN 1 ELSE 0 END) AS abandoned,
            SUM(CASE WHEN outcome = 'abandoned' AND queued_at IS NOT NULL AND queue_s >= $4 AND queue_s + $2 * ivr_s > $3
                THEN 1 ELSE 0 END) AS abandoned_after,
            SUM(CASE WHEN outcome = 'abandoned' AND queued_at IS NOT NULL AND queue_s < $4 THEN 1 ELSE 0 END) AS short_abandoned,
            SUM(CASE WHEN outcome = 'answered' THEN queue_s + $2 * ivr_s ELSE 0 END) AS wait_s,
            SUM(CASE WHEN outcome = 'answered' THEN talk_s ELSE 0 END) AS handle_s
        FROM calls
        WHERE channel = $5 AND arrived_at >= $6 AND arrived_at < $7
        GROUP BY 1";
    let include_ivr = i32::from(rule.include_ivr);
    let rows: Vec<Bucket> = on_backend!(ex, c => sqlx::query_as(SQL)
        .bind(rule.bucket_s)
        .bind(include_ivr)
        .bind(rule.threshold_s)
        .bind(rule.short_abandon_s)
        .bind(&rule.channel)
        .bind(rule.from)
        .bind(rule.to)
        .fetch_all(c)
        .await)?;
    Ok(rows)
}

/// Calls of one channel arriving in `[from, to)`, in arrival order, after the `(arrived_at, id)`
/// of the last one already read (keyset paging: every page costs the same).
pub async fn list(
    ex: &mut impl Executor,
    channel: &str,
    from: i64,
    to: i64,
    after: Option<(i64, Uuid)>,
    limit: i64,
) -> StoreResult<Vec<CallRow>> {
    // PostgreSQL turns the row value into one index range; SQLite plans the spelled-out form
    // better (measured: the row value made its export four times slower).
    let after_clause = match ex.exec() {
        super::Exec::Postgres(_) => "(arrived_at, id) > ($4, $5)",
        _ => "(arrived_at > $4 OR (arrived_at = $4 AND id > $5))",
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM calls WHERE channel = $1 AND arrived_at >= $2 AND arrived_at < $3 \
         AND {after_clause} ORDER BY arrived_at, id LIMIT $6"
    );
    let (after_at, after_id) = after.unwrap_or((from - 1, Uuid::nil()));
    Ok(on_backend!(ex, c => sqlx::query_as(&sql)
        .bind(channel).bind(from).bind(to).bind(after_at).bind(after_id).bind(limit).fetch_all(c).await)?)
}

/// Calls still waiting (live) that arrived since `since`, oldest first.
pub async fn waiting(ex: &mut impl Executor, channel: &str, since: i64) -> StoreResult<Vec<CallRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM calls WHERE channel = $1 AND outcome = 'waiting' AND arrived_at >= $2 ORDER BY arrived_at"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(channel).bind(since).fetch_all(c).await)?)
}

/// Sets or clears the caller's number of a live call.
pub async fn set_caller(ex: &mut impl Executor, id: Uuid, caller: Option<&str>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE calls SET caller = $2 WHERE id = $1")
        .bind(id).bind(caller).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The call `agent` answered last and is still talking in, if any: its id and when it was answered.
pub async fn in_progress_for(ex: &mut impl Executor, agent: &str) -> StoreResult<Option<(Uuid, i64)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, answered_at FROM calls \
         WHERE agent = $1 AND outcome = 'answered' AND ended_at IS NULL \
         ORDER BY answered_at DESC LIMIT 1",
    )
    .bind(agent).fetch_optional(c).await)?)
}

/// A call by id with the agent who answered it and the caller's number (while it is live).
pub async fn answered_by(
    ex: &mut impl Executor,
    id: Uuid,
) -> StoreResult<Option<(Option<String>, i64, Option<String>)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT agent, COALESCE(answered_at, arrived_at), caller FROM calls WHERE id = $1 AND outcome = 'answered'",
    )
    .bind(id).fetch_optional(c).await)?)
}

/// Clears the caller's number of calls that arrived before `before` (their end never came).
pub async fn clear_old_callers(ex: &mut impl Executor, before: i64) -> StoreResult<u64> {
    Ok(on_backend!(ex, c => sqlx::query("UPDATE calls SET caller = NULL WHERE caller IS NOT NULL AND arrived_at < $1")
        .bind(before).execute(c).await.map(|r| r.rows_affected()))?)
}
