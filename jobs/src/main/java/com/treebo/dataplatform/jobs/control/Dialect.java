package com.treebo.dataplatform.jobs.control;

import java.util.List;

/**
 * The SQL that differs between the control store's engines: PostgreSQL (local runs, tests) and
 * MySQL/MariaDB (production on RDS). Everything else the store sends is plain SQL both accept.
 * The schema is written once here with two logical types, {@code TIMESTAMP} (UTC wall clock, to
 * the microsecond) and {@code LONGTEXT}, that each engine spells its own way.
 */
enum Dialect {
  POSTGRESQL("timestamp(6)", "text", ""),
  MYSQL("datetime(6)", "mediumtext", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");

  /** A column added to a table after its first release; added on open where missing. */
  record AddedColumn(String table, String column, String type) {}

  /** Columns added since the tables were first created, in order. */
  static final List<AddedColumn> ADDED_COLUMNS = List.of(
      new AddedColumn("dp_run", "runner", "varchar(255)"));

  private final String timestamp;
  private final String longText;
  private final String tableSuffix;

  Dialect(String timestamp, String longText, String tableSuffix) {
    this.timestamp = timestamp;
    this.longText = longText;
    this.tableSuffix = tableSuffix;
  }

  /**
   * The dialect of a control-store URL. The configuration is checked against the same prefixes
   * when it is parsed ({@code JdbcConfig}), so this fails only for URLs built in code.
   */
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

  /** {@code logical} ({@code TIMESTAMP}, {@code LONGTEXT} or a plain SQL type) in this engine's spelling. */
  String type(String logical) {
    return switch (logical) {
      case "TIMESTAMP" -> timestamp;
      case "LONGTEXT" -> longText;
      default -> logical;
    };
  }

  /** Table DDL, idempotent. Times are UTC. */
  List<String> schema() {
    return List.of(
        table("dp_checkpoint",
            "table_id varchar(255) NOT NULL PRIMARY KEY",
            "watermark varchar(64)",
            "pending_value varchar(64)",
            "pending_clock varchar(64)",
            "last_delete_check TIMESTAMP",
            "last_run_id varchar(64)",
            "updated_at TIMESTAMP NOT NULL"),
        table("dp_run",
            "run_id varchar(64) NOT NULL",
            "job varchar(64) NOT NULL",
            "table_id varchar(255) NOT NULL",
            "status varchar(16) NOT NULL",
            "lower_bound varchar(64)",
            "upper_bound varchar(64)",
            "rows_read bigint",
            "rows_merged bigint",
            "rows_deleted bigint",
            "rows_quarantined bigint",
            "started_at TIMESTAMP NOT NULL",
            "finished_at TIMESTAMP",
            "duration_ms bigint",
            "error LONGTEXT",
            "PRIMARY KEY (run_id, table_id)"),
        index("dp_run_table_started", "dp_run (table_id, started_at)"),
        table("dp_run_metric",
            "run_id varchar(64) NOT NULL",
            "table_id varchar(255) NOT NULL",
            "name varchar(128) NOT NULL",
            "value bigint NOT NULL",
            "PRIMARY KEY (run_id, table_id, name)"),
        table("dp_landed_object",
            "object_sha256 char(64) NOT NULL PRIMARY KEY",
            "object_key " + (this == MYSQL ? "varchar(2048)" : "text") + " NOT NULL",
            "landed_hour varchar(13) NOT NULL",
            "size_bytes bigint NOT NULL",
            "run_id varchar(64) NOT NULL",
            "recorded_at TIMESTAMP NOT NULL"),
        index("dp_landed_object_hour", "dp_landed_object (landed_hour)"),
        table("dp_build_input",
            "run_id varchar(64) NOT NULL",
            "input_name varchar(255) NOT NULL",
            "high_water TIMESTAMP",
            "delta_version bigint",
            "PRIMARY KEY (run_id, input_name)"),
        table("dp_build_output",
            "run_id varchar(64) NOT NULL",
            "table_name varchar(255) NOT NULL",
            "delta_version bigint NOT NULL",
            "row_count bigint NOT NULL",
            "PRIMARY KEY (run_id, table_name)"),
        table("dp_night_step",
            "night varchar(10) NOT NULL",
            "step varchar(64) NOT NULL",
            "run_id varchar(64) NOT NULL",
            "status varchar(16) NOT NULL",
            "started_at TIMESTAMP NOT NULL",
            "finished_at TIMESTAMP",
            "duration_ms bigint",
            "summary LONGTEXT",
            "error LONGTEXT",
            "PRIMARY KEY (night, step, run_id)"));
  }

  private String table(String name, String... columns) {
    StringBuilder s = new StringBuilder("CREATE TABLE IF NOT EXISTS " + name + " (");
    for (int i = 0; i < columns.length; i++) {
      s.append(i == 0 ? "" : ", ").append(columns[i].replace(" TIMESTAMP", " " + timestamp).replace(" LONGTEXT", " " + longText));
    }
    return s.append(')').append(tableSuffix).toString();
  }

  private String index(String name, String on) {
    return "CREATE INDEX " + (this == POSTGRESQL ? "IF NOT EXISTS " : "") + name + " ON " + on;
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
