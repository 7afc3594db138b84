package com.treebo.dataplatform.jobs.lake;

import com.treebo.dataplatform.conf.LakeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The raw zone: every slice as it was read (personal data already hashed, with the lineage columns
 * of {@link LakeTable#records}), as Parquet under Hive-compatible partitions
 * {@code raw/<schema>_<table>/ingest_date=YYYY-MM-DD/run_id=<run>/}. A run's folder is written
 * once; the folder of a run that died before its checkpoint is removed by the next run, which
 * reads the same rows again.
 */
public final class RawZone {
  private final LakeConfig lake;
  private final SparkSession spark;

  public RawZone(LakeConfig lake, SparkSession spark) {
    this.lake = lake;
    this.spark = spark;
  }

  /** The folder of one run's slice. */
  public String runPath(String lakeTable, LocalDate ingestDate, String runId) {
    return lake.rawPath(lakeTable) + "/ingest_date=" + ingestDate + "/run_id=" + runId;
  }

  /** Writes the slice; fails if the run's folder already exists (a run id is never reused). */
  public void land(Dataset<Row> records, String runPath) {
    records.write().mode(SaveMode.ErrorIfExists).parquet(runPath);
  }

  /**
   * Lands a slice that was already encoded as Parquet (a new lake table's data files) by copying
   * the files byte for byte into the run's folder, in parallel on the executors: no second decode
   * and encode of the rows, and nothing passes through the driver.
   */
  public void landCopies(String[] parquetFiles, String runPath) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    try {
      Path target = new Path(runPath);
      target.getFileSystem(hadoop).mkdirs(target);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create raw folder " + runPath + ": " + e.getMessage(), e);
    }
    if (parquetFiles.length == 0) {
      return;
    }
    SerializableConfiguration conf = new SerializableConfiguration(hadoop);
    JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(Arrays.asList(parquetFiles), Math.min(parquetFiles.length, 64))
        .foreach(file -> copy(file, runPath, conf.value()));
  }

  private static void copy(String file, String runPath, Configuration conf) throws IOException {
    Path from = new Path(file);
    Path to = new Path(runPath, from.getName());
    try (InputStream in = from.getFileSystem(conf).open(from);
         OutputStream out = to.getFileSystem(conf).create(to, false)) {
      IOUtils.copyBytes(in, out, 1 << 20);
    }
  }

  /** Removes the folders of runs that never committed; returns how many folders were removed. */
  public int removeRuns(String lakeTable, Iterable<String> runIds) {
    int removed = 0;
    try {
      for (String runId : runIds) {
        Path pattern = new Path(lake.rawPath(lakeTable) + "/ingest_date=*/run_id=" + runId);
        FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
        FileStatus[] found = fs.globStatus(pattern);
        if (found == null) {
          continue;
        }
        for (FileStatus f : found) {
          fs.delete(f.getPath(), true);
          removed++;
        }
      }
      return removed;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot remove the raw slices of abandoned runs of " + lakeTable + " under "
          + lake.rawPath(lakeTable) + ": " + e.getMessage(), e);
    }
  }
}
