package com.treebo.dataplatform.jobs.extract;

/**
 * Named points where a test may kill the job the way a lost EMR node would: the process halts at
 * once, no finally blocks, no shutdown hooks. Armed only by the system property
 * {@code dataplatform.fault} or the environment variable {@code DATAPLATFORM_FAULT}, set to
 * {@code <point>:<table id>}; unset in production, where {@link #at} does nothing.
 */
final class Faults {
  /** After the slice's raw Parquet is written, before the lake table is touched. */
  static final String AFTER_RAW_WRITE = "after-raw-write";
  /** After the lake table's commit, before the checkpoint moves. */
  static final String AFTER_LAKE_COMMIT = "after-lake-commit";

  private Faults() {}

  static void at(String point, String tableId) {
    String armed = System.getProperty("dataplatform.fault", System.getenv("DATAPLATFORM_FAULT"));
    if (armed != null && armed.equals(point + ":" + tableId)) {
      System.err.println("dataplatform: fault injected at " + point + " of " + tableId + ": halting");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
