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
 * </ul>
 * Everything else (temporary stages, DELETE ... USING, INSERT ... SELECT, the audit, the views, the
 * one transaction) reaches PostgreSQL as the load sent it.
 */
public final class RedshiftStandIn implements Warehouse.Statements {
  private static final Pattern COPY = Pattern.compile("COPY (\"[^\"]+\") FROM '([^']+)' IAM_ROLE '[^']+' FORMAT AS PARQUET MANIFEST");

  private final SparkSession spark;
  private final List<String> statements = new ArrayList<>();

  private RedshiftStandIn(SparkSession spark) {
    this.spark = spark;
  }

  /** Runs the load of {@code platform} (whose warehouse is a jdbc:redshift: URL) through the stand-in; returns it, with what it saw. */
  public static RedshiftStandIn load(Platform platform, StageReport[] report) {
    RedshiftStandIn standIn = new RedshiftStandIn(platform.spark());
    report[0] = new LoadStage(standIn).run(platform);
    return standIn;
  }

  /** Every statement the load sent, as it sent it. */
  public List<String> statements() {
    return statements;
  }

  @Override
  public void execute(Connection c, String sql) throws SQLException {
    statements.add(sql);
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

  /** The local S3 server serves what Redshift would read from {@code s3://}. */
  private static String local(String url) {
    return url.startsWith("s3://") ? "s3a://" + url.substring("s3://".length()) : url;
  }
}
