package com.treebo.dataplatform.jobs.lake;

import com.treebo.dataplatform.conf.LakeConfig;
import java.io.IOException;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The raw zone: every slice as it was read (personal data already hashed), as Parquet under
 * Hive-compatible partitions {@code raw/<schema>_<table>/ingest_date=YYYY-MM-DD/run_id=<run>/}.
 * A run's folder is written once; the folder of a run that died before its checkpoint is removed
 * by the next run, which reads the same rows again.
 */
public final class RawZone {
  private final LakeConfig lake;
  private final Configuration hadoop;

  public RawZone(LakeConfig lake, Configuration hadoop) {
    this.lake = lake;
    this.hadoop = hadoop;
  }

  /** The folder of one run's slice. */
  public String runPath(String lakeTable, LocalDate ingestDate, String runId) {
    return lake.rawPath(lakeTable) + "/ingest_date=" + ingestDate + "/run_id=" + runId;
  }

  /** Writes the slice; fails if the run's folder already exists (a run id is never reused). */
  public void land(Dataset<Row> slice, String runPath) {
    slice.write().mode(SaveMode.ErrorIfExists).parquet(runPath);
  }

  /** Removes the folders of runs that never committed; returns how many folders were removed. */
  public int removeRuns(String lakeTable, Iterable<String> runIds) {
    int removed = 0;
    try {
      for (String runId : runIds) {
        Path pattern = new Path(lake.rawPath(lakeTable) + "/ingest_date=*/run_id=" + runId);
        FileSystem fs = pattern.getFileSystem(hadoop);
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
