package com.treebo.dataplatform.jobs.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every run of every stage and table ({@code dp_run}): bounds, row counts, duration, status,
 * error, the process that ran it, and named metrics ({@code dp_run_metric}). A run is recorded
 * running when it starts and finished exactly once: succeeded (with its checkpoint, in one
 * transaction), failed, or abandoned (found running by a later run after its process died).
 */
public final class RunLog {
  private static final String RUN_COLUMNS = "run_id, job, table_id, status, lower_bound, upper_bound, rows_read, rows_merged,"
      + " rows_deleted, rows_quarantined, started_at, finished_at, error, runner";

  private final ControlDatabase db;

  RunLog(ControlDatabase db) {
    this.db = db;
  }

  /** Records that {@code runId} started on {@code tableId} now. */
  public void start(String runId, String job, String tableId, Optional<String> lower, Optional<String> upper) {
    start(runId, job, tableId, Instant.now(), lower, upper);
  }

  /**
   * Records that {@code runId} started on {@code tableId} at {@code startedAt} (as the store keeps
   * it: see {@link #stored}); returns that instant.
   */
  public Instant start(String runId, String job, String tableId, Instant startedAt, Optional<String> lower, Optional<String> upper) {
    Instant at = stored(startedAt);
    db.update("record the start of run " + runId + " of " + tableId,
        "INSERT INTO dp_run (run_id, job, table_id, status, lower_bound, upper_bound, started_at, runner)"
            + " VALUES (?, ?, ?, 'running', ?, ?, ?, ?)",
        ps -> {
          ps.setString(1, runId);
          ps.setString(2, job);
          ps.setString(3, tableId);
          ps.setString(4, lower.orElse(null));
          ps.setString(5, upper.orElse(null));
          ControlDatabase.setInstant(ps, 6, at);
          ps.setString(7, RUNNER);
        });
    return at;
  }

  /** Updates the bounds of a running run once they are known (they are read from the source after the start). */
  public void setBounds(String runId, String tableId, Optional<String> lower, Optional<String> upper) {
    db.update("record the bounds of run " + runId + " of " + tableId,
        "UPDATE dp_run SET lower_bound = ?, upper_bound = ? WHERE run_id = ? AND table_id = ?",
        ps -> {
          ps.setString(1, lower.orElse(null));
          ps.setString(2, upper.orElse(null));
          ps.setString(3, runId);
          ps.setString(4, tableId);
        });
  }

  /** {@link #succeed(String, String, RunCounts, Optional, Map, Transaction.Work)} without metrics or extra work. */
  public void succeed(String runId, String tableId, RunCounts counts, Optional<Checkpoint> next) {
    succeed(runId, tableId, counts, next, Map.of(), c -> null);
  }

  /**
   * Marks the run succeeded and, in the same transaction, moves the checkpoint, records the
   * metrics and runs {@code alsoInTransaction} (a stage's own bookkeeping, e.g. the landed-object
   * ledger). Call only after the writes that hold the run's output committed: a crash before this
   * call leaves the old checkpoint, and the rerun repeats the run (every write is idempotent).
   */
  public void succeed(String runId, String tableId, RunCounts counts, Optional<Checkpoint> next, Map<String, Long> metrics,
      Transaction.Work<?> alsoInTransaction) {
    db.inTransaction("commit run " + runId + " of " + tableId, c -> {
      if (next.isPresent()) {
        Checkpoints.upsert(c, runId, next.get());
      }
      writeMetrics(c, runId, tableId, metrics);
      alsoInTransaction.run(c);
      finish(c, runId, tableId, "succeeded", counts, null);
      return null;
    });
  }

  /** Marks the run failed with the error's message; the checkpoint does not move. */
  public void fail(String runId, String tableId, RunCounts counts, String error) {
    db.inTransaction("record the failure of run " + runId + " of " + tableId, c -> {
      finish(c, runId, tableId, "failed", counts, error);
      return null;
    });
  }

  /**
   * Marks every run of {@code tableId} still recorded as running, other than {@code currentRunId},
   * as abandoned and returns their ids, so their partial output can be removed. Call only while
   * holding the table's lock ({@link Locks}): then no other live process can be running it, and a
   * run recorded as running belongs to a process that died.
   */
  public List<String> abandonStale(String tableId, String currentRunId) {
    return db.inTransaction("abandon dead runs of " + tableId, c -> {
      List<String> ids = ControlDatabase.query(c, "SELECT run_id FROM dp_run"
          + " WHERE table_id = ? AND status = 'running' AND run_id <> ? ORDER BY started_at, run_id", ps -> {
            ps.setString(1, tableId);
            ps.setString(2, currentRunId);
          }, rs -> rs.getString(1));
      for (String id : ids) {
        finish(c, id, tableId, "abandoned", null, "the process running it stopped before it finished; found by run " + currentRunId);
      }
      return ids;
    });
  }

  /** The newest {@code limit} runs of one table, newest first (an index range scan). */
  public List<RunRecord> recent(String tableId, int limit) {
    return db.query("list runs of " + tableId,
        "SELECT " + RUN_COLUMNS + " FROM dp_run WHERE table_id = ? ORDER BY started_at DESC, run_id DESC LIMIT ?",
        ps -> {
          ps.setString(1, tableId);
          ps.setInt(2, limit);
        }, RunLog::runRecord);
  }

