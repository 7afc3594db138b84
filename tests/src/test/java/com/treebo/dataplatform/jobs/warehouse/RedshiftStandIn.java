package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Redshift flavour of the load, run against the local PostgreSQL through the real Redshift
 * driver, with only what PostgreSQL cannot run stood in for:
 * <ul>
 *   <li>{@code COPY <stage> FROM '<manifest>' IAM_ROLE ... FORMAT AS PARQUET MANIFEST}: carried out
 *       here from the manifest's own entries on the local S3 server (each entry's
 *       {@code content_length} checked against the object, each file read, its columns inserted into
 *       the stage by position, as COPY of Parquet does). Every COPY is carried out twice, as a
 *       driver-level retry would: the load must still insert each row once.</li>
 *   <li>Redshift's table attributes ({@code DISTSTYLE ...}): recorded for the exact-text checks and
 *       left off the statement PostgreSQL runs.</li>
 *   <li>Redshift Spectrum: its catalog views ({@code svv_external_columns},
 *       {@code svv_external_partitions}) are tables here, which the external schema, table and
 *       partition statements fill as Redshift would, after checking that each location they name
 *       holds a symlink manifest (an unpartitioned table's, or each partition's).</li>
 * </ul>
 * Everything else (temporary stages, DELETE ... USING, INSERT ... SELECT, the audit, the views, the
 * one transaction) reaches PostgreSQL as the load sent it.
 */
public final class RedshiftStandIn implements Warehouse.Statements {
  private static final Pattern COPY = Pattern.compile("COPY (\"[^\"]+\") FROM '([^']+)' IAM_ROLE '[^']+' FORMAT AS PARQUET MANIFEST");

  private static final Pattern EXTERNAL_TABLE = Pattern.compile("CREATE EXTERNAL TABLE \"([^\"]+)\"\\.\"([^\"]+)\" \\((.*?)\\)"
      + "(?: PARTITIONED BY \\((.*?)\\))? ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'"
      + " STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'"
      + " OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' LOCATION '([^']+)'");
  private static final Pattern ADD_PARTITIONS = Pattern.compile("ALTER TABLE \"([^\"]+)\"\\.\"([^\"]+)\" ADD IF NOT EXISTS (.*)");
  private static final Pattern PARTITION = Pattern.compile("PARTITION \\(([^)]*)\\) LOCATION '([^']+)'");
  private static final Pattern DROP_PARTITION = Pattern.compile("ALTER TABLE \"([^\"]+)\"\\.\"([^\"]+)\" DROP PARTITION \\(([^)]*)\\)");
  private static final Pattern DROP_TABLE = Pattern.compile("DROP TABLE IF EXISTS \"([^\"]+)\"\\.\"([^\"]+)\"");

  private final SparkSession spark;
  private final String spectrumSchema;
  private final List<String> statements = new ArrayList<>();

  private RedshiftStandIn(SparkSession spark, String spectrumSchema) {
    this.spark = spark;
    this.spectrumSchema = spectrumSchema;
  }

