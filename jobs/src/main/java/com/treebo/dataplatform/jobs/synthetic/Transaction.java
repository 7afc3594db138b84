package com.treebo.dataplatform.jobs.synthetic;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work on a connection as one transaction: committed if it returns, rolled back if it throws. */
final class Transaction {
  /** Work done inside the transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private Transaction() {}

  /** Runs {@code work} in one transaction and restores the connection's auto-commit setting. */
  static <T> T run(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }
}
