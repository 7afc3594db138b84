package com.treebo.dataplatform.jobs.clickstream;

import static org.apache.spark.sql.functions.lit;

import com.treebo.dataplatform.conf.ClickstreamConfig;
import com.treebo.dataplatform.jobs.control.Checkpoint;
import com.treebo.dataplatform.jobs.control.LandedObjects;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.runtime.SessionSettings;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.RunIds;
import com.treebo.dataplatform.jobs.stage.StageRun;
import com.treebo.dataplatform.transforms.clickstream.Events;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code bin/dataplatform clickstream}: landed Segment events to lake.web_events (one row per
 * distinct messageId), lake.web_events_quarantine, lake.web_identities and lake.web_sessions. The
 * web-session fact and the daily funnel are the model's ({@code bin/dataplatform model}), built from
 * lake.web_sessions. Incremental by landed object: every write is a merge, so a rerun changes
 * nothing.
 *
 * <p>What is read: every landed object no run has read, whatever its age. The run's checkpoint is
 * the last landed hour it listed; the next run lists from there minus
 * {@code clickstream.late-arrival-window} (objects Firehose delivers late into hours already read)
 * up to the current hour, and a first run lists the whole landing zone. The objects not in the
 * ledger ({@link LandedObjects}) are read in batches of about {@code clickstream.batch-size}, oldest
 * hours first; each batch is merged, sessionized and recorded in the ledger before the next, so a
 * run catching up on a long outage shows progress and a crash loses at most one batch's work.
 *
 * <p>Per batch: read the objects in parallel, twice: pass 1 keeps narrow keys (counts, quarantine,
 * later copies of each event, the sessions' inputs), pass 2 streams the events without those copies
 * into the merge; then rebuild the sessions of the batch's devices ({@link SessionRebuild}).
 */
public final class ClickstreamJob {
  /** The stage's name. */
  public static final String NAME = "clickstream";
  /** The run's unit in the control store (dp_run, dp_checkpoint). */
  public static final String TABLE_ID = "clickstream.web_events";

  /** The columns pass 1 keeps of each record. */
  private static final List<String> PASS_ONE = List.of("object", "position", "landed_hour", "raw", "quarantine_reason",
      "message_id", "received_at", "event_date", "event_time", "anonymous_id", "user_id");
  /** Later copies (object path and position, about 100 bytes each) broadcast at the most; more are shuffle-joined. */
  static final long MAX_BROADCAST_COPIES = 1_000_000;
  private static final String REPARTITION_BEFORE_WRITE = "spark.databricks.delta.merge.repartitionBeforeWrite.enabled";

  private ClickstreamJob() {}

  /** Extra landed days to list (an operator re-reading old days); the normal run needs none. */
  public record Request(Optional<LocalDate> from, Optional<LocalDate> to) {
    public static Request normal() {
      return new Request(Optional.empty(), Optional.empty());
    }
  }

  public static ClickstreamSummary run(Platform platform, Request request) {
    return run(platform, request, WebTables.of(platform.config()));
  }

  /** Runs with the tables named by {@code tables}. */
  public static ClickstreamSummary run(Platform platform, Request request, WebTables tables) {
    ClickstreamConfig config = platform.config().clickstream();
    Instant now = platform.clock().instant();
    try (StageRun run = StageRun.open(platform, NAME, TABLE_ID, RunIds.next(NAME, now))) {
      try {
        return load(platform, run, request, tables, config, now);
      } catch (RuntimeException e) {
        run.fail(RunCounts.of(0, 0), StageRun.message(e));
        throw e;
      }
    }
  }

  private static ClickstreamSummary load(Platform platform, StageRun run, Request request, WebTables tables,
      ClickstreamConfig config, Instant now) {
    SparkSession spark = platform.spark();
    LandedObjects ledger = platform.control().landedObjects();
    LocalDateTime last = LocalDateTime.ofInstant(now, ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    Optional<LocalDateTime> mark = platform.control().checkpoints().get(TABLE_ID).flatMap(Checkpoint::watermark)
        .map(h -> LocalDateTime.parse(h + ":00"));
    LandingZone landing = new LandingZone(config.landing(), spark.sparkContext().hadoopConfiguration());
    run.describe("list " + config.landing());
    TreeMap<String, LandedObject> listed = new TreeMap<>();
    if (mark.isPresent()) {
      LocalDateTime first = mark.get().minus(config.lateArrivalWindow()).truncatedTo(ChronoUnit.HOURS);
      landing.list(first.isAfter(last) ? last : first, last).forEach(o -> listed.put(o.key(), o));
    } else {
      System.out.println("clickstream: no run has read " + config.landing() + " yet: listing all of it");
      landing.listAll(last).forEach(o -> listed.put(o.key(), o));
    }
    if (request.from().isPresent() || request.to().isPresent()) {
      LocalDate from = request.from().or(request::to).orElseThrow();
      LocalDate to = request.to().or(request::from).orElseThrow();
      landing.list(from.atStartOfDay(), to.atTime(23, 0)).forEach(o -> listed.put(o.key(), o));
    }
    String firstHour = listed.values().stream().map(LandedObject::landedHour).min(String::compareTo).orElse(hour(last));
    String lastHour = hour(last);
    Set<String> done = ledger.recorded(firstHour, lastHour);
    List<LandedObject> todo = listed.values().stream().filter(o -> !done.contains(o.key()))
        .sorted(java.util.Comparator.comparing(LandedObject::landedHour).thenComparing(LandedObject::key)).toList();
    run.bounds(Optional.of(firstHour), Optional.of(lastHour));

    List<List<LandedObject>> batches = batches(todo, config.batchBytes());
    ClickstreamSummary summary = ClickstreamSummary.empty(run.runId(), firstHour + ".." + lastHour, listed.size());
    for (int i = 0; i < batches.size(); i++) {
      List<LandedObject> batch = batches.get(i);
      if (batches.size() > 1) {
        System.out.printf("clickstream: batch %d/%d: %d objects, %.1f MB, landed %s..%s%n", i + 1, batches.size(), batch.size(),
            batch.stream().mapToLong(LandedObject::size).sum() / 1e6, batch.get(0).landedHour(), batch.get(batch.size() - 1).landedHour());
      }
      summary = summary.plus(loadBatch(platform, run, tables, batch));
      // The batch's events, sessions and reports are committed: its objects are read for good.
      ledger.record(run.runId(), batch.stream().map(o -> new LandedObjects.Entry(o.key(), o.landedHour(), o.size())).toList());
    }
    run.describe("publish the clickstream tables in the catalog");
    tables.publish(spark);
    run.succeed(new RunCounts(summary.records(), summary.eventsInserted(), summary.sessionsReplaced(), summary.quarantined()),
        Optional.of(new Checkpoint(TABLE_ID, Optional.of(lastHour), Optional.empty(), Optional.empty(), Optional.empty())),
        summary.metrics(), c -> null);
    return summary;
  }

  /** {@code objects} (oldest hours first) cut into batches of about {@code maxBytes} each, at least one object each. */
  static List<List<LandedObject>> batches(List<LandedObject> objects, long maxBytes) {
    List<List<LandedObject>> batches = new ArrayList<>();
    List<LandedObject> current = new ArrayList<>();
    long bytes = 0;
    for (LandedObject o : objects) {
      if (!current.isEmpty() && bytes + o.size() > maxBytes) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(o);
      bytes += o.size();
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  private static ClickstreamSummary loadBatch(Platform platform, StageRun run, WebTables tables, List<LandedObject> objects) {
    SparkSession spark = platform.spark();
    byte[] key = platform.piiKey().reveal().getBytes(StandardCharsets.UTF_8);
    String countryCode = platform.config().pii().defaultCountryCode();
    int slots = Math.max(1, spark.sparkContext().defaultParallelism() * 2);

    Map<String, Double> steps = new LinkedHashMap<>();
    long t = System.nanoTime();
    run.describe("read and parse " + objects.size() + " landed objects (pass 1: keys and quarantine)");
    // Pass 1 keeps only what the counts, the quarantine, the duplicate search and the sessions need
    // (a few narrow columns; the raw text of quarantined records only), cached in memory. The wide
    // event rows are never shuffled nor cached: pass 2 parses the objects again, drops the later
    // copies of each event and streams the rest straight into the merge. A second parse costs less
    // than shuffling, sorting and caching every event's JSON.
    Dataset<Row> keys = Events.parse(LandingZone.read(spark, objects, slots), key, countryCode)
        .select(PASS_ONE.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> copies = null;
    try {
      Map<String, Long> byReason = new TreeMap<>();
      TreeSet<LocalDate> dates = new TreeSet<>();
      long records = 0;
      // Collects one row per quarantine reason and event date (a few dozen), not the records.
      for (Row r : keys.groupBy("quarantine_reason", "event_date").count().collectAsList()) {
        records += r.getLong(2);
        if (!r.isNullAt(0)) {
          byReason.merge(r.getString(0), r.getLong(2), Long::sum);
        } else {
          dates.add(r.getDate(1).toLocalDate());
        }
      }
      t = lap(steps, "read+parse (keys)", t);
      long quarantined = 0;
      if (!byReason.isEmpty()) {
        run.describe("merge into " + tables.quarantine());
        quarantined = writeQuarantine(spark, tables, Events.quarantined(keys).withColumn("run_id", lit(run.runId())));
      }
      t = lap(steps, "quarantine", t);
      run.describe("find the later copies of each event");
      copies = Events.laterCopies(Events.valid(keys)).persist(StorageLevel.MEMORY_AND_DISK());
      // Sent to every task while they are few (the usual case: Firehose duplicates are rare);
      // a duplicate storm is joined by a shuffle instead of filling the driver and executors.
      boolean broadcast = copies.count() <= MAX_BROADCAST_COPIES;
      run.describe("read and parse " + objects.size() + " landed objects (pass 2: events) and merge into " + tables.events());
      Dataset<Row> events = Events.dropCopies(Events.valid(Events.parse(LandingZone.read(spark, objects, slots), key, countryCode)),
          copies, broadcast).withColumn("run_id", lit(run.runId()));
      long inserted = dates.isEmpty() ? 0 : mergeEvents(spark, tables, events, dates);
      t = lap(steps, "read+parse+merge events", t);
      run.describe("rebuild the sessions of the batch's devices");
      SessionRebuild.Result sessions = dates.isEmpty() ? SessionRebuild.Result.NONE
          : SessionRebuild.run(spark, tables, Events.valid(keys), dates, platform.config().clickstream().sessionGap(),
              run.startedAt());
      lap(steps, "sessions", t);
      return new ClickstreamSummary(run.runId(), "", 0, objects.size(), records, byReason, quarantined, inserted,
          sessions.inserted(), sessions.updated(), sessions.deleted(), steps);
    } finally {
      keys.unpersist();
      if (copies != null) {
        copies.unpersist();
      }
    }
  }

  /** Inserts the quarantined records not in the table yet (by object and position); returns how many. */
  private static long writeQuarantine(SparkSession spark, WebTables tables, Dataset<Row> quarantined) {
    tables.ensure(spark, tables.quarantine(), quarantined, null, null);
    quarantined.createOrReplaceTempView("clickstream_quarantined");
    Row metrics = spark.sql("MERGE INTO " + tables.quarantine() + " t USING clickstream_quarantined s"
        + " ON t.object = s.object AND t.position = s.position WHEN NOT MATCHED THEN INSERT *").first();
    return metrics.getAs("num_inserted_rows");
  }

  /** Inserts the batch's events whose message_id is not in the lake yet; returns how many. */
  private static long mergeEvents(SparkSession spark, WebTables tables, Dataset<Row> batch, Set<LocalDate> dates) {
    tables.ensure(spark, tables.events(), batch, "event_date", "event_time,anonymous_id,user_id");
    batch.createOrReplaceTempView("clickstream_batch");
    // The source is deterministic (immutable objects, parsed the same way every time): Delta need
    // not copy it before merging. And Delta would otherwise repartition the new rows by event_date
    // before writing: a night holds two or three dates, so one task would write nearly every row
    // while the other cores idle. Each task writes its own file per date instead.
    Map<String, String> settings = Map.of(SessionSettings.MERGE_MATERIALIZE_SOURCE, "none", REPARTITION_BEFORE_WRITE, "false");
    // A copy of one event has the same corrected time, give or take Segment's retries: looking
    // for it within a day either side keeps the merge off all other partitions.
    Row metrics = SessionSettings.with(spark, settings, () -> spark.sql("MERGE INTO " + tables.events() + " t USING clickstream_batch s"
        + " ON t.event_date IN (" + WebTables.dateList(WebTables.around(dates, 1)) + ") AND t.message_id = s.message_id"
        + " WHEN NOT MATCHED THEN INSERT *").first());
    return metrics.getAs("num_inserted_rows");
  }

  private static long lap(Map<String, Double> steps, String step, long since) {
    long now = System.nanoTime();
    steps.merge(step, (now - since) / 1e9, Double::sum);
    return now;
  }

  private static String hour(LocalDateTime t) {
    return t.truncatedTo(ChronoUnit.HOURS).toString().substring(0, 13);
  }
}