  /** Runs the load of {@code platform} (whose warehouse is a jdbc:redshift: URL) through the stand-in; returns it, with what it saw. */
  public static RedshiftStandIn load(Platform platform, StageReport[] report) {
    RedshiftStandIn standIn = new RedshiftStandIn(platform.spark(), platform.config().catalog().spectrumSchema());
    var jdbc = platform.config().warehouse().jdbc();
    try (Connection c = java.sql.DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password().reveal());
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS public.svv_external_columns (schemaname text, tablename text, columnname text,"
          + " external_type text, part_key int, columnnum int)");
      s.execute("CREATE TABLE IF NOT EXISTS public.svv_external_partitions (schemaname text, tablename text, \"values\" text,"
          + " location text)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the stand-in's Spectrum catalog: " + e.getMessage(), e);
    }
    report[0] = new LoadStage(standIn).run(platform);
    return standIn;
  }

  /** The external tables Spectrum would hold now, each with its columns ({@code name type}, partition columns last). */
  public static java.util.Map<String, List<String>> spectrumColumns(Connection c, String schema) throws SQLException {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT tablename, columnname, external_type FROM public.svv_external_columns"
        + " WHERE schemaname = ? ORDER BY tablename, part_key, columnnum")) {
      ps.setString(1, schema);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    return out;
  }

  /** Every statement the load sent, as it sent it. */
  public List<String> statements() {
    return statements;
  }

  @Override
  public void execute(Connection c, String sql) throws SQLException {
    statements.add(sql);
    if (spectrum(c, sql)) {
      return;
    }
    Matcher copy = COPY.matcher(sql);
    if (copy.matches()) {
      copy(c, copy.group(1), copy.group(2));
      copy(c, copy.group(1), copy.group(2));
      return;
    }
    int layout = sql.indexOf(" DISTSTYLE ");
    try (Statement s = c.createStatement()) {
      s.execute(layout >= 0 ? sql.substring(0, layout) : sql);
    }
  }

  private void copy(Connection c, String stage, String manifestUrl) throws SQLException {
    try {
      Path manifest = new Path(local(manifestUrl));
      FileSystem fs = manifest.getFileSystem(spark.sparkContext().hadoopConfiguration());
      String json;
      try (var in = fs.open(manifest)) {
        json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Matcher entry = Pattern.compile("\\{\"url\":\"([^\"]+)\",\"mandatory\":true,\"meta\":\\{\"content_length\":(\\d+)}}").matcher(json);
      while (entry.find()) {
        Path file = new Path(local(entry.group(1)));
        long length = fs.getFileStatus(file).getLen();
        if (length != Long.parseLong(entry.group(2))) {
          throw new SQLException("manifest entry " + entry.group(1) + " says " + entry.group(2) + " bytes, the object has " + length);
        }
        Dataset<Row> rows = spark.read().parquet(file.toString());
        int n = rows.columns().length;
        String marks = String.join(", ", java.util.Collections.nCopies(n, "?"));
        // By position, as COPY of Parquet matches columns: the stage's order must be the files' order.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + stage + " VALUES (" + marks + ")")) {
          for (Row r : rows.collectAsList()) {
            for (int i = 0; i < n; i++) {
              Object v = r.get(i);
              if (v == null) {
                ps.setNull(i + 1, java.sql.Types.OTHER);
              } else {
                ps.setObject(i + 1, v);
              }
            }
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
    } catch (IOException e) {
      throw new SQLException("cannot read the staged files of " + manifestUrl + ": " + e.getMessage(), e);
    }
  }

  /** Carries out a Spectrum statement on the stand-in catalog; false for any other statement. */
  private boolean spectrum(Connection c, String sql) throws SQLException {
    if (sql.startsWith("CREATE EXTERNAL SCHEMA IF NOT EXISTS \"" + spectrumSchema + "\" FROM DATA CATALOG DATABASE '")) {
      return true;
    }
    Matcher table = EXTERNAL_TABLE.matcher(sql);
    if (table.matches()) {
      String location = table.group(5);
      if (table.group(4) == null) {
        requireManifest(location);
      } else if (!exists(location)) {
        throw new SQLException("no manifest folder at " + location);
      }
      List<String> columns = new ArrayList<>(List.of(table.group(3).split(", (?=\")")));
      int data = columns.size();
      if (table.group(4) != null) {
        columns.addAll(List.of(table.group(4).split(", (?=\")")));
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.svv_external_columns VALUES (?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < columns.size(); i++) {
          String col = columns.get(i);
          int space = col.indexOf("\" ");
          ps.setString(1, table.group(1));
          ps.setString(2, table.group(2));
          ps.setString(3, col.substring(1, space));
          ps.setString(4, col.substring(space + 2).toLowerCase(java.util.Locale.ROOT));
          ps.setInt(5, i < data ? 0 : i - data + 1);
          ps.setInt(6, i + 1);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return true;
    }
    Matcher add = ADD_PARTITIONS.matcher(sql);
    if (add.matches()) {
      Matcher part = PARTITION.matcher(add.group(3));
      while (part.find()) {
        requireManifest(part.group(2));
        String values = "[" + java.util.Arrays.stream(part.group(1).split(", ")).map(kv -> "\"" + kv.substring(kv.indexOf("='") + 2,
            kv.length() - 1) + "\"").collect(java.util.stream.Collectors.joining(",")) + "]";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.svv_external_partitions SELECT ?, ?, ?, ? WHERE NOT EXISTS"
            + " (SELECT 1 FROM public.svv_external_partitions WHERE schemaname = ? AND tablename = ? AND \"values\" = ?)")) {
          String[] params = {add.group(1), add.group(2), values, part.group(2), add.group(1), add.group(2), values};
          for (int i = 0; i < params.length; i++) {
            ps.setString(i + 1, params[i]);
          }
          ps.executeUpdate();
        }
      }
      return true;
    }
    Matcher drop = DROP_PARTITION.matcher(sql);
    if (drop.matches()) {
      String v = drop.group(3);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM public.svv_external_partitions WHERE schemaname = ? AND tablename = ?"
          + " AND \"values\" = ?")) {
        ps.setString(1, drop.group(1));
        ps.setString(2, drop.group(2));
        ps.setString(3, "[\"" + v.substring(v.indexOf("='") + 2, v.length() - 1) + "\"]");
        ps.executeUpdate();
      }
      return true;
    }
    Matcher dropTable = DROP_TABLE.matcher(sql);
    if (dropTable.matches() && dropTable.group(1).equals(spectrumSchema)) {
      for (String t : List.of("svv_external_columns", "svv_external_partitions")) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM public." + t + " WHERE schemaname = ? AND tablename = ?")) {
          ps.setString(1, dropTable.group(1));
          ps.setString(2, dropTable.group(2));
          ps.executeUpdate();
        }
      }
      return true;
    }
    return false;
  }

  private void requireManifest(String location) throws SQLException {
    if (!exists(location + "manifest")) {
      throw new SQLException("no symlink manifest at " + location + "manifest");
    }
  }

  private boolean exists(String location) throws SQLException {
    try {
      Path p = new Path(local(location));
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new SQLException("cannot look at " + location + ": " + e.getMessage(), e);
    }
  }

  /** The local S3 server serves what Redshift would read from {@code s3://}. */
  private static String local(String url) {
    return url.startsWith("s3://") ? "s3a://" + url.substring("s3://".length()) : url;
  }
}
