package com.treebo.dataplatform.jobs.control;

import java.time.Instant;
import java.util.Optional;

/**
 * What the lake holds of one table, as committed after the lake write that holds those rows.
 *
 * @param watermark every source row whose mode column is below it (timestamps) or at most it (ids)
 *     is in the lake; empty before the first successful run
 * @param pendingValue append mode: the highest id seen by the last run, final once the transactions
 *     open at {@code pendingClock} have ended
 * @param pendingClock the source database's clock when the last run took its snapshot
 * @param lastDeleteCheck when hard deletes were last reconciled
 */
public record Checkpoint(
    String tableId,
    Optional<String> watermark,
    Optional<String> pendingValue,
    Optional<String> pendingClock,
    Optional<Instant> lastDeleteCheck) {

  /** This checkpoint with {@code lastDeleteCheck} replaced. */
  public Checkpoint withLastDeleteCheck(Optional<Instant> when) {
    return new Checkpoint(tableId, watermark, pendingValue, pendingClock, when);
  }

  public static Checkpoint initial(String tableId) {
    return new Checkpoint(tableId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
