package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.conf.Identifiers;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every statement the warehouse load sends, for Redshift and for the local PostgreSQL warehouse,
 * from one generator so that the local path runs the production statements. They differ only in
 * what PostgreSQL lacks: Redshift's distribution and sort clauses, and its {@code COPY} from S3
 * into a temporary stage (PostgreSQL's stage is an unlogged table the executors COPY into).
 * Identifiers are quoted ({@link Identifiers}); values are bound parameters or literals the loader
 * made itself (an S3 URL it wrote, the configured role ARN, quoted).
 */
final class WarehouseSql {
  /** The stage's extra column: {@code upsert} or {@code delete}. */
  static final String OP = "_op";

  private final boolean redshift;
  private final String schema;
  private final String stagingSchema;

  WarehouseSql(boolean redshift, String schema, String stagingSchema) {
    this.redshift = redshift;
    this.schema = schema;
    this.stagingSchema = stagingSchema;
  }

  boolean redshift() {
    return redshift;
  }

  String createSchema(String name) {
    return "CREATE SCHEMA IF NOT EXISTS " + q(name);
  }

  String target(String table) {
    return q(schema) + "." + q(table);
  }

  /** The stage of {@code table}: a temporary table of the load's session (Redshift), an unlogged table (PostgreSQL). */
  String stage(String table, String runId) {
    return redshift ? q("stage_" + table) : q(stagingSchema) + "." + q(("stage_" + table + "_" + runId).replaceAll("[^A-Za-z0-9_]", "_"));
  }

  String createTable(String table, List<WarehouseColumn> columns) {
    return "CREATE TABLE IF NOT EXISTS " + target(table) + " (" + columnList(columns) + ")"
        + (redshift ? " " + TableLayout.redshift(table) : "");
  }

  String addColumn(String table, WarehouseColumn column) {
    return "ALTER TABLE " + target(table) + " ADD COLUMN " + q(column.name()) + " " + column.sqlType();
  }

  /** The stage's columns are the target's, in the order of the staged rows, and {@code _op}: COPY of Parquet matches by position. */
  String createStage(String table, String runId, List<WarehouseColumn> columns) {
    return (redshift ? "CREATE TEMP TABLE " : "CREATE UNLOGGED TABLE ") + stage(table, runId) + " (" + columnList(columns) + ", "
        + q(OP) + " VARCHAR(8))";
  }

  String dropStage(String table, String runId) {
    return "DROP TABLE IF EXISTS " + stage(table, runId);
  }

  /** PostgreSQL: what each executor streams its part of the stage through (pgjdbc's CopyManager). */
  String copyFromStdin(String table, String runId, List<WarehouseColumn> columns) {
    return "COPY " + stage(table, runId) + " (" + columns.stream().map(c -> q(c.name())).collect(Collectors.joining(", ")) + ", "
        + q(OP) + ") FROM STDIN WITH (FORMAT csv)";
  }

  /** Redshift: the staged Parquet files, listed in the manifest, into the temporary stage. */
  String copyFromS3(String table, String runId, String manifestUrl, String iamRole) {
    return "COPY " + stage(table, runId) + " FROM " + literal(manifestUrl) + " IAM_ROLE " + literal(iamRole)
        + " FORMAT AS PARQUET MANIFEST";
  }

  /** The target rows the stage replaces or deletes. */
  String deleteStaged(String table, String runId, List<String> key) {
    String target = target(table);
    String stage = stage(table, runId);
    return "DELETE FROM " + target + " USING " + stage + " WHERE "
        + key.stream().map(k -> target + "." + q(k) + " = " + stage + "." + q(k)).collect(Collectors.joining(" AND "));
  }

  /** Every target row (a table loaded whole again). */
  String deleteAll(String table) {
    return "DELETE FROM " + target(table);
  }

  /**
   * The stage's upserts into the target. DISTINCT: a COPY that a driver-level retry ran twice
   * staged every row twice; the rows of one change set are otherwise unique by key.
   */
  String insertStaged(String table, String runId, List<WarehouseColumn> columns) {
    String names = columns.stream().map(c -> q(c.name())).collect(Collectors.joining(", "));
    return "INSERT INTO " + target(table) + " (" + names + ") SELECT DISTINCT " + names + " FROM " + stage(table, runId)
        + " WHERE " + q(OP) + " = 'upsert'";
  }

  String createAudit() {
    return "CREATE TABLE IF NOT EXISTS " + audit() + " (\"build_id\" VARCHAR(64) NOT NULL, \"table_name\" VARCHAR(255) NOT NULL,"
        + " \"delta_version\" BIGINT NOT NULL, \"rows_upserted\" BIGINT NOT NULL, \"rows_deleted\" BIGINT NOT NULL,"
        + " \"load_run_id\" VARCHAR(64) NOT NULL, \"loaded_at\" TIMESTAMPTZ NOT NULL, PRIMARY KEY (\"build_id\", \"table_name\"))"
        + (redshift ? " DISTSTYLE ALL" : "");
  }

  /** Whether a build was loaded: run inside the load's transaction, so two loads of one build cannot both commit. */
  String auditCount() {
    return "SELECT COUNT(*) FROM " + audit() + " WHERE \"build_id\" = ?";
  }

  String auditInsert() {
    return "INSERT INTO " + audit() + " (\"build_id\", \"table_name\", \"delta_version\", \"rows_upserted\", \"rows_deleted\","
        + " \"load_run_id\", \"loaded_at\") VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))";
  }

  /** Per model table, the Delta version loaded last (versions only grow). */
  String auditLastVersions() {
    return "SELECT \"table_name\", MAX(\"delta_version\") FROM " + audit() + " GROUP BY \"table_name\"";
  }

  String columnsOf() {
    return "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
  }

  String count(String table) {
    return "SELECT COUNT(*) FROM " + target(table);
  }

  private String audit() {
    return q(schema) + "." + q("dp_load_audit");
  }

  private static String columnList(List<WarehouseColumn> columns) {
    return columns.stream().map(c -> q(c.name()) + " " + c.sqlType()).collect(Collectors.joining(", "));
  }

  private static String q(String name) {
    return Identifiers.quote(name);
  }

  private static String literal(String value) {
    return Identifiers.literal(value);
  }
}
