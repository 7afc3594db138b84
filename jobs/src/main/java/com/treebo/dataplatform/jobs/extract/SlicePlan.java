package com.treebo.dataplatform.jobs.extract;

import java.util.List;
import java.util.Optional;

/**
 * What one run reads of one table, decided on the driver inside the snapshot.
 *
 * @param lowerBound the mode column's lower bound (inclusive for timestamps, exclusive for ids), if any
 * @param predicate the slice's SQL predicate ({@code TRUE} for whole reads)
 * @param estimatedRows rows the slice is expected to hold (exact count or the planner's statistics)
 * @param ranges one per Spark partition, balanced on the first key column's quantiles
 */
record SlicePlan(Optional<String> lowerBound, String predicate, long estimatedRows, List<RangeSpec> ranges) {
  SlicePlan {
    ranges = List.copyOf(ranges);
  }
}