  /** The newest run of {@code tableId} still recorded as running, if any (the holder of its lock, usually). */
  public Optional<RunRecord> running(String tableId) {
    return db.query("find the running run of " + tableId,
        "SELECT " + RUN_COLUMNS + " FROM dp_run WHERE table_id = ? AND status = 'running' ORDER BY started_at DESC LIMIT 1",
        ps -> ps.setString(1, tableId), RunLog::runRecord).stream().findFirst();
  }

  /** Succeeded runs of {@code job} on {@code tableId} that started after {@code after} (all when empty), oldest first. */
  public List<RunRecord> succeededAfter(String job, String tableId, Optional<Instant> after) {
    return db.query("list the succeeded runs of " + tableId,
        "SELECT " + RUN_COLUMNS + " FROM dp_run WHERE job = ? AND table_id = ? AND status = 'succeeded' AND started_at > ?"
            + " ORDER BY started_at, run_id",
        ps -> {
          ps.setString(1, job);
          ps.setString(2, tableId);
          ControlDatabase.setInstant(ps, 3, after.orElse(Instant.EPOCH));
        }, RunLog::runRecord);
  }

  /** The metrics recorded with a run, by name. */
  public Map<String, Long> metrics(String runId, String tableId) {
    Map<String, Long> out = new TreeMap<>();
    db.query("read the metrics of run " + runId, "SELECT name, value FROM dp_run_metric WHERE run_id = ? AND table_id = ?",
        ps -> {
          ps.setString(1, runId);
          ps.setString(2, tableId);
        }, rs -> out.put(rs.getString(1), rs.getLong(2)));
    return out;
  }

  /** {@code instant} as the store keeps it (to the microsecond): compare stored instants with this, never with a raw one. */
  public static Instant stored(Instant instant) {
    return ControlDatabase.stored(instant);
  }

  // --- plumbing ---------------------------------------------------------------------------------

  /** This process, as the run log names it: host and process id. */
  private static final String RUNNER = runner();

  private static String runner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    String s = host + ":" + ProcessHandle.current().pid();
    return s.length() > 255 ? s.substring(0, 255) : s;
  }

  private static void writeMetrics(Connection c, String runId, String tableId, Map<String, Long> metrics) throws SQLException {
    if (metrics.isEmpty()) {
      return;
    }
    ControlDatabase.update(c, "DELETE FROM dp_run_metric WHERE run_id = ? AND table_id = ?", ps -> {
      ps.setString(1, runId);
      ps.setString(2, tableId);
    });
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dp_run_metric (run_id, table_id, name, value) VALUES (?, ?, ?, ?)")) {
      for (Map.Entry<String, Long> m : new TreeMap<>(metrics).entrySet()) {
        ps.setString(1, runId);
        ps.setString(2, tableId);
        ps.setString(3, m.getKey());
        ps.setLong(4, m.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static RunRecord runRecord(ResultSet rs) throws SQLException {
    return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
        new RunCounts(rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)),
        ControlDatabase.instant(rs, 11).orElseThrow(), ControlDatabase.instant(rs, 12), Optional.ofNullable(rs.getString(13)),
        Optional.ofNullable(rs.getString(14)));
  }

  private static void finish(Connection c, String runId, String tableId, String status, RunCounts counts, String error)
      throws SQLException {
    Instant started = ControlDatabase.query(c, "SELECT started_at FROM dp_run WHERE run_id = ? AND table_id = ?", ps -> {
      ps.setString(1, runId);
      ps.setString(2, tableId);
    }, rs -> ControlDatabase.instant(rs, 1).orElse(Instant.now())).stream().findFirst().orElse(Instant.now());
    Instant now = stored(Instant.now());
    int updated = ControlDatabase.update(c, "UPDATE dp_run SET status = ?, rows_read = COALESCE(?, rows_read),"
        + " rows_merged = COALESCE(?, rows_merged), rows_deleted = COALESCE(?, rows_deleted),"
        + " rows_quarantined = COALESCE(?, rows_quarantined), finished_at = ?, duration_ms = ?, error = ?"
        + " WHERE run_id = ? AND table_id = ?", ps -> {
          ps.setString(1, status);
          ControlDatabase.setLongOrNull(ps, 2, counts == null ? null : counts.rowsRead());
          ControlDatabase.setLongOrNull(ps, 3, counts == null ? null : counts.rowsMerged());
          ControlDatabase.setLongOrNull(ps, 4, counts == null ? null : counts.rowsDeleted());
          ControlDatabase.setLongOrNull(ps, 5, counts == null ? null : counts.rowsQuarantined());
          ControlDatabase.setInstant(ps, 6, now);
          ps.setLong(7, Duration.between(started, now).toMillis());
          ps.setString(8, error);
          ps.setString(9, runId);
          ps.setString(10, tableId);
        });
    if (updated != 1) {
      throw new SQLException("run " + runId + " of " + tableId + " was never started in the control store");
    }
  }
}
