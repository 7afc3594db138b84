package com.treebo.dataplatform.jobs.control;

/** Row counts of one run of one table. */
public record RunCounts(long rowsRead, long rowsMerged, long rowsDeleted, long rowsQuarantined) {
  public static RunCounts of(long rowsRead, long rowsMerged) {
    return new RunCounts(rowsRead, rowsMerged, 0, 0);
  }
}
