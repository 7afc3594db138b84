package com.treebo.dataplatform.jobs.extract;

import java.time.Instant;
import java.util.Optional;

/**
 * What the source database said about time around the snapshot a slice is read in. All of it is
 * the database's own clock: the cluster's clock is never compared with source values.
 *
 * @param beforeSnapshot {@code clock_timestamp()} read just before the snapshot was taken
 * @param oldestOpenTransaction the earliest {@code xact_start} among other sessions of the database
 *     with a transaction open at that moment, if any
 * @param afterSnapshot {@code clock_timestamp()} read inside the snapshot, just after it was taken
 */
public record SourceClock(Instant beforeSnapshot, Optional<Instant> oldestOpenTransaction, Instant afterSnapshot) {

  /**
   * The safe upper bound for {@code updated_at}-style columns (set from {@code now()}, the start of
   * the writing transaction): every row not visible in the snapshot carries a value at or above it,
   * because its transaction was either open before the snapshot (it started at or after the oldest
   * open one) or started after the clock was read.
   */
  public Instant committedBefore() {
    return oldestOpenTransaction.filter(o -> o.isBefore(beforeSnapshot)).orElse(beforeSnapshot);
  }
}
