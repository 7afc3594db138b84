package com.treebo.dataplatform.jobs.control;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.jobs.runtime.Transaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The control database: per table, the committed watermark, and every run with its bounds, row
 * counts, duration, status and error. It is what lets a failed night resume where it stopped.
 *
 * <p>Works on PostgreSQL and on MySQL/MariaDB (the production choice, RDS). Tables are created on
 * first use. Each call is its own short transaction on one connection, held for the job's life;
 * the store is touched a handful of times per table, never per row.
 */
public final class ControlStore implements AutoCloseable {
  private final Connection connection;
  private final Dialect dialect;
  private final String url;

  private ControlStore(Connection connection, Dialect dialect, String url) {
    this.connection = connection;
    this.dialect = dialect;
    this.url = url;
  }

  /** Connects to the control database and creates its tables if missing. */
  public static ControlStore open(JdbcConfig jdbc) {
    Dialect dialect = Dialect.of(jdbc.url());
    Connection c;
    try {
      c = DriverManager.getConnection(dialect.driverUrl(jdbc.url()), jdbc.user(), jdbc.password().reveal());
    } catch (SQLException e) {
      throw new ControlStoreException("Cannot connect to the control database at " + jdbc.url()
          + " as " + jdbc.user() + ": " + e.getMessage() + " (check control.jdbc-url, control.user and the password)", e);
    }
    ControlStore store = new ControlStore(c, dialect, jdbc.url());
    try {
      store.createSchema();
    } catch (RuntimeException e) {
      store.closeQuietlyAfter(e);
      throw e;
    }
    return store;
  }

  /** The committed checkpoint of {@code tableId}, if any run of it ever succeeded. */
  public Optional<Checkpoint> checkpoint(String tableId) {
    return query("read the checkpoint of " + tableId,
        "SELECT watermark, pending_value, pending_clock, last_delete_check FROM dp_checkpoint WHERE table_id = ?",
        ps -> ps.setString(1, tableId),
        rs -> new Checkpoint(tableId, Optional.ofNullable(rs.getString(1)), Optional.ofNullable(rs.getString(2)),
            Optional.ofNullable(rs.getString(3)), instant(rs, 4)))
        .stream().findFirst();
  }

  /** Records that {@code runId} started on {@code tableId} with these bounds. */
  public void startRun(String runId, String job, String tableId, Optional<String> lower, Optional<String> upper) {
    update("record the start of run " + runId + " of " + tableId,
        "INSERT INTO dp_run (run_id, job, table_id, status, lower_bound, upper_bound, started_at) VALUES (?, ?, ?, 'running', ?, ?, ?)",
        ps -> {
          ps.setString(1, runId);
          ps.setString(2, job);
          ps.setString(3, tableId);
          ps.setString(4, lower.orElse(null));
          ps.setString(5, upper.orElse(null));
          setInstant(ps, 6, Instant.now());
        });
  }

  /** Updates the bounds of a running run once they are known (they are read from the source after the start). */
  public void setBounds(String runId, String tableId, Optional<String> lower, Optional<String> upper) {
    update("record the bounds of run " + runId + " of " + tableId,
        "UPDATE dp_run SET lower_bound = ?, upper_bound = ? WHERE run_id = ? AND table_id = ?",
        ps -> {
          ps.setString(1, lower.orElse(null));
          ps.setString(2, upper.orElse(null));
          ps.setString(3, runId);
          ps.setString(4, tableId);
        });
  }

  /**
   * Marks the run succeeded and, in the same transaction, moves the checkpoint. Call only after the
   * lake commit that holds the run's rows: a crash before this call leaves the old checkpoint, and
   * the rerun re-reads the slice (the lake merge is idempotent by key).
   */
  public void succeed(String runId, String tableId, RunCounts counts, Optional<Checkpoint> next) {
    inTransaction("commit run " + runId + " of " + tableId, c -> {
      if (next.isPresent()) {
        upsertCheckpoint(c, runId, next.get());
      }
      finish(c, runId, tableId, "succeeded", counts, null);
      return null;
    });
  }

  /** Marks the run failed with the error's message; the checkpoint does not move. */
  public void fail(String runId, String tableId, RunCounts counts, String error) {
    inTransaction("record the failure of run " + runId + " of " + tableId, c -> {
      finish(c, runId, tableId, "failed", counts, error);
      return null;
    });
  }

