package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.WarehouseConfig;
import com.treebo.dataplatform.jobs.control.Transaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The load's session with the warehouse: one connection (a Redshift temporary stage lives as long
 * as its session), every statement sent through one {@link Statements} so that a test can stand in
 * for what PostgreSQL cannot run (Redshift's COPY from S3) and nothing else.
 */
final class Warehouse implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Warehouse.class);
  /** How a statement reaches the warehouse. Production: as it is. */
  interface Statements {
    void execute(Connection c, String sql) throws SQLException;

    Statements PLAIN = (c, sql) -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    };
  }

  private final Connection connection;
  private final Statements statements;
  private final String url;

  private Warehouse(Connection connection, Statements statements, String url) {
    this.connection = connection;
    this.statements = statements;
    this.url = url;
  }

  static Warehouse open(WarehouseConfig config, Statements statements) {
    JdbcConfig jdbc = config.jdbc();
    try {
      if (config.redshift()) {
        Class.forName("com.amazon.redshift.jdbc.Driver");
      }
      Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password().reveal());
      c.setAutoCommit(true);
      return new Warehouse(c, statements, jdbc.url());
    } catch (SQLException | ClassNotFoundException e) {
      throw new WarehouseException("Cannot connect to the warehouse at " + jdbc.url() + " as " + jdbc.user() + ": " + e.getMessage()
          + " (check warehouse.jdbc-url, warehouse.user and the password, DATAPLATFORM_WAREHOUSE_PASSWORD)", e);
    }
  }

  Connection connection() {
    return connection;
  }

  /** Runs one statement outside a transaction (DDL, stage set-up). */
  void execute(String what, String sql) {
    try {
      long t = System.nanoTime();
      statements.execute(connection, sql);
      LOG.info("warehouse: {} ({} ms)", what, (System.nanoTime() - t) / 1_000_000);
    } catch (SQLException e) {
      throw failure(what, sql, e);
    }
  }

  /** Runs {@code work} in one transaction, every statement through {@link #execute(Connection, String)}. */
  <T> T inTransaction(String what, Transaction.Work<T> work) {
    try {
      return Transaction.run(connection, work);
    } catch (SQLException e) {
      throw new WarehouseException("Cannot " + what + " in the warehouse at " + url + ": " + e.getMessage()
          + ". The transaction was rolled back: the warehouse is as it was.", e);
    }
  }

  /** Inside {@link #inTransaction}: one statement, through the same {@link Statements}. */
  void execute(Connection c, String sql) throws SQLException {
    long t = System.nanoTime();
    statements.execute(c, sql);
    LOG.info("warehouse: {} ({} ms)", sql.length() > 120 ? sql.substring(0, 120) + " ..." : sql, (System.nanoTime() - t) / 1_000_000);
  }

  /** The rows of a query with text parameters, each row's columns as text. */
  List<String[]> query(String what, String sql, String... params) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<String[]> rows = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          String[] row = new String[n];
          for (int i = 0; i < n; i++) {
            row[i] = rs.getString(i + 1);
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw failure(what, sql, e);
    }
  }

  private WarehouseException failure(String what, String sql, SQLException e) {
    return new WarehouseException("Cannot " + what + " in the warehouse at " + url + ": " + e.getMessage() + " (statement: "
        + (sql.length() > 300 ? sql.substring(0, 300) + " ..." : sql) + ")", e);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // The load is over; a connection that fails to close is dropped by the server.
    }
  }
}
