package com.treebo.dataplatform.jobs.model;

import com.treebo.dataplatform.conf.CatalogConfig;
import com.treebo.dataplatform.conf.Identifiers;
import com.treebo.dataplatform.conf.LakeConfig;
import com.treebo.dataplatform.jobs.catalog.Publication;
import com.treebo.dataplatform.jobs.runtime.SessionSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The model's Delta tables: {@code <database>.<name>} at {@code <lake.root>/<database>/<name>},
 * registered in the metastore. Every table is created with the change data feed on (the warehouse
 * load reads what changed between two published versions), deletion vectors (a night's changes
 * mark rows instead of rewriting files; not for the tables Redshift Spectrum reads, which keep a
 * symlink manifest instead: {@link Publication}), and file statistics on the columns the merges and
 * loads filter on only.
 */
final class ModelTables {
  private final SparkSession spark;
  private final String database;
  private final String root;
  private final CatalogConfig catalog;

  ModelTables(SparkSession spark, LakeConfig lake, CatalogConfig catalog, String database) {
    this.spark = spark;
    this.catalog = catalog;
    this.database = database;
    this.root = lake.root();
  }

  String database() {
    return database;
  }

  String qualified(String name) {
    return database + "." + name;
  }

  String location(String name) {
    return root + "/" + database + "/" + name;
  }

  boolean exists(String name) {
    return spark.catalog().tableExists(database, name);
  }

  Dataset<Row> read(String name) {
    return spark.table(qualified(name));
  }

  /** The table as of a published version (time travel). */
  Dataset<Row> readVersion(String name, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(name));
  }

  /**
   * Creates the table from {@code rows} in one commit (CREATE TABLE ... AS SELECT); returns the rows
   * written, from the commit's metrics.
   */
  long create(String name, Dataset<Row> rows, List<String> statsColumns) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + Identifiers.quoteSpark(database) + " LOCATION "
        + Identifiers.literalSpark(root + "/" + database));
    String view = "model_new_" + name;
    rows.createOrReplaceTempView(view);
    try {
      spark.sql("CREATE TABLE " + Identifiers.quoteSparkQualified(qualified(name)) + " USING delta LOCATION "
          + Identifiers.literalSpark(location(name)) + " TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true', "
          + Publication.tblProperties(Publication.creationProperties(catalog, qualified(name), true))
          + ", 'delta.dataSkippingStatsColumns' = '" + String.join(",", statsColumns) + "') AS SELECT * FROM " + Identifiers.quoteSpark(view));
    } finally {
      spark.catalog().dropTempView(view);
    }
    return lastCommitMetric(name, "numOutputRows");
  }

  /** Drops a table this build created (a failed first build leaves no half-made model behind). */
  void drop(String name) {
    spark.sql("DROP TABLE IF EXISTS " + Identifiers.quoteSparkQualified(qualified(name)));
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location(name));
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot remove " + location(name) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Applies {@code changes} ({@link com.treebo.dataplatform.model.Changes#of}: rows with
   * {@code _op} upsert or delete) to the table by {@code key}, in one MERGE; {@code prune} (a
   * predicate on the target, {@code t.}-qualified, or empty) keeps the merge off files that cannot
   * hold the changed keys. Returns inserted, updated and deleted rows. The caller sets
   * {@link SessionSettings#MERGE_MATERIALIZE_SOURCE} to {@code none} when {@code changes} is kept
   * (immutable): several tables are written at once, and a session setting is shared by all of them.
   */
  long[] apply(String name, Dataset<Row> changes, List<String> key, String prune) {
    String[] columns = Arrays.stream(changes.columns()).filter(c -> !c.equals("_op")).toArray(String[]::new);
    String view = "model_changes_" + name;
    changes.createOrReplaceTempView(view);
    try {
      String on = key.stream().map(k -> "t." + q(k) + " = s." + q(k)).collect(Collectors.joining(" AND "))
          + (prune.isEmpty() ? "" : " AND " + prune);
      String set = Arrays.stream(columns).map(c -> "t." + q(c) + " = s." + q(c)).collect(Collectors.joining(", "));
      String names = Arrays.stream(columns).map(ModelTables::q).collect(Collectors.joining(", "));
      String values = Arrays.stream(columns).map(c -> "s." + q(c)).collect(Collectors.joining(", "));
      Row m = spark.sql(
          "MERGE INTO " + Identifiers.quoteSparkQualified(qualified(name)) + " t USING " + q(view) + " s ON " + on
              + " WHEN MATCHED AND s._op = 'delete' THEN DELETE"
              + " WHEN MATCHED THEN UPDATE SET " + set
              + " WHEN NOT MATCHED AND s._op = 'upsert' THEN INSERT (" + names + ") VALUES (" + values + ")").first();
      return new long[] {m.getAs("num_inserted_rows"), m.getAs("num_updated_rows"), m.getAs("num_deleted_rows")};
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /** Publishes the table beyond Spark: its metastore entry for Athena, its manifest if Spectrum reads it. */
  void publish(String name) {
    Publication.publish(spark, catalog, qualified(name));
  }

  /** The table's current Delta version. */
  long version(String name) {
    return spark.sql("DESCRIBE HISTORY " + Identifiers.quoteSparkQualified(qualified(name)) + " LIMIT 1").first().getLong(0);
  }

  /** Rows in the table (answered from Delta's file statistics, no scan). */
  long rows(String name) {
    return read(name).count();
  }

  private long lastCommitMetric(String name, String metric) {
    Row commit = spark.sql("DESCRIBE HISTORY " + Identifiers.quoteSparkQualified(qualified(name)) + " LIMIT 1").first();
    scala.collection.Map<String, String> metrics = commit.getAs("operationMetrics");
    return Long.parseLong(metrics.getOrElse(metric, () -> "0"));
  }

  private static String q(String name) {
    return Identifiers.quoteSpark(name);
  }
}
