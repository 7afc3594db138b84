package com.treebo.dataplatform.jobs.control;

import java.util.List;

/**
 * The SQL that differs between the control store's engines: PostgreSQL (local runs, tests) and
 * MySQL/MariaDB (production on RDS). Everything else the store sends is plain SQL both accept.
 */
enum Dialect {
  POSTGRESQL("timestamp(6)", "text"),
  MYSQL("datetime(6)", "mediumtext");

  private final String timestamp;
  private final String longText;

  Dialect(String timestamp, String longText) {
    this.timestamp = timestamp;
    this.longText = longText;
  }

  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
      return MYSQL;
    }
    throw new IllegalArgumentException("Invalid configuration at control.jdbc-url: '" + jdbcUrl
        + "' is neither a PostgreSQL (jdbc:postgresql:) nor a MySQL/MariaDB (jdbc:mysql:, jdbc:mariadb:) URL");
  }

  /** Table DDL, idempotent. Times are UTC. */
  List<String> schema() {
    String suffix = this == MYSQL ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : "";
    return List.of(
        "CREATE TABLE IF NOT EXISTS dp_checkpoint ("
            + " table_id varchar(255) NOT NULL PRIMARY KEY,"
            + " watermark varchar(64),"
            + " pending_value varchar(64),"
            + " pending_clock varchar(64),"
            + " last_delete_check " + timestamp + ","
            + " last_run_id varchar(64),"
            + " updated_at " + timestamp + " NOT NULL)" + suffix,
        "CREATE TABLE IF NOT EXISTS dp_run ("
            + " run_id varchar(64) NOT NULL,"
            + " job varchar(64) NOT NULL,"
            + " table_id varchar(255) NOT NULL,"
            + " status varchar(16) NOT NULL,"
            + " lower_bound varchar(64),"
            + " upper_bound varchar(64),"
            + " rows_read bigint,"
            + " rows_merged bigint,"
            + " rows_deleted bigint,"
            + " rows_quarantined bigint,"
            + " started_at " + timestamp + " NOT NULL,"
            + " finished_at " + timestamp + ","
            + " duration_ms bigint,"
            + " error " + longText + ","
            + " PRIMARY KEY (run_id, table_id))" + suffix,
        "CREATE INDEX " + (this == POSTGRESQL ? "IF NOT EXISTS " : "") + "dp_run_table_started ON dp_run (table_id, started_at)");
  }

  /**
   * The URL handed to the driver. The project ships only the MariaDB driver, which serves MySQL
   * servers too but takes {@code jdbc:mysql:} URLs only with its {@code permitMysqlScheme} option;
   * a {@code jdbc:mysql:} URL is therefore given to it as {@code jdbc:mariadb:}.
   */
  String driverUrl(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + jdbcUrl.substring("jdbc:mysql:".length()) : jdbcUrl;
  }

  /** Whether an error from {@code CREATE INDEX} means only that the index exists (MySQL has no IF NOT EXISTS). */
  boolean isDuplicateIndex(java.sql.SQLException e) {
    return this == MYSQL && e.getErrorCode() == 1061;
  }
}
