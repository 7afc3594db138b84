package com.treebo.dataplatform.jobs.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.treebo.dataplatform.jobs.control.Publications;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One lake table as a build reads it: pinned to the Delta version current when the build started,
 * and split at the high-water marks of the previous published build and this one. A mark is the
 * start of the newest succeeded run of the stage that writes the table (runs of one table never
 * overlap, and every row a run writes or flags carries its start in {@code _seen_at} or
 * {@code _deleted_at}), so "changed since the last build" is a filter on those columns, and a row
 * written by a run still in progress waits for the next build.
 *
 * @param name the lake table's name ({@code crs_booking})
 * @param qualified its metastore name
 * @param location its Delta folder
 * @param rawPath its raw-zone folder (source tables only)
 * @param version the pinned version; empty when the table does not exist yet
 * @param previous the previous build's mark; empty for a first build or a rebuild (everything is new)
 * @param highWater this build's mark; empty when no run of it ever succeeded
 * @param runs the succeeded runs after {@code previous} up to {@code highWater}: their raw slices
 */
record ModelInput(String name, String qualified, String location, Optional<String> rawPath, Optional<Long> version,
    Optional<Instant> previous, Optional<Instant> highWater, List<Run> runs, Pinned pinned) {

  /** The pinned table, read once per build (a Delta snapshot at a past version is rebuilt from its log on every read). */
  static final class Pinned {
    private Dataset<Row> rows;
  }

  /** A succeeded run of the table's stage: its id and start. */
  record Run(String runId, Instant startedAt) {}

  boolean exists() {
    return version.isPresent();
  }

  /** Whether anything was written to the table since the previous build. */
  boolean changedSincePrevious() {
    return highWater.isPresent() && (previous.isEmpty() || highWater.get().isAfter(previous.get()));
  }

  /** The table as it was when the build started (every row, deleted ones flagged). */
  Dataset<Row> current(SparkSession spark) {
    synchronized (pinned) {
      if (pinned.rows == null) {
        pinned.rows = spark.read().format("delta").option("versionAsOf", version.orElseThrow()).load(location);
      }
      return pinned.rows;
    }
  }

  /** Rows written or flagged deleted by the runs since the previous build (all rows when there is none). */
  Dataset<Row> changed(SparkSession spark) {
    Dataset<Row> rows = current(spark);
    if (highWater.isEmpty()) {
      return rows.where(lit(false));
    }
    Column upTo = lit(Timestamp.from(highWater.get()));
    Column seen = col("_seen_at").leq(upTo);
    if (previous.isPresent()) {
      seen = seen.and(col("_seen_at").gt(lit(Timestamp.from(previous.get()))));
    }
    if (!java.util.Arrays.asList(rows.columns()).contains("_deleted_at")) {
      return rows.where(seen); // the clickstream's tables: rows are rewritten, never flagged deleted
    }
    Column deleted = col("_deleted_at").isNotNull().and(col("_deleted_at").leq(upTo));
    if (previous.isPresent()) {
      deleted = deleted.and(col("_deleted_at").gt(lit(Timestamp.from(previous.get()))));
    }
    return rows.where(seen.or(deleted));
  }

  /** The publication record of this input. */
  Publications.Input record() {
    return new Publications.Input(name, highWater, version);
  }

  /**
   * The raw-zone slices of {@link #runs} (every version of every row they read), {@code columns}
   * only; columns a slice lacks (added at the source later) read as null. Empty when there are none.
   */
  Optional<Dataset<Row>> raw(SparkSession spark, List<String> columns) {
    if (rawPath.isEmpty() || runs.isEmpty()) {
      return Optional.empty();
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<String> paths = new ArrayList<>();
    try {
      for (Run r : runs) {
        Path direct = new Path(rawPath.get() + "/ingest_date=" + LocalDate.ofInstant(r.startedAt(), ZoneOffset.UTC) + "/run_id=" + r.runId());
        FileSystem fs = direct.getFileSystem(hadoop);
        if (fs.exists(direct)) {
          paths.add(direct.toString());
        } else {
          // Runs recorded before the raw folder's date was the run's recorded start: look it up.
          FileStatus[] found = fs.globStatus(new Path(rawPath.get() + "/ingest_date=*/run_id=" + r.runId()));
          if (found != null) {
            for (FileStatus f : found) {
              paths.add(f.getPath().toString());
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot list the raw zone of " + name + " under " + rawPath.get() + ": " + e.getMessage(), e);
    }
    if (paths.isEmpty()) {
      return Optional.empty();
    }
    Dataset<Row> slices = spark.read().option("mergeSchema", "true").parquet(paths.toArray(String[]::new));
    List<Column> select = new ArrayList<>();
    for (String c : columns) {
      select.add(java.util.Arrays.asList(slices.columns()).contains(c) ? col(c) : lit(null).as(c));
    }
    return Optional.of(slices.select(select.toArray(Column[]::new)));
  }
}
