package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.jobs.runtime.SessionSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Moving a change set next to the warehouse, in parallel from the executors and never through the
 * driver: PostgreSQL gets it through {@code COPY ... FROM STDIN} (pgjdbc's CopyManager), one stream
 * per Spark partition; Redshift gets Parquet files under the S3 staging prefix and a manifest listing
 * every file with its {@code meta.content_length} (COPY of Parquet from a manifest requires it).
 */
final class Staging {
  private Staging() {}

  /** PostgreSQL: streams {@code rows} (the stage's columns, in order) into the stage; returns the rows sent. */
  static void copyIn(Dataset<Row> rows, JdbcConfig jdbc, String copySql) {
    rows.foreachPartition(new CopyPartition(jdbc.url(), jdbc.user(), jdbc.password().reveal(), copySql));
  }

  /** Redshift: writes {@code rows} as Parquet under {@code prefix}; returns the manifest's URL (s3://). */
  static String writeParquet(SparkSession spark, Dataset<Row> rows, String prefix) {
    // Timestamps as Parquet TIMESTAMP (microseconds, UTC), which COPY reads into TIMESTAMPTZ; not INT96.
    SessionSettings.with(spark, Map.of("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS"), () -> {
      rows.write().mode(SaveMode.Overwrite).parquet(prefix);
      return null;
    });
    try {
      Path dir = new Path(prefix);
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      List<String> entries = new ArrayList<>();
      for (FileStatus f : fs.listStatus(dir)) {
        if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
          entries.add("{\"url\":\"" + s3Url(f.getPath().toString()) + "\",\"mandatory\":true,\"meta\":{\"content_length\":"
              + f.getLen() + "}}");
        }
      }
      Path manifest = new Path(prefix + ".manifest");
      try (var out = fs.create(manifest, true)) {
        out.write(("{\"entries\":[" + String.join(",", entries) + "]}").getBytes(StandardCharsets.UTF_8));
      }
      return s3Url(manifest.toString());
    } catch (IOException e) {
      throw new WarehouseException("Cannot write the staging manifest under " + prefix + " (warehouse.staging): " + e.getMessage(), e);
    }
  }

  /** Removes a staging prefix and its manifest (after the load committed). */
  static void remove(SparkSession spark, String prefix) {
    try {
      Path dir = new Path(prefix);
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(dir, true);
      fs.delete(new Path(prefix + ".manifest"), false);
    } catch (IOException e) {
      throw new WarehouseException("Cannot remove the staged files under " + prefix + ": " + e.getMessage(), e);
    }
  }

  /** Redshift reads {@code s3://} URLs; Spark may have written through {@code s3a://}. */
  static String s3Url(String url) {
    return url.startsWith("s3a://") ? "s3://" + url.substring("s3a://".length()) : url;
  }

  /** Runs on executors: one COPY stream per partition, CSV (NULL unquoted and empty, empty text quoted). */
  private static final class CopyPartition implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final String url;
    private final String user;
    private final String password;
    private final String sql;

    CopyPartition(String url, String user, String password, String sql) {
      this.url = url;
      this.user = user;
      this.password = password;
      this.sql = sql;
    }

    @Override
    public void call(Iterator<Row> rows) throws SQLException, IOException {
      if (!rows.hasNext()) {
        return;
      }
      try (Connection c = DriverManager.getConnection(url, user, password)) {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
          ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
          StringBuilder line = new StringBuilder(256);
          while (rows.hasNext()) {
            csv(rows.next(), line);
            buffer.write(line.toString().getBytes(StandardCharsets.UTF_8));
            line.setLength(0);
            if (buffer.size() >= 1 << 20) {
              copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
              buffer.reset();
            }
          }
          copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
          copy.endCopy();
        } finally {
          if (copy.isActive()) {
            copy.cancelCopy();
          }
        }
      }
    }

    private static void csv(Row row, StringBuilder line) {
      for (int i = 0; i < row.length(); i++) {
        if (i > 0) {
          line.append(',');
        }
        if (row.isNullAt(i)) {
          continue;
        }
        Object v = row.get(i);
        if (v instanceof String s) {
          line.append('"').append(s.replace("\"", "\"\"")).append('"');
        } else if (v instanceof java.sql.Timestamp t) {
          line.append(t.toInstant());
        } else if (v instanceof java.time.Instant t) {
          line.append(t);
        } else if (v instanceof BigDecimal d) {
          line.append(d.toPlainString());
        } else {
          line.append(v);
        }
      }
      line.append('\n');
    }
  }
}
