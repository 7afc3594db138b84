package com.treebo.dataplatform.jobs.stage;

/**
 * Named points where a test may kill the job the way a lost EMR node would: the process halts at
 * once, no finally blocks, no shutdown hooks. Armed only by the system property
 * {@code dataplatform.fault} or the environment variable {@code DATAPLATFORM_FAULT}, set to
 * {@code <point>:<table id>}; unset in production, where {@link #at} does nothing.
 */
public final class Faults {
  /** Extract: after the slice's raw Parquet is written, before the lake table is touched. */
  public static final String AFTER_RAW_WRITE = "after-raw-write";
  /** Extract: after the lake table's commit, before the checkpoint moves. */
  public static final String AFTER_LAKE_COMMIT = "after-lake-commit";
  /** Load: after the stages are copied and merged, inside the warehouse transaction, before its commit. */
  public static final String BEFORE_LOAD_COMMIT = "before-load-commit";

  private Faults() {}

  /** Halts the process when {@code point} is armed for {@code unit}. */
  public static void at(String point, String unit) {
    String armed = System.getProperty("dataplatform.fault", System.getenv("DATAPLATFORM_FAULT"));
    if (armed != null && armed.equals(point + ":" + unit)) {
      System.err.println("dataplatform: fault injected at " + point + " of " + unit + ": halting");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