  /**
   * Marks every run of {@code tableId} still recorded as running, other than {@code currentRunId},
   * as abandoned (its process died) and returns their ids, so their partial output can be removed.
   */
  public List<String> abandonStaleRuns(String tableId, String currentRunId) {
    return inTransaction("abandon dead runs of " + tableId, c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM dp_run"
          + " WHERE table_id = ? AND status = 'running' AND run_id <> ? ORDER BY started_at, run_id")) {
        ps.setString(1, tableId);
        ps.setString(2, currentRunId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      for (String id : ids) {
        finish(c, id, tableId, "abandoned", null, "the process running it stopped before it finished; found by run " + currentRunId);
      }
      return ids;
    });
  }

  /** The newest {@code limit} runs of one table, newest first (an index range scan). */
  public List<RunRecord> runs(String tableId, int limit) {
    return query("list runs of " + tableId,
        "SELECT " + RUN_COLUMNS + " FROM dp_run WHERE table_id = ? ORDER BY started_at DESC, run_id DESC LIMIT ?",
        ps -> {
          ps.setString(1, tableId);
          ps.setInt(2, limit);
        }, ControlStore::runRecord);
  }

  /** Every table the store knows (checkpointed or run at least once), with its status, by table id. */
  public List<TableStatus> status() {
    Map<String, Optional<String>> watermarks = new LinkedHashMap<>();
    query("read checkpoints", "SELECT table_id, watermark FROM dp_checkpoint", ps -> { },
        rs -> watermarks.put(rs.getString(1), Optional.ofNullable(rs.getString(2))));
    List<String> tables = query("list tables", "SELECT DISTINCT table_id FROM dp_run", ps -> { }, rs -> rs.getString(1));
    java.util.TreeSet<String> all = new java.util.TreeSet<>(tables);
    all.addAll(watermarks.keySet());
    List<TableStatus> out = new ArrayList<>();
    for (String table : all) {
      List<RunRecord> runs = runs(table, 200);
      Optional<RunRecord> success = runs.stream().filter(r -> r.status().equals("succeeded")).findFirst();
      Optional<RunRecord> failure = runs.stream()
          .filter(r -> r.status().equals("failed") || r.status().equals("abandoned"))
          .filter(r -> success.isEmpty() || r.startedAt().isAfter(success.get().startedAt()))
          .findFirst();
      out.add(new TableStatus(table, success, watermarks.getOrDefault(table, Optional.empty()), failure));
    }
    return out;
  }

  /** Where this store lives, for messages (no credentials). */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new ControlStoreException("Cannot close the control database connection: " + e.getMessage(), e);
    }
  }

  // --- plumbing -------------------------------------------------------------------------------

  private static final String RUN_COLUMNS = "run_id, job, table_id, status, lower_bound, upper_bound, rows_read, rows_merged,"
      + " rows_deleted, rows_quarantined, started_at, finished_at, error";

  private static RunRecord runRecord(ResultSet rs) throws SQLException {
    return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
        new RunCounts(rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)),
        instant(rs, 11).orElseThrow(), instant(rs, 12), Optional.ofNullable(rs.getString(13)));
  }

  private void closeQuietlyAfter(RuntimeException failure) {
    try {
      connection.close();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private void createSchema() {
    inTransaction("create the control tables", c -> {
      try (Statement s = c.createStatement()) {
        for (String ddl : dialect.schema()) {
          try {
            s.execute(ddl);
          } catch (SQLException e) {
            if (!dialect.isDuplicateIndex(e)) {
              throw e;
            }
          }
        }
      }
      return null;
    });
  }

  private void upsertCheckpoint(Connection c, String runId, Checkpoint next) throws SQLException {
    Instant now = Instant.now();
    try (PreparedStatement update = c.prepareStatement("UPDATE dp_checkpoint SET watermark = ?, pending_value = ?,"
        + " pending_clock = ?, last_delete_check = ?, last_run_id = ?, updated_at = ? WHERE table_id = ?")) {
      update.setString(1, next.watermark().orElse(null));
      update.setString(2, next.pendingValue().orElse(null));
      update.setString(3, next.pendingClock().orElse(null));
      setInstant(update, 4, next.lastDeleteCheck().orElse(null));
      update.setString(5, runId);
      setInstant(update, 6, now);
      update.setString(7, next.tableId());
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO dp_checkpoint (table_id, watermark, pending_value,"
        + " pending_clock, last_delete_check, last_run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, next.tableId());
      insert.setString(2, next.watermark().orElse(null));
      insert.setString(3, next.pendingValue().orElse(null));
      insert.setString(4, next.pendingClock().orElse(null));
      setInstant(insert, 5, next.lastDeleteCheck().orElse(null));
      insert.setString(6, runId);
      setInstant(insert, 7, now);
      insert.executeUpdate();
    }
  }

  private static void finish(Connection c, String runId, String tableId, String status, RunCounts counts, String error)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE dp_run SET status = ?, rows_read = COALESCE(?, rows_read),"
        + " rows_merged = COALESCE(?, rows_merged), rows_deleted = COALESCE(?, rows_deleted),"
        + " rows_quarantined = COALESCE(?, rows_quarantined), finished_at = ?, duration_ms = ?, error = ?"
        + " WHERE run_id = ? AND table_id = ?")) {
      Instant now = stored(Instant.now());
      Instant started = startedAt(c, runId, tableId);
      ps.setString(1, status);
      setLongOrNull(ps, 2, counts == null ? null : counts.rowsRead());
      setLongOrNull(ps, 3, counts == null ? null : counts.rowsMerged());
      setLongOrNull(ps, 4, counts == null ? null : counts.rowsDeleted());
      setLongOrNull(ps, 5, counts == null ? null : counts.rowsQuarantined());
      setInstant(ps, 6, now);
      ps.setLong(7, Duration.between(started, now).toMillis());
      ps.setString(8, error);
      ps.setString(9, runId);
      ps.setString(10, tableId);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("run " + runId + " of " + tableId + " was never started in the control store");
      }
    }
  }

  private static Instant startedAt(Connection c, String runId, String tableId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT started_at FROM dp_run WHERE run_id = ? AND table_id = ?")) {
      ps.setString(1, runId);
      ps.setString(2, tableId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? instant(rs, 1).orElse(Instant.now()) : Instant.now();
      }
    }
  }

  private static void setLongOrNull(PreparedStatement ps, int i, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(i, java.sql.Types.BIGINT);
    } else {
      ps.setLong(i, value);
    }
  }

  /**
   * Instants are stored as UTC wall-clock values in both engines' zone-less timestamp types, to the
   * microsecond (their precision). They are bound as {@link LocalDateTime}, never as
   * {@link java.sql.Timestamp}, whose conversion goes through the JVM's zone and shifts wall-clock
   * times that fall in that zone's daylight-saving gap.
   */
  static void setInstant(PreparedStatement ps, int i, Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(i, java.sql.Types.TIMESTAMP);
    } else {
      ps.setObject(i, LocalDateTime.ofInstant(stored(instant), ZoneOffset.UTC));
    }
  }

  /** {@code instant} as the store keeps it: truncated to the microsecond (PostgreSQL would round, MySQL truncate). */
  static Instant stored(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Reads a stored instant, its wall-clock value taken as UTC through a UTC calendar. Not
   * {@code getObject(LocalDateTime.class)} nor {@code getString}: MariaDB Connector/J 3.5 builds
   * those through the JVM's zone, which moves wall-clock times that fall in its daylight-saving gap.
   */
  static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column, Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC)));
    return Optional.ofNullable(t).map(Timestamp::toInstant);
  }

  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs {@code work} in one transaction; rolls back and names {@code what} on failure. */
  synchronized <T> T inTransaction(String what, SqlWork<T> work) {
    try {
      return Transaction.run(connection, work::run);
    } catch (SQLException e) {
      throw new ControlStoreException("Cannot " + what + " in the control database at " + url + ": " + e.getMessage(), e);
    }
  }

  <T> List<T> query(String what, String sql, Binder binder, Mapper<T> mapper) {
    return inTransaction(what, c -> {
      List<T> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(mapper.map(rs));
          }
        }
      }
      return rows;
    });
  }

  void update(String what, String sql, Binder binder) {
    inTransaction(what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        ps.executeUpdate();
      }
      return null;
    });
  }

  Dialect dialect() {
    return dialect;
  }
}
