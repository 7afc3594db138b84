package com.treebo.dataplatform.jobs.stage;

import com.treebo.dataplatform.jobs.control.Checkpoint;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.Locks;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.control.RunRecord;
import com.treebo.dataplatform.jobs.control.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkContext;

/**
 * One run of one unit of a stage (a table's extract, the clickstream load, a model build, a
 * warehouse load), opened, recorded and closed the same way for every stage:
 * <ol>
 *   <li>the unit's lock is taken in the control database ({@link Locks}), waiting up to
 *       {@code control.lock-wait}; when another live run holds it, this run stops before writing
 *       anything, with a message naming that run;</li>
 *   <li>runs of the unit still recorded as running are marked abandoned (with the lock held, their
 *       process is gone) and returned, so the stage can remove their partial output;</li>
 *   <li>the run is recorded as running, and Spark's job group names the stage and unit, so the
 *       EMR/Spark UI shows what is running;</li>
 *   <li>the stage records success ({@link #succeed}: checkpoint, counts and metrics in one
 *       transaction, after its writes committed) or failure; closing a run that recorded neither
 *       records it failed; the lock is released and the job group cleared.</li>
 * </ol>
 */
public final class StageRun implements AutoCloseable {
  private final Platform platform;
  private final String stage;
  private final String unit;
  private final String runId;
  private final Instant startedAt;
  private final Locks.Lock lock;
  private final List<String> abandoned;
  private boolean finished;

  private StageRun(Platform platform, String stage, String unit, String runId, Instant startedAt, Locks.Lock lock,
      List<String> abandoned) {
    this.platform = platform;
    this.stage = stage;
    this.unit = unit;
    this.runId = runId;
    this.startedAt = startedAt;
    this.lock = lock;
    this.abandoned = List.copyOf(abandoned);
  }

  /**
   * Opens a run of {@code unit} (its id in the run log, e.g. {@code booking.crs.booking}) for
   * {@code stage}; throws a {@link StageException} naming the other run when the unit is busy.
   */
  public static StageRun open(Platform platform, String stage, String unit, String runId) {
    ControlStore control = platform.control();
    Locks.Lock lock = control.locks().tryAcquire(unit, platform.config().control().lockWait())
        .orElseThrow(() -> busy(control, stage, unit, runId));
    try {
      List<String> abandoned = control.runs().abandonStale(unit, runId);
      Instant startedAt = control.runs().start(runId, stage, unit, platform.clock().instant(), Optional.empty(), Optional.empty());
      StageRun run = new StageRun(platform, stage, unit, runId, startedAt, lock, abandoned);
      run.describe("");
      return run;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static StageException busy(ControlStore control, String stage, String unit, String runId) {
    Optional<RunRecord> holder = control.runs().running(unit);
    return new StageException("Cannot run " + stage + " of " + unit + ": another run holds it"
        + holder.map(r -> " (run " + r.runId() + ", started " + r.startedAt() + r.runner().map(p -> " by " + p).orElse("") + ")")
            .orElse("")
        + ". Wait for it to finish, or stop it, and run again (control.lock-wait sets how long a run waits)."
        + " This run (" + runId + ") wrote nothing.");
  }

  public String runId() {
    return runId;
  }

  public String unit() {
    return unit;
  }

  /** When the run started, as the run log keeps it (to the microsecond); what the run stamps its rows with. */
  public Instant startedAt() {
    return startedAt;
  }

  /** Runs of this unit found running from a process that died: their partial output can go. */
  public List<String> abandoned() {
    return abandoned;
  }

  /** Names the Spark jobs that follow: group {@code "<stage> <unit>"}, description with {@code what}. */
  public void describe(String what) {
    SparkContext sc = platform.spark().sparkContext();
    sc.setJobGroup(stage + " " + unit, stage + " " + unit + (what.isEmpty() ? "" : ": " + what) + " (run " + runId + ")", false);
  }

  /** Records the bounds the run reads between, once known. */
  public void bounds(Optional<String> lower, Optional<String> upper) {
    platform.control().runs().setBounds(runId, unit, lower, upper);
  }

  /** Records success: see {@link com.treebo.dataplatform.jobs.control.RunLog#succeed}. */
  public void succeed(RunCounts counts, Optional<Checkpoint> checkpoint, Map<String, Long> metrics,
      Transaction.Work<?> alsoInTransaction) {
    platform.control().runs().succeed(runId, unit, counts, checkpoint, metrics, alsoInTransaction);
    finished = true;
  }

  public void succeed(RunCounts counts, Optional<Checkpoint> checkpoint) {
    succeed(counts, checkpoint, Map.of(), c -> null);
  }

  /** Records failure with {@code error}; the checkpoint does not move. */
  public void fail(RunCounts counts, String error) {
    platform.control().runs().fail(runId, unit, counts, error);
    finished = true;
  }

  @Override
  public void close() {
    try {
      if (!finished) {
        fail(RunCounts.of(0, 0), "the run ended without recording an outcome");
      }
    } finally {
      platform.spark().sparkContext().clearJobGroup();
      lock.close();
    }
  }

  /** The message of an exception, for the run log and the report: never null. */
  public static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
