package com.treebo.dataplatform.conf;

import java.time.Duration;

/**
 * Tuning and safety limits of the extract job, the same for every table.
 *
 * @param overlap incremental slices start this much before the committed watermark
 * @param massDeleteShare a run that would flag more than this share of a table's live rows
 *     deleted (and more than {@code massDeleteMinRows}) stops that table instead, until confirmed
 * @param massDeleteMinRows deletions up to this many rows are never held back
 * @param parallelTables how many tables one extract runs at once (each its own run, lock and
 *     Spark session; their fixed costs overlap)
 */
public record ExtractConfig(long rowsPerPartition, int maxPartitions, Duration overlap, double massDeleteShare,
    long massDeleteMinRows, int parallelTables) {
  public ExtractConfig {
    if (rowsPerPartition < 1 || maxPartitions < 1 || overlap.isNegative() || parallelTables < 1) {
      throw new IllegalArgumentException("rows-per-partition, max-partitions and parallel-tables must be positive, overlap not negative");
    }
    if (!(massDeleteShare > 0 && massDeleteShare <= 1) || massDeleteMinRows < 0) {
      throw new IllegalArgumentException("mass-delete.max-share must be in (0, 1] and mass-delete.min-rows not negative");
    }
  }
}
