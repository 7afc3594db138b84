package com.treebo.dataplatform.jobs.extract;

/**
 * How one extract run treats deletions, beyond each table's configuration.
 *
 * @param reconcileDeletes reconcile hard deletes now for the tables with detect-deletes-every,
 *     whatever their interval
 * @param confirmDeletes let deletions through that the mass-delete guard would stop (the operator
 *     checked that the source really lost those rows)
 */
public record ExtractOptions(boolean reconcileDeletes, boolean confirmDeletes) {
  /** What a scheduled run does: reconcile when due, guard mass deletions. */
  public static final ExtractOptions DEFAULT = new ExtractOptions(false, false);
}
