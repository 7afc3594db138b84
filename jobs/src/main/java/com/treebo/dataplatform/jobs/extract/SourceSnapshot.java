package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.JdbcConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * One consistent view of a source database for the length of a table's extract: a REPEATABLE
 * READ transaction on a coordinator connection whose snapshot is exported, so every Spark
 * partition (its own connection, on any executor) imports it and reads the same rows the bounds were
 * computed from. The coordinator must stay open until every partition has imported the snapshot,
 * i.e. until the slice is written; {@link #close()} ends it.
 *
 * <p>Order matters: the clock and the oldest open transaction are read before the snapshot is
 * taken, so a transaction that commits between the two is visible in the snapshot rather than lost.
 */
public final class SourceSnapshot implements AutoCloseable {
  private final Connection connection;
  private final String snapshotId;
  private final SourceClock clock;

  private SourceSnapshot(Connection connection, String snapshotId, SourceClock clock) {
    this.connection = connection;
    this.snapshotId = snapshotId;
    this.clock = clock;
  }

  /** Opens a connection to the source, reads its clock, takes and exports a snapshot. */
  public static SourceSnapshot open(String sourceName, JdbcConfig jdbc) {
    Connection c = connect(sourceName, jdbc);
    try {
      Instant before;
      Optional<Instant> oldest;
      c.setAutoCommit(true);
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT clock_timestamp(), (SELECT min(xact_start) FROM pg_stat_activity"
               + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
               + " AND backend_type = 'client backend')")) {
        rs.next();
        before = rs.getObject(1, OffsetDateTime.class).toInstant();
        oldest = Optional.ofNullable(rs.getObject(2, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
      }
      c.setAutoCommit(false);
      String id;
      Instant after;
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot(), clock_timestamp()")) {
          rs.next();
          id = rs.getString(1);
          after = rs.getObject(2, OffsetDateTime.class).toInstant();
        }
      }
      return new SourceSnapshot(c, id, new SourceClock(before, oldest, after));
    } catch (SQLException e) {
      closeQuietly(c);
      throw new ExtractException("Cannot take a snapshot of source database " + sourceName + " at " + jdbc.url()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether the user can see other sessions' transactions in pg_stat_activity. Without that
   * (superuser, or a member of pg_read_all_stats, e.g. via pg_monitor on RDS) long transactions
   * are invisible and the incremental bound would not be safe.
   */
  public static void requireActivityVisibility(String sourceName, Connection c, String user) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')"
             + " FROM pg_roles WHERE rolname = current_user")) {
      if (rs.next() && !rs.getBoolean(1)) {
        throw new ExtractException("Cannot extract from source database " + sourceName + " safely: user " + user
            + " cannot see other sessions' open transactions in pg_stat_activity, so a long transaction's rows could"
            + " be missed. Grant it: GRANT pg_read_all_stats TO " + user + " (on RDS, pg_monitor includes it).");
      }
    }
  }

  /**
   * Refuses a standby (a read replica): its {@code pg_stat_activity} shows none of the primary's
   * transactions, so a long transaction on the primary would be invisible and its rows could be
   * skipped for good.
   */
  public static void requirePrimary(String sourceName, Connection c, String url) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
      if (rs.next() && rs.getBoolean(1)) {
        throw new ExtractException("Cannot extract from source database " + sourceName + " at " + url + ": it is a standby"
            + " (a read replica; pg_is_in_recovery() is true). The extract needs the primary's pg_stat_activity to see every"
            + " open transaction, or it could skip the rows of a long one. Point sources." + sourceName
            + ".jdbc-url at the primary.");
      }
    }
  }

  public static Connection connect(String sourceName, JdbcConfig jdbc) {
    try {
      return DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password().reveal());
    } catch (SQLException e) {
      throw new ExtractException("Cannot connect to source database " + sourceName + " at " + jdbc.url() + " as "
          + jdbc.user() + ": " + e.getMessage() + " (check sources." + sourceName + ".jdbc-url, user and password)", e);
    }
  }

  public String snapshotId() {
    return snapshotId;
  }

  public SourceClock clock() {
    return clock;
  }

  /** The coordinator connection, inside the snapshot: for planning queries (counts, split points, columns). */
  public Connection connection() {
    return connection;
  }

  /** Runs {@code sql} inside the snapshot with text parameters; returns the first row's first column as text. */
  public Optional<String> queryText(String sql, String... params) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  @Override
  public void close() {
    try {
      connection.rollback();
    } catch (SQLException ignoredBecauseClosing) {
      // Read-only transaction: nothing to lose; the close below releases it either way.
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // A connection that cannot close is already broken; the server ends its transaction.
    }
  }
}
