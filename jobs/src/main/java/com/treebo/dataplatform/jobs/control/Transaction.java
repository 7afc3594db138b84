package com.treebo.dataplatform.jobs.control;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work on a connection as one transaction: committed if it returns, rolled back if it throws. */
public final class Transaction {
  /** Work done inside the transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private Transaction() {}

  /**
   * Runs {@code work} in one transaction and restores the connection's auto-commit setting. The
   * work's own failure is what propagates; a rollback that fails too (the connection is gone, and
   * with it the transaction) is attached to it.
   */
  public static <T> T run(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      if (!connection.isClosed()) {
        connection.setAutoCommit(autoCommit);
      }
    }
  }
}
