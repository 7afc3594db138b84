package com.treebo.dataplatform.conf;

import java.time.Duration;

/** Tuning of the extract job, the same for every table. */
public record ExtractConfig(long rowsPerPartition, int maxPartitions, Duration overlap) {
  public ExtractConfig {
    if (rowsPerPartition < 1 || maxPartitions < 1 || overlap.isNegative()) {
      throw new IllegalArgumentException("rows-per-partition and max-partitions must be positive, overlap not negative");
    }
  }
}
