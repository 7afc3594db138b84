package com.treebo.dataplatform.devtools.synthetic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A SQL text kept as a classpath resource under {@code /synthetic} or {@code /contracts}, run
 * through JDBC. Values are always bound parameters; the text itself is fixed.
 */
final class SqlScript {
  private final String resource;
  private final String sql;

  private SqlScript(String resource, String sql) {
    this.resource = resource;
    this.sql = sql;
  }

  /** Loads the UTF-8 text of classpath resource {@code resource} (an absolute resource path). */
  static SqlScript load(String resource) {
    try (InputStream in = SqlScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("SQL resource " + resource + " is missing from the classpath (is the jobs jar complete?)");
      }
      return new SqlScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read SQL resource " + resource, e);
    }
  }

  /**
   * Runs the whole text, which may hold many statements and $$-quoted function bodies, in one
   * {@link Statement#execute}. pgjdbc splits it with its own parser, which understands dollar
   * quotes, and sends all statements in one round trip; escape processing is off so the text
   * reaches the server verbatim.
   */
  void executeAll(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.setEscapeProcessing(false);
      s.execute(sql);
    } catch (SQLException e) {
      throw withResource(e);
    }
  }

  /** Runs the single statement with {@code parameters} bound in order; returns the rows it changed. */
  long update(Connection connection, Object... parameters) throws SQLException {
    try (PreparedStatement s = prepare(connection, parameters)) {
      return s.executeLargeUpdate();
    } catch (SQLException e) {
      throw withResource(e);
    }
  }

  /** Runs the single statement, which returns one row of counts, with {@code parameters} bound in order. */
  long[] counts(Connection connection, Object... parameters) throws SQLException {
    try (PreparedStatement s = prepare(connection, parameters); ResultSet rs = s.executeQuery()) {
      rs.next();
      long[] counts = new long[rs.getMetaData().getColumnCount()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = rs.getLong(i + 1);
      }
      return counts;
    } catch (SQLException e) {
      throw withResource(e);
    }
  }

  private PreparedStatement prepare(Connection connection, Object... parameters) throws SQLException {
    PreparedStatement s = connection.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      Object value = parameters[i] instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : parameters[i];
      s.setObject(i + 1, value);
    }
    return s;
  }

  private SQLException withResource(SQLException e) {
    return new SQLException("SQL script " + resource + " failed: " + e.getMessage(), e.getSQLState(), e);
  }
}
