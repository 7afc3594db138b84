package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.ExtractMode;
import com.treebo.dataplatform.jobs.control.Checkpoint;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules that make incremental slices lose nothing, whatever long transactions, ties and clocks
 * do. Pure functions of the committed checkpoint and what the source's clock said; no I/O.
 *
 * <p><b>Timestamps</b> ({@code incremental}): a slice reads {@code column >= watermark - overlap}
 * (inclusive, so rows tied on the boundary value are read again, never skipped) and the next
 * watermark is {@link SourceClock#committedBefore()}: a transaction still open when the snapshot was
 * taken stamped its rows with its start time, which is at or after that bound, so the next slice
 * reads them once they commit. Re-read rows are deduplicated by key in the lake merge.
 *
 * <p><b>Ids</b> ({@code append}): ids are drawn from a sequence before commit, so a smaller id can
 * commit after a larger one is visible. A slice reads {@code id > watermark}; the highest id it
 * saw becomes final only at a later run that finds every transaction open at the earlier snapshot
 * ended (oldest open transaction started after the earlier snapshot's clock, or none open). Until
 * then that range is read again. The {@code reread-ids} ids below the final one are read again on
 * every run as well: ids allocated long before their insert (sequence caches, ORM id blocks, two-phase
 * commits) can commit behind the final id for reasons no open transaction shows.
 *
 * <p><b>Delete reconciliation</b> is due once three quarters of its interval have passed since the
 * last one: nightly runs whose start times jitter by minutes still reconcile every night with an
 * interval of one day, and a rerun the same night does not reconcile twice.
 */
public final class WatermarkRules {
  private WatermarkRules() {}

  /**
   * The slice's lower bound (a column value as text) or empty to read everything.
   *
   * @param rereadIds append mode: ids below the final one read again
   */
  public static Optional<String> lowerBound(ExtractMode mode, Checkpoint checkpoint, Duration overlap, long rereadIds) {
    return switch (mode) {
      case SNAPSHOT -> Optional.empty();
      case INCREMENTAL -> checkpoint.watermark().map(w -> Instant.parse(w).minus(overlap).toString());
      case APPEND -> checkpoint.watermark().map(w -> new BigDecimal(w).subtract(BigDecimal.valueOf(rereadIds)).toPlainString());
    };
  }

  /** Whether a delete reconciliation due every {@code every} is due at {@code now}, the last one at {@code last}. */
  public static boolean deletesDue(Duration every, Optional<Instant> last, Instant now) {
    Duration mostOf = every.minus(every.dividedBy(4));
    return last.map(l -> !l.plus(mostOf).isAfter(now)).orElse(true);
  }

  /**
   * The checkpoint to commit after the slice's rows are in the lake.
   *
   * @param maxSeen the highest mode-column value among the slice's rows (append mode), if any row
   */
  public static Checkpoint next(ExtractMode mode, Checkpoint previous, SourceClock clock, Optional<String> maxSeen) {
    return switch (mode) {
      case SNAPSHOT -> new Checkpoint(previous.tableId(), Optional.of(clock.afterSnapshot().toString()),
          Optional.empty(), Optional.empty(), previous.lastDeleteCheck());
      case INCREMENTAL -> {
        Instant bound = clock.committedBefore();
        Instant kept = previous.watermark().map(Instant::parse).filter(p -> p.isAfter(bound)).orElse(bound);
        yield new Checkpoint(previous.tableId(), Optional.of(kept.toString()), Optional.empty(), Optional.empty(),
            previous.lastDeleteCheck());
      }
      case APPEND -> {
        Optional<String> finalNow = previous.watermark();
        if (previous.pendingValue().isPresent() && previous.pendingClock().isPresent()) {
          Instant pendingClock = Instant.parse(previous.pendingClock().get());
          boolean earlierTransactionsEnded = clock.oldestOpenTransaction().map(o -> o.isAfter(pendingClock)).orElse(true);
          if (earlierTransactionsEnded) {
            finalNow = max(finalNow, previous.pendingValue());
          }
        }
        Optional<String> pending = max(maxSeen, finalNow);
        yield new Checkpoint(previous.tableId(), finalNow, pending, Optional.of(clock.afterSnapshot().toString()),
            previous.lastDeleteCheck());
      }
    };
  }

  private static Optional<String> max(Optional<String> a, Optional<String> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return new BigDecimal(a.get()).compareTo(new BigDecimal(b.get())) >= 0 ? a : b;
  }
}
