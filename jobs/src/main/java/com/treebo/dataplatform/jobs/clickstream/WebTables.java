package com.treebo.dataplatform.jobs.clickstream;

import com.treebo.dataplatform.conf.CatalogConfig;
import com.treebo.dataplatform.conf.Identifiers;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.catalog.Publication;
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
 * @param root the lake root URI
 * @param catalog how the tables are published beyond Spark (Athena's entries, Spectrum's manifests)
 */
public record WebTables(String lakeDb, String root, CatalogConfig catalog) {
  public WebTables {
    Identifiers.require(lakeDb, "lake.database");
  }

  public static WebTables of(PlatformConfig config) {
    return new WebTables(config.lake().database(), config.lake().root(), config.catalog());
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

  String location(String table) {
    return root + "/tables/" + table.substring(table.indexOf('.') + 1);
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
    spark.sql("CREATE DATABASE IF NOT EXISTS " + Identifiers.quoteSpark(db));
    spark.sql("CREATE TABLE IF NOT EXISTS " + Identifiers.quoteSparkQualified(table) + " (" + like.schema().toDDL() + ") USING delta"
        + (partitionColumn == null ? "" : " PARTITIONED BY (" + partitionColumn + ")")
        + " LOCATION " + Identifiers.literalSpark(location(table))
        + tblProperties(table, statsColumns));
  }

  private String tblProperties(String table, String statsColumns) {
    java.util.Map<String, String> p = new java.util.LinkedHashMap<>(Publication.creationProperties(catalog, table, false));
    if (statsColumns != null) {
      p.put("delta.dataSkippingStatsColumns", statsColumns);
    }
    return p.isEmpty() ? "" : " TBLPROPERTIES (" + Publication.tblProperties(p) + ")";
  }

  /** Publishes every clickstream table that exists beyond Spark: Athena's entries, Spectrum's manifests. */
  void publish(SparkSession spark) {
    for (String t : java.util.List.of(events(), quarantine(), identities(), sessions())) {
      if (spark.catalog().tableExists(t)) {
        Publication.publish(spark, catalog, t);
      }
    }
  }

  /** Adds {@code _seen_at} to a sessions table written before sessions carried it (null in older rows). */
  void addSeenAt(SparkSession spark, String table) {
    if (!java.util.Arrays.asList(spark.table(table).columns()).contains("_seen_at")) {
      spark.sql("ALTER TABLE " + Identifiers.quoteSparkQualified(table) + " ADD COLUMNS (_seen_at TIMESTAMP)");
    }
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

  /** A SQL list of date literals, for partition pruning: {@code DATE'2026-11-20', ...}. */
  static String dateList(Collection<LocalDate> dates) {
    return dates.stream().sorted().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
  }
}
