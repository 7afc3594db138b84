package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.conf.CatalogConfig;
import com.treebo.dataplatform.jobs.catalog.Publication;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps Redshift Spectrum's external tables in step with the lake tables {@code catalog.spectrum.tables}
 * lists: run by the load when the warehouse is Redshift, after each night's model. It reads what
 * Redshift holds ({@code svv_external_columns}, {@code svv_external_partitions}), what the lake holds
 * (each table's columns, partition columns and manifest folders) and runs {@link SpectrumSql#plan}.
 * The manifests themselves are kept current by Delta at every commit; this adds only tables, new
 * columns and partitions. Cost: two catalog queries, one listing of each partitioned table's
 * manifest folder, and a statement per change.
 */
final class SpectrumTables {
  private SpectrumTables() {}

  /** The tables as Spectrum should read them now. */
  static List<SpectrumSql.Table> tables(SparkSession spark, CatalogConfig catalog) {
    List<SpectrumSql.Table> out = new ArrayList<>();
    for (String q : Publication.listed(spark, catalog)) {
      out.add(SpectrumSql.table(spark, q));
    }
    return out;
  }

  /** The partition folders ({@code column=value}, nested for several columns) under a table's manifest. */
  static List<String> folders(SparkSession spark, SpectrumSql.Table t) {
    if (t.partitionColumns().isEmpty()) {
      return List.of();
    }
    Path root = new Path(t.location(), Publication.MANIFEST_FOLDER);
    TreeSet<String> out = new TreeSet<>();
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return List.of();
      }
      String prefix = fs.makeQualified(root).toString() + "/";
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        String file = it.next().getPath().toString();
        if (file.startsWith(prefix) && file.endsWith("/manifest")) {
          out.add(file.substring(prefix.length(), file.length() - "/manifest".length()));
        }
      }
    } catch (IOException e) {
      throw new WarehouseException("Cannot list the symlink manifests of " + t.qualified() + " at " + root + ": " + e.getMessage(), e);
    }
    return List.copyOf(out);
  }

  /** Brings the external schema in line; returns the statements run. */
  static List<String> refresh(SparkSession spark, Warehouse warehouse, CatalogConfig catalog, String iamRole) {
    List<SpectrumSql.Table> tables = tables(spark, catalog);
    if (tables.isEmpty()) {
      return List.of();
    }
    String schema = catalog.spectrumSchema();
    Map<String, List<String>> existing = new LinkedHashMap<>();
    for (String[] r : warehouse.query("read Spectrum's external columns", "SELECT tablename, columnname, external_type"
        + " FROM svv_external_columns WHERE schemaname = ? ORDER BY tablename, part_key, columnnum", schema)) {
      existing.computeIfAbsent(r[0], k -> new ArrayList<>()).add(r[1] + " " + r[2]);
    }
    Map<String, SpectrumSql.Table> byName = new HashMap<>();
    tables.forEach(t -> byName.put(t.externalName(), t));
    Map<String, Set<String>> partitions = new HashMap<>();
    for (String[] r : warehouse.query("read Spectrum's external partitions", "SELECT tablename, \"values\""
        + " FROM svv_external_partitions WHERE schemaname = ?", schema)) {
      SpectrumSql.Table t = byName.get(r[0]);
      if (t != null) {
        partitions.computeIfAbsent(r[0], k -> new TreeSet<>()).add(SpectrumSql.folder(t, r[1]));
      }
    }
    Map<String, List<String>> folders = new HashMap<>();
    tables.forEach(t -> folders.put(t.qualified(), folders(spark, t)));
    List<String> statements = SpectrumSql.plan(schema, catalog.spectrumDatabase(), iamRole, tables, existing, partitions, folders);
    for (String s : statements) {
      warehouse.execute("keep Spectrum's external tables current", s);
    }
    return statements;
  }
}
