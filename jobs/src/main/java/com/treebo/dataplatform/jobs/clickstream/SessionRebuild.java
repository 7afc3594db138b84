package com.treebo.dataplatform.jobs.clickstream;

import static org.apache.spark.sql.functions.col;

import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import com.treebo.dataplatform.transforms.clickstream.WebSessions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Sessions rebuilt for the devices a batch touched: their events of the batch's dates and two days either
 * side are read back from lake.web_events (partition-pruned to those dates, then a semi-join on the
 * devices), sessionized, stitched to guests through lake.web_identities, and merged into
 * lake.web_sessions for the session dates a batch event can belong to (the batch's dates and a day
 * either side: new and changed sessions upserted, superseded ones deleted, in one commit).
 *
 * <p>A tie of a device to a guest that arrives late (an identify from an app's offline queue, days
 * after the sessions it explains) or earlier than the stored one re-stitches that device's sessions
 * from the day before the tie onward, whatever the batch's dates. A session longer than a day is the
 * known limit of the date scope.
 */
final class SessionRebuild {
  /** Counts of the session merges, and the session dates whose sessions changed. */
  record Result(long inserted, long updated, long deleted, Set<LocalDate> dates) {
    static final Result NONE = new Result(0, 0, 0, Set.of());

    Result plus(Result other) {
      TreeSet<LocalDate> all = new TreeSet<>(dates);
      all.addAll(other.dates);
      return new Result(inserted + other.inserted, updated + other.updated, deleted + other.deleted, all);
    }
  }

  private SessionRebuild() {}

