package com.treebo.dataplatform.jobs.clickstream;

import com.treebo.dataplatform.conf.Identifiers;
import com.treebo.dataplatform.conf.PlatformConfig;
import java.time.LocalDate;
import java.util.Collection;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Names and locations of the clickstream job's Delta tables, and the statements that write them.
 * Tables are created empty (from the schema of the first rows written) on first use and registered
 * in the metastore at a location under the lake root; every later write is a MERGE or a
 * replaceWhere overwrite of the affected dates, so a rerun writes the same rows again.
 *
 * @param lakeDb metastore database of lake tables (lake.database)
 * @param rptDb database of canned reports ({@code rpt} in production)
 * @param dwDb database of the warehouse star ({@code dw} in production)
 * @param root the lake root URI
 */
public record WebTables(String lakeDb, String rptDb, String dwDb, String root) {
  public WebTables {
    Identifiers.require(lakeDb, "lake.database");
    Identifiers.require(rptDb, "rpt database");
    Identifiers.require(dwDb, "dw database");
  }

  /** The production names: the lake database of the config, {@code rpt} and {@code dw}. */
  public static WebTables of(PlatformConfig config) {
    return new WebTables(config.lake().database(), "rpt", "dw", config.lake().root());
  }

  /** The same lake, with the report and star tables in other databases (tests sharing one metastore). */
  public WebTables withWarehouse(String rpt, String dw) {
    return new WebTables(lakeDb, rpt, dw, root);
  }

  public String events() {
    return lakeDb + ".web_events";
  }

  public String quarantine() {
    return lakeDb + ".web_events_quarantine";
  }

  public String identities() {
    return lakeDb + ".web_identities";
  }

  public String sessions() {
    return lakeDb + ".web_sessions";
  }

  public String funnelDaily() {
    return rptDb + ".funnel_daily";
  }

  public String factWebSession() {
    return dwDb + ".fact_web_session";
  }

  public String bookings() {
    return lakeDb + ".crs_booking";
  }

  String location(String table) {
    int dot = table.indexOf('.');
    String db = table.substring(0, dot);
    String name = table.substring(dot + 1);
    return db.equals(lakeDb) ? root + "/tables/" + name : root + "/" + db + "/" + name;
  }

  /**
   * Creates {@code table} (Delta, at its location) with {@code like}'s columns unless it exists.
   *
   * @param partitionColumn the partition column, or null
   * @param statsColumns the columns (comma-separated) Delta keeps file statistics for, or null for
   *     Delta's default (the first 32): on a wide table, statistics on every string column cost
   *     more to write than they ever save
   */
  void ensure(SparkSession spark, String table, Dataset<Row> like, String partitionColumn, String statsColumns) {
    String db = table.substring(0, table.indexOf('.'));
    spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
    spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + like.schema().toDDL() + ") USING delta"
        + (partitionColumn == null ? "" : " PARTITIONED BY (" + partitionColumn + ")")
        + " LOCATION '" + location(table).replace("'", "\\'") + "'"
        + (statsColumns == null ? "" : " TBLPROPERTIES ('delta.dataSkippingStatsColumns' = '" + statsColumns + "')"));
  }

  /** {@code dates} and the {@code days} either side of each. */
  static TreeSet<LocalDate> around(Collection<LocalDate> dates, int days) {
    TreeSet<LocalDate> out = new TreeSet<>();
    dates.forEach(d -> {
      for (int i = -days; i <= days; i++) {
        out.add(d.plusDays(i));
      }
    });
    return out;
  }

  /** A SQL list of {@code yyyyMMdd} date keys (the star's {@code date_key}): {@code 20261120, ...}. */
  static String dateKeyList(Collection<LocalDate> dates) {
    return dates.stream().sorted().map(d -> d.toString().replace("-", "")).collect(Collectors.joining(", "));
  }

  /** A SQL list of date literals, for partition pruning: {@code DATE'2026-11-20', ...}. */
  static String dateList(Collection<LocalDate> dates) {
    return dates.stream().sorted().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
  }
}
