package com.treebo.dataplatform.jobs.catalog;

import com.treebo.dataplatform.conf.CatalogConfig;
import com.treebo.dataplatform.conf.Identifiers;
import io.delta.tables.DeltaTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a Delta table beyond Spark after a job wrote it: its metastore entry readable by Athena
 * ({@link MetastoreEntries}) and, for a table {@code catalog.spectrum.tables} lists, a symlink
 * manifest Redshift Spectrum reads ({@code <table>/_symlink_format_manifest/}, one per partition).
 *
 * <p>A listed table carries {@code delta.compatibility.symlinkFormatManifest.enabled}: Delta itself
 * rewrites the manifest after every commit (the night's merges, maintenance's OPTIMIZE, an
 * engineer's fix by hand), for the partitions the commit touched. A manifest cannot describe
 * deletion vectors (Delta refuses to write one while the table holds any), so a listed table is
 * written without them: its merges rewrite the files they change, which measured cheaper per night
 * than keeping deletion vectors and purging them before each manifest (bench/README.md).
 *
 * <p>Every step is idempotent: a job that dies between its commit and its publication publishes at
 * its next run, and an unchanged table costs one metastore read and no Spark job.
 */
public final class Publication {
  private static final Logger LOG = LoggerFactory.getLogger(Publication.class);
  public static final String MANIFEST_PROPERTY = "delta.compatibility.symlinkFormatManifest.enabled";
  public static final String DELETION_VECTORS = "delta.enableDeletionVectors";
  public static final String MANIFEST_FOLDER = "_symlink_format_manifest";

  private Publication() {}

  /**
   * The table properties a new table is created with: for a table Spectrum reads, manifests on and
   * deletion vectors off; otherwise deletion vectors as {@code deletionVectors} says.
   */
  public static Map<String, String> creationProperties(CatalogConfig catalog, String qualified, boolean deletionVectors) {
    Map<String, String> p = new LinkedHashMap<>();
    if (catalog.spectrum(qualified)) {
      p.put(DELETION_VECTORS, "false");
      p.put(MANIFEST_PROPERTY, "true");
    } else if (deletionVectors) {
      p.put(DELETION_VECTORS, "true");
    }
    return p;
  }

  /** {@code 'k' = 'v', ...} of {@link #creationProperties}, for a TBLPROPERTIES clause (empty when none). */
  public static String tblProperties(Map<String, String> properties) {
    return properties.entrySet().stream().map(e -> Identifiers.literalSpark(e.getKey()) + " = " + Identifiers.literalSpark(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  /**
   * Brings {@code qualified}'s manifest and metastore entry in line with the table and the
   * configuration: a table newly listed gets its deletion vectors purged and its manifest, a table
   * no longer listed loses its manifest (Spectrum must not read a stale one), and the entry gets
   * the real columns.
   */
  public static void publish(SparkSession spark, CatalogConfig catalog, String qualified) {
    // Metadata only (the Delta log's metadata and the metastore): no Spark job over the table's state.
    DeltaTable table = DeltaTable.forName(spark, qualified);
    Map<String, String> properties = new java.util.HashMap<>();
    spark.sql("SHOW TBLPROPERTIES " + Identifiers.quoteSparkQualified(qualified)).collectAsList()
        .forEach(r -> properties.put(r.getString(0), r.getString(1)));
    boolean partitioned;
    try {
      partitioned = spark.catalog().listColumns(qualified).collectAsList().stream().anyMatch(c -> c.isPartition());
    } catch (org.apache.spark.sql.AnalysisException e) {
      throw new CatalogException("Cannot read the columns of " + qualified + ": " + e.getMessage(), e);
    }
    String location = location(spark, qualified);
    boolean manifests = "true".equals(properties.get(MANIFEST_PROPERTY));
    String quoted = Identifiers.quoteSparkQualified(qualified);
    if (catalog.spectrum(qualified) && !manifests) {
      LOG.info("{}: listed in catalog.spectrum.tables: turning deletion vectors off, purging them, and keeping a symlink manifest",
          qualified);
      spark.sql("ALTER TABLE " + quoted + " SET TBLPROPERTIES ('" + DELETION_VECTORS + "' = 'false')");
      spark.sql("REORG TABLE " + quoted + " APPLY (PURGE)");
      spark.sql("ALTER TABLE " + quoted + " SET TBLPROPERTIES ('" + MANIFEST_PROPERTY + "' = 'true')");
      table.generate("symlink_format_manifest");
    }
    if (catalog.spectrum(qualified) && !partitioned) {
      requireManifest(spark, table, qualified, location);
    } else if (!catalog.spectrum(qualified) && manifests) {
      LOG.info("{}: no longer listed in catalog.spectrum.tables: its symlink manifest is removed", qualified);
      spark.sql("ALTER TABLE " + quoted + " UNSET TBLPROPERTIES ('" + MANIFEST_PROPERTY + "')");
      removeManifests(spark, location);
    }
    MetastoreEntries.publish(spark, qualified, table.toDF().schema(), location);
  }

  /** Where the metastore says {@code qualified} is (for a Delta table: its path). */
  static String location(SparkSession spark, String qualified) {
    int dot = qualified.indexOf('.');
    return spark.sharedState().externalCatalog().getTable(qualified.substring(0, dot), qualified.substring(dot + 1))
        .location().toString();
  }

  /** The existing tables {@code catalog.spectrum.tables} names, in the order listed (a database's in name order). */
  public static java.util.List<String> listed(SparkSession spark, CatalogConfig catalog) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String entry : catalog.spectrumTables()) {
      String db = entry.substring(0, entry.indexOf('.'));
      if (!spark.catalog().databaseExists(db)) {
        continue;
      }
      if (entry.endsWith(".*")) {
        spark.sql("SHOW TABLES IN " + Identifiers.quoteSpark(db)).where("NOT isTemporary").collectAsList().stream()
            .map(r -> db + "." + r.getString(1)).sorted().forEach(out::add);
      } else if (spark.catalog().tableExists(entry)) {
        out.add(entry);
      }
    }
    return java.util.List.copyOf(out);
  }

  /**
   * An unpartitioned table's manifest is one file, which Delta writes only when the table has data
   * files: a table listed for Spectrum whose manifest is missing gets one generated (a commit whose
   * manifest failed to write), or, when it is empty, an empty one, so that Spectrum's external table
   * always has a manifest to read.
   */
  private static void requireManifest(SparkSession spark, DeltaTable table, String qualified, String location) {
    org.apache.hadoop.fs.Path manifest = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(location, MANIFEST_FOLDER), "manifest");
    try {
      org.apache.hadoop.fs.FileSystem fs = manifest.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(manifest)) {
        return;
      }
      table.generate("symlink_format_manifest");
      if (!fs.exists(manifest)) {
        fs.create(manifest, false).close();
      }
      LOG.info("{}: wrote its missing symlink manifest", qualified);
    } catch (java.io.IOException e) {
      throw new CatalogException("Cannot write the symlink manifest of " + qualified + " at " + manifest + ": " + e.getMessage(), e);
    }
  }

  private static void removeManifests(SparkSession spark, String location) {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(location, MANIFEST_FOLDER);
    try {
      dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(dir, true);
    } catch (java.io.IOException e) {
      throw new CatalogException("Cannot remove the symlink manifest at " + dir + ": " + e.getMessage()
          + ". Remove it by hand: Spectrum would read files the table no longer holds.", e);
    }
  }
}
