package com.treebo.dataplatform.jobs.lake;

/** What one write did to a lake table. */
public record MergeCounts(long inserted, long updated, long flaggedDeleted) {
  public long merged() {
    return inserted + updated;
  }
}