  /**
   * Rebuilds the sessions of {@code batch}'s devices; sessions written are stamped {@code _seen_at}
   * = {@code seenAt} (the run's start), which is how the model finds the session dates to rebuild.
   */
  static Result run(SparkSession spark, WebTables tables, Dataset<Row> batch, Set<LocalDate> batchDates, Duration gap,
      java.time.Instant seenAt) {
    Dataset<Row> lateTies = mergeIdentities(spark, tables, batch, batchDates);
    // The batch's devices are rebuilt on every session date a batch event can belong to (its event
    // dates and the day before, for sessions crossing midnight, and the day after, for the stored
    // sessions its events now join). Their events are read one day further either way, so that each
    // session kept starts where it really starts and ends where it really ends (up to a day long).
    Dataset<Row> devices = batch.select("anonymous_id").distinct().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Result result = rebuild(spark, tables, devices, "session_date IN (" + WebTables.dateList(WebTables.around(batchDates, 1)) + ")",
          "event_date IN (" + WebTables.dateList(WebTables.around(batchDates, 2)) + ")", gap, seenAt);
      // A tie older than the batch's latest dates may explain sessions between it and them that the
      // scope above does not cover: those devices' sessions from the day before the earliest such tie on.
      Row earliest = lateTies.agg(functions.min("tie_date")).first();
      if (!earliest.isNullAt(0)) {
        LocalDate from = earliest.getDate(0).toLocalDate();
        Dataset<Row> lateDevices = lateTies.select("anonymous_id").distinct().persist(StorageLevel.MEMORY_AND_DISK());
        try {
          result = result.plus(rebuild(spark, tables, lateDevices, "session_date >= DATE'" + from.minusDays(1) + "'",
              "event_date >= DATE'" + from.minusDays(2) + "'", gap, seenAt));
        } finally {
          lateDevices.unpersist();
        }
      }
      return result;
    } finally {
      devices.unpersist();
    }
  }

  /**
   * Re-sessionizes {@code devices} over the session dates {@code keep} (a predicate on
   * session_date), reading their events where {@code read} (on event_date), and merges what
   * changed into lake.web_sessions.
   */
  private static Result rebuild(SparkSession spark, WebTables tables, Dataset<Row> devices, String keep, String read, Duration gap,
      java.time.Instant seenAt) {
    Dataset<Row> events = spark.table(tables.events()).where(read).join(devices, "anonymous_id", "left_semi");
    Dataset<Row> identities = spark.table(tables.identities()).join(devices, "anonymous_id", "left_semi");
    // Checkpointed: the changes below use the rebuilt sessions twice (kept ones, and the stored ones
    // they replace), which would otherwise sessionize twice.
    Dataset<Row> rebuilt = WebSessions.sessionize(events, identities, gap).where(keep).localCheckpoint(true);
    Column seen = functions.lit(java.sql.Timestamp.from(seenAt)).as("_seen_at");
    tables.ensure(spark, tables.sessions(), rebuilt.withColumn("_seen_at", seen), "session_date", "session_start,anonymous_id,_seen_at");
    tables.addSeenAt(spark, tables.sessions());
    Dataset<Row> stored = spark.table(tables.sessions()).where(keep).join(devices, "anonymous_id", "left_semi");
    // Compared without _seen_at (every rebuilt session would differ by it); stamped on what changed.
    Dataset<Row> changes = WebSessions.changes(rebuilt, stored).withColumn("_seen_at", seen).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One row per changed session date reaches the driver (a few dates a night).
      TreeSet<LocalDate> dates = new TreeSet<>();
      changes.select("session_date").distinct().collectAsList().forEach(r -> dates.add(r.getDate(0).toLocalDate()));
      if (dates.isEmpty()) {
        return Result.NONE;
      }
      changes.createOrReplaceTempView("clickstream_session_changes");
      String[] columns = changes.drop("_op").columns();
      String set = Arrays.stream(columns).map(c -> "t." + c + " = s." + c).collect(Collectors.joining(", "));
      String names = String.join(", ", columns);
      String values = Arrays.stream(columns).map(c -> "s." + c).collect(Collectors.joining(", "));
      Row m = spark.sql("MERGE INTO " + tables.sessions() + " t USING clickstream_session_changes s"
          + " ON t.session_date IN (" + WebTables.dateList(dates) + ") AND t.session_date = s.session_date"
          + " AND t.session_id = s.session_id"
          + " WHEN MATCHED AND s._op = 'delete' THEN DELETE"
          + " WHEN MATCHED THEN UPDATE SET " + set
          + " WHEN NOT MATCHED AND s._op = 'upsert' THEN INSERT (" + names + ") VALUES (" + values + ")").first();
      return new Result(m.<Long>getAs("num_inserted_rows"), m.<Long>getAs("num_updated_rows"), m.<Long>getAs("num_deleted_rows"),
          dates);
    } finally {
      changes.unpersist();
    }
  }

  /**
   * Adds the batch's device-to-user ties; an earlier sighting of a known tie moves its time back.
   * Returns the ties that are new or moved earlier and lie more than a day before the batch's
   * latest event date ({@code anonymous_id, tie_date}, Asia/Kolkata): the device's sessions since
   * the tie may lie outside the batch's scope and need re-stitching. A night's ordinary logins (ties
   * of today and yesterday) return none.
   */
  private static Dataset<Row> mergeIdentities(SparkSession spark, WebTables tables, Dataset<Row> batch, Set<LocalDate> batchDates) {
    Dataset<Row> ties = WebSessions.identities(batch).persist(StorageLevel.MEMORY_AND_DISK());
    tables.ensure(spark, tables.identities(), ties, null, null);
    LocalDate recent = new TreeSet<>(batchDates).last().minusDays(1);
    Dataset<Row> stored = spark.table(tables.identities()).select(col("anonymous_id"), col("user_id"), col("tied_at").as("stored_at"));
    // Materialized before the merge below changes what it reads.
    Dataset<Row> late = ties.join(stored, new String[] {"anonymous_id", "user_id"}, "left")
        .where(col("stored_at").isNull().or(col("tied_at").lt(col("stored_at"))))
        .select(col("anonymous_id"), TimeZones.kolkataDate(col("tied_at")).as("tie_date"))
        .where(col("tie_date").lt(functions.lit(java.sql.Date.valueOf(recent))))
        .localCheckpoint(true);
    ties.createOrReplaceTempView("clickstream_ties");
    spark.sql("MERGE INTO " + tables.identities() + " t USING clickstream_ties s"
        + " ON t.anonymous_id = s.anonymous_id AND t.user_id = s.user_id"
        + " WHEN MATCHED AND s.tied_at < t.tied_at THEN UPDATE SET t.tied_at = s.tied_at"
        + " WHEN NOT MATCHED THEN INSERT *");
    ties.unpersist();
    return late;
  }
}
