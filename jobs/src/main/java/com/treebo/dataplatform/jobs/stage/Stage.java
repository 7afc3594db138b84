package com.treebo.dataplatform.jobs.stage;

/**
 * A stage of the night (extract, clickstream, model, load): one job behind one small interface,
 * configured by its own options when constructed, run against a {@link Platform}. Every stage
 * records each of its units (a table, the model, the warehouse) as a run in the control store
 * through {@link StageRun}, so the same locks, run ids, job groups and run log serve all of them.
 */
public interface Stage {
  /** The stage's name: its job name in the run log, the prefix of its Spark job groups, its command. */
  String name();

  /** Runs the stage to its end and says how it went; a unit's failure is in the report, not thrown. */
  StageReport run(Platform platform);
}
