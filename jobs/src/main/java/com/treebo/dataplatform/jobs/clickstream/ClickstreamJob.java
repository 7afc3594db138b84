package com.treebo.dataplatform.jobs.clickstream;

import static org.apache.spark.sql.functions.lit;

import com.treebo.dataplatform.conf.ClickstreamConfig;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.LandedObjects;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.runtime.Platform;
import com.treebo.dataplatform.jobs.runtime.SessionSettings;
import com.treebo.dataplatform.transforms.clickstream.Events;
import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code bin/dataplatform clickstream}: landed Segment events to lake.web_events (one row per
 * distinct messageId), lake.web_events_quarantine, lake.web_sessions, dw.fact_web_session and
 * rpt.funnel_daily. Incremental by landed object (see {@link LandedObjects}); every write is a merge
 * or a replacement of the affected dates, so a rerun changes nothing.
 *
 * <p>Steps: list the landed hours of the late-arrival window (and of --from..--to) and drop the
 * objects already read; read the rest in parallel, twice: pass 1 keeps narrow keys (counts,
 * quarantine, later copies of each event, the sessions' inputs), pass 2 streams the events without
 * those copies into the merge; rebuild the sessions of the batch's devices ({@link SessionRebuild});
 * rebuild the report and fact rows of the affected dates; record the objects and the run in the
 * control store.
 */
public final class ClickstreamJob {
  /** The run's table id in the control store (dp_run). */
  public static final String TABLE_ID = "clickstream.web_events";
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  /** The columns pass 1 keeps of each record. */
  private static final List<String> PASS_ONE = List.of("object", "position", "landed_hour", "raw", "quarantine_reason",
      "message_id", "received_at", "event_date", "event_time", "anonymous_id", "user_id");
  /** Later copies (object path and position, about 100 bytes each) broadcast at the most; more are shuffle-joined. */
  static final long MAX_BROADCAST_COPIES = 1_000_000;
  private static final String REPARTITION_BEFORE_WRITE = "spark.databricks.delta.merge.repartitionBeforeWrite.enabled";

  private ClickstreamJob() {}

  /** The run's scope: the late-arrival window ending {@code now}, plus the landed days {@code from..to} when given. */
  public record Request(Optional<LocalDate> from, Optional<LocalDate> to, Instant now) {}

  public static ClickstreamSummary run(Platform platform, Request request) {
    return run(platform, request, WebTables.of(platform.config()));
  }

  /** Runs with the tables named by {@code tables}. */
  public static ClickstreamSummary run(Platform platform, Request request, WebTables tables) {
    ClickstreamConfig config = platform.config().clickstream();
    String runId = "clickstream-" + RUN_TIME.format(request.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    SparkSession spark = platform.spark();
    ControlStore control = platform.control();
    LandedObjects ledger = new LandedObjects(control);

    LocalDateTime last = LocalDateTime.ofInstant(request.now(), ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    LocalDateTime first = LocalDateTime.ofInstant(request.now().minus(config.lateArrivalWindow()), ZoneOffset.UTC);
    LandingZone landing = new LandingZone(config.landing(), spark.sparkContext().hadoopConfiguration());
    spark.sparkContext().setJobGroup("clickstream", "clickstream: list " + config.landing(), false);
    TreeMap<String, LandedObject> listed = new TreeMap<>();
    landing.list(first, last).forEach(o -> listed.put(o.key(), o));
    if (request.from().isPresent() || request.to().isPresent()) {
      LocalDate from = request.from().or(request::to).orElseThrow();
      LocalDate to = request.to().or(request::from).orElseThrow();
      landing.list(from.atStartOfDay(), to.atTime(23, 0)).forEach(o -> listed.put(o.key(), o));
    }
    String firstHour = listed.values().stream().map(LandedObject::landedHour).min(String::compareTo).orElse(hour(first));
    String lastHour = listed.values().stream().map(LandedObject::landedHour).max(String::compareTo).orElse(hour(last));
    Set<String> done = ledger.recorded(firstHour, lastHour);
    List<LandedObject> todo = listed.values().stream().filter(o -> !done.contains(o.key())).toList();

    control.startRun(runId, "clickstream", TABLE_ID, Optional.of(firstHour), Optional.of(lastHour));
    try {
      ClickstreamSummary summary = todo.isEmpty()
          ? new ClickstreamSummary(runId, firstHour + ".." + lastHour, listed.size(), 0, 0, Map.of(), 0, 0, 0, Optional.empty(),
              List.of(), Map.of())
          : load(platform, tables, runId, todo, firstHour + ".." + lastHour, listed.size());
      group(spark, "link orders to bookings that reached the lake late");
      summary = summary.withRelinked(SessionRebuild.relink(spark, tables, relinkWindow(request.now(), config.relinkWindow())));
      ledger.record(runId, todo.stream().map(o -> new LandedObjects.Entry(o.key(), o.landedHour(), o.size())).toList());
      control.succeed(runId, TABLE_ID, new RunCounts(summary.records(), summary.eventsInserted(), summary.sessionsDeleted(),
          summary.quarantined()), Optional.empty());
      return summary;
    } catch (RuntimeException e) {
      control.fail(runId, TABLE_ID, RunCounts.of(0, 0), String.valueOf(e.getMessage()));
      throw e;
    }
  }

  private static ClickstreamSummary load(Platform platform, WebTables tables, String runId, List<LandedObject> objects,
      String hours, int listed) {
    SparkSession spark = platform.spark();
    byte[] key = platform.piiKey().reveal().getBytes(StandardCharsets.UTF_8);
    String countryCode = platform.config().pii().defaultCountryCode();
    int slots = Math.max(1, spark.sparkContext().defaultParallelism() * 2);

    Map<String, Double> steps = new java.util.LinkedHashMap<>();
    long t = System.nanoTime();
    group(spark, "read and parse " + objects.size() + " landed objects (pass 1: keys and quarantine)");
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
      if (!byReason.isEmpty()) {
        group(spark, "merge into " + tables.quarantine());
        writeQuarantine(spark, tables, Events.quarantined(keys).withColumn("run_id", lit(runId)));
      }
      t = lap(steps, "quarantine", t);
      group(spark, "find the later copies of each event");
      copies = Events.laterCopies(Events.valid(keys)).persist(StorageLevel.MEMORY_AND_DISK());
      // Sent to every task while they are few (the usual case: Firehose duplicates are rare);
      // a duplicate storm is joined by a shuffle instead of filling the driver and executors.
      boolean broadcast = copies.count() <= MAX_BROADCAST_COPIES;
      group(spark, "read and parse " + objects.size() + " landed objects (pass 2: events) and merge into " + tables.events());
      Dataset<Row> events = Events.dropCopies(Events.valid(Events.parse(LandingZone.read(spark, objects, slots), key, countryCode)),
          copies, broadcast).withColumn("run_id", lit(runId));
      long inserted = mergeEvents(spark, tables, events, dates);
      t = lap(steps, "read+parse+merge events", t);
      SessionRebuild.Result sessions = SessionRebuild.run(spark, tables, Events.valid(keys), dates,
          platform.config().clickstream().sessionGap());
      t = lap(steps, "sessions", t);
      Optional<String> bookingLink = SessionRebuild.rebuildDates(spark, tables, sessions.dates());
      lap(steps, "fact+funnel", t);
      return new ClickstreamSummary(runId, hours, listed, objects.size(), records, byReason, inserted,
          sessions.upserted(), sessions.deleted(), bookingLink, List.of(), steps);
    } finally {
      keys.unpersist();
      if (copies != null) {
        copies.unpersist();
      }
    }
  }

  private static void writeQuarantine(SparkSession spark, WebTables tables, Dataset<Row> quarantined) {
    tables.ensure(spark, tables.quarantine(), quarantined, null, null);
    quarantined.createOrReplaceTempView("clickstream_quarantined");
    spark.sql("MERGE INTO " + tables.quarantine() + " t USING clickstream_quarantined s"
        + " ON t.object = s.object AND t.position = s.position WHEN NOT MATCHED THEN INSERT *");
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

  /** The session dates (Asia/Kolkata) from {@code window} before {@code now} to now. */
  private static TreeSet<LocalDate> relinkWindow(Instant now, java.time.Duration window) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (LocalDate d = TimeZones.kolkataDate(now.minus(window)); !d.isAfter(TimeZones.kolkataDate(now)); d = d.plusDays(1)) {
      dates.add(d);
    }
    return dates;
  }

  private static long lap(Map<String, Double> steps, String step, long since) {
    long now = System.nanoTime();
    steps.put(step, (now - since) / 1e9);
    return now;
  }

  private static void group(SparkSession spark, String what) {
    spark.sparkContext().setJobGroup("clickstream", "clickstream: " + what, false);
  }

  private static String hour(LocalDateTime t) {
    return t.truncatedTo(ChronoUnit.HOURS).toString().substring(0, 13);
  }
}
