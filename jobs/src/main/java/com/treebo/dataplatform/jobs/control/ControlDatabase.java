package com.treebo.dataplatform.jobs.control;

import com.treebo.dataplatform.conf.JdbcConfig;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The control database's connection, dialect and schema. The other control classes (run log,
 * checkpoints, locks, ledger, builds) send their SQL through it, each call one short transaction on
 * the one connection the job holds for its life. Works on PostgreSQL (local runs, tests) and on
 * MySQL/MariaDB (production, RDS); the tables are created, and columns added since, on open.
 */
final class ControlDatabase implements AutoCloseable {
  /** The advisory lock key schema creation takes ("dp_schem"); run locks are keyed by hashes of their names. */
  private static final long SCHEMA_LOCK = 0x64705f736368656dL;
  private final Connection connection;
  private final Dialect dialect;
  private final String url;

  private ControlDatabase(Connection connection, Dialect dialect, String url) {
    this.connection = connection;
    this.dialect = dialect;
    this.url = url;
  }

  /** Connects and brings the schema up to date. */
  static ControlDatabase open(JdbcConfig jdbc) {
    Dialect dialect = Dialect.of(jdbc.url());
    Connection c;
    try {
      c = DriverManager.getConnection(dialect.driverUrl(jdbc.url()), jdbc.user(), jdbc.password().reveal());
    } catch (SQLException e) {
      throw new ControlStoreException("Cannot connect to the control database at " + jdbc.url()
          + " as " + jdbc.user() + ": " + e.getMessage() + " (check control.jdbc-url, control.user and the password)", e);
    }
    ControlDatabase db = new ControlDatabase(c, dialect, jdbc.url());
    try {
      db.createSchema();
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return db;
  }

  String url() {
    return url;
  }

  Dialect dialect() {
    return dialect;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new ControlStoreException("Cannot close the control database connection: " + e.getMessage(), e);
    }
  }

  private void createSchema() {
    inTransaction("create the control tables", c -> {
      try (Statement s = c.createStatement()) {
        // Stores opened at once on a fresh database (the extract's workers, two steps starting
        // together) would race: PostgreSQL's CREATE TABLE IF NOT EXISTS is not atomic, and a column
        // found missing may be added by another store meanwhile. They take turns: PostgreSQL until
        // this transaction ends; MySQL, whose DDL commits by itself, until the lock is released below.
        if (dialect == Dialect.POSTGRESQL) {
          s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        } else {
          try (var rs = s.executeQuery("SELECT GET_LOCK('dataplatform_schema', 60)")) {
            if (!rs.next() || rs.getInt(1) != 1) {
              throw new java.sql.SQLException("another store held the schema lock (dataplatform_schema) for 60 s");
            }
          }
        }
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
      for (Dialect.AddedColumn added : Dialect.ADDED_COLUMNS) {
        if (!hasColumn(c, added.table(), added.column())) {
          try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + added.table() + " ADD COLUMN " + added.column() + " " + dialect.type(added.type()));
          }
        }
      }
      return null;
    });
    if (dialect != Dialect.POSTGRESQL) {
      inTransaction("release the schema lock", c -> {
        try (Statement s = c.createStatement()) {
          s.execute("DO RELEASE_LOCK('dataplatform_schema')");
        }
        return null;
      });
    }
  }

  private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    for (String t : List.of(table, table.toUpperCase())) {
      try (ResultSet rs = meta.getColumns(c.getCatalog(), null, t, null)) {
        while (rs.next()) {
          if (rs.getString("COLUMN_NAME").equalsIgnoreCase(column)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // --- statements ---------------------------------------------------------------------------------

  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs {@code work} in one transaction; rolls back and names {@code what} on failure. */
  synchronized <T> T inTransaction(String what, Transaction.Work<T> work) {
    try {
      return Transaction.run(connection, work);
    } catch (SQLException e) {
      throw new ControlStoreException("Cannot " + what + " in the control database at " + url + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} on the connection outside any explicit transaction (session-level statements: locks). */
  synchronized <T> T onSession(String what, Transaction.Work<T> work) {
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw new ControlStoreException("Cannot " + what + " in the control database at " + url + ": " + e.getMessage(), e);
    }
  }

  <T> List<T> query(String what, String sql, Binder binder, Mapper<T> mapper) {
    return inTransaction(what, c -> query(c, sql, binder, mapper));
  }

  static <T> List<T> query(Connection c, String sql, Binder binder, Mapper<T> mapper) throws SQLException {
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
  }

  void update(String what, String sql, Binder binder) {
    inTransaction(what, c -> update(c, sql, binder));
  }

  static int update(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    }
  }

  // --- instants -----------------------------------------------------------------------------------

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

  static void setLongOrNull(PreparedStatement ps, int i, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(i, java.sql.Types.BIGINT);
    } else {
      ps.setLong(i, value);
    }
  }
}
