package com.treebo.dataplatform.jobs.clickstream;

import static org.apache.spark.sql.functions.col;

import com.treebo.dataplatform.model.FactWebSession;
import com.treebo.dataplatform.model.FunnelDaily;
import com.treebo.dataplatform.transforms.clickstream.WebSessions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Sessions, the web-session fact and the daily funnel, rebuilt for the devices a batch touched: their
 * events of the batch's dates and two days either side are read back from lake.web_events
 * (partition-pruned to those dates, then a semi-join on the devices), sessionized, stitched to
 * guests through lake.web_identities, and merged into lake.web_sessions for the session dates a
 * batch event can belong to (the batch's dates and a day either side: changed sessions upserted,
 * superseded ones deleted, in one commit). The fact and report rows of those dates are then rebuilt
 * from lake.web_sessions and replace them. A session longer than a day is the known limit.
 */
final class SessionRebuild {
  /** Counts of the session merge, and why bookings are not linked if they are not. */
  record Result(long upserted, long deleted, Set<LocalDate> dates) {}

  private SessionRebuild() {}

  static Result run(SparkSession spark, WebTables tables, Dataset<Row> batch, Set<LocalDate> batchDates, Duration gap) {
    mergeIdentities(spark, tables, batch);
    // The batch's devices are rebuilt on every session date a batch event can belong to (its event
    // dates and the day before, for sessions crossing midnight, and the day after, for the stored
    // sessions its events now join). Their events are read one day further either way, so that each
    // session kept starts where it really starts and ends where it really ends (up to a day long).
    TreeSet<LocalDate> keep = WebTables.around(batchDates, 1);
    TreeSet<LocalDate> read = WebTables.around(batchDates, 2);
    Dataset<Row> devices = batch.select("anonymous_id").distinct().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      spark.sparkContext().setJobGroup("clickstream", "clickstream: rebuild sessions into " + tables.sessions(), false);
      Dataset<Row> events = spark.table(tables.events()).where("event_date IN (" + WebTables.dateList(read) + ")")
          .join(devices, "anonymous_id", "left_semi");
      Dataset<Row> identities = spark.table(tables.identities()).join(devices, "anonymous_id", "left_semi");
      String inKeep = "session_date IN (" + WebTables.dateList(keep) + ")";
      // Checkpointed: the merge source below uses the rebuilt sessions twice (kept ones, and the
      // stored ones they replace), which would otherwise sessionize twice.
      Dataset<Row> rebuilt = WebSessions.sessionize(events, identities, gap).where(inKeep).localCheckpoint(true);
      tables.ensure(spark, tables.sessions(), rebuilt, "session_date", "session_start,anonymous_id");
      Dataset<Row> stored = spark.table(tables.sessions()).where(inKeep).join(devices, "anonymous_id", "left_semi");
      WebSessions.changes(rebuilt, stored).createOrReplaceTempView("clickstream_session_changes");
      String[] columns = rebuilt.columns();
      String set = Arrays.stream(columns).map(c -> "t." + c + " = s." + c).collect(Collectors.joining(", "));
      String names = String.join(", ", columns);
      String values = Arrays.stream(columns).map(c -> "s." + c).collect(Collectors.joining(", "));
      Row m = spark.sql("MERGE INTO " + tables.sessions() + " t USING clickstream_session_changes s"
          + " ON t." + inKeep + " AND t.session_date = s.session_date AND t.session_id = s.session_id"
          + " WHEN MATCHED AND s._op = 'delete' THEN DELETE"
          + " WHEN MATCHED THEN UPDATE SET " + set
          + " WHEN NOT MATCHED AND s._op = 'upsert' THEN INSERT (" + names + ") VALUES (" + values + ")").first();
      long upserted = m.<Long>getAs("num_updated_rows") + m.<Long>getAs("num_inserted_rows");
      long deleted = m.getAs("num_deleted_rows");
      return new Result(upserted, deleted, keep);
    } finally {
      devices.unpersist();
    }
  }

  /** Adds the batch's device-to-user ties; an earlier sighting of a known tie moves its time back. */
  private static void mergeIdentities(SparkSession spark, WebTables tables, Dataset<Row> batch) {
    spark.sparkContext().setJobGroup("clickstream", "clickstream: merge into " + tables.identities(), false);
    Dataset<Row> ties = WebSessions.identities(batch);
    tables.ensure(spark, tables.identities(), ties, null, null);
    ties.createOrReplaceTempView("clickstream_ties");
    spark.sql("MERGE INTO " + tables.identities() + " t USING clickstream_ties s"
        + " ON t.anonymous_id = s.anonymous_id AND t.user_id = s.user_id"
        + " WHEN MATCHED AND s.tied_at < t.tied_at THEN UPDATE SET t.tied_at = s.tied_at"
        + " WHEN NOT MATCHED THEN INSERT *");
  }

  /** Replaces the fact and funnel rows of {@code dates} from the sessions now stored for them. */
  static Optional<String> rebuildDates(SparkSession spark, WebTables tables, Set<LocalDate> dates) {
    String inDates = WebTables.dateList(dates);
    Dataset<Row> sessions = spark.table(tables.sessions()).where("session_date IN (" + inDates + ")");
    spark.sparkContext().setJobGroup("clickstream", "clickstream: replace dates of " + tables.funnelDaily(), false);
    Dataset<Row> funnel = FunnelDaily.build(sessions);
    tables.ensure(spark, tables.funnelDaily(), funnel, "event_date", null);
    funnel.write().format("delta").mode("overwrite").option("replaceWhere", "event_date IN (" + inDates + ")")
        .save(tables.location(tables.funnelDaily()));
    return rebuildFact(spark, tables, dates);
  }

  /**
   * Links orders whose booking reached lake.crs_booking after their date was built: the session
   * dates of {@code window} whose fact rows name a {@code booking_code} without a
   * {@code booking_id} that the lake now has are rebuilt (fact only; the funnel does not depend on
   * bookings). Returns those dates; none when either table does not exist yet.
   */
  static List<LocalDate> relink(SparkSession spark, WebTables tables, Set<LocalDate> window) {
    if (!exists(spark, tables.factWebSession()) || !exists(spark, tables.bookings())) {
      return List.of();
    }
    // The orders still unlinked are few (a week's web orders at most): broadcast, they meet the
    // bookings' codes as these are read, and only one row per date reaches the driver.
    Dataset<Row> unlinked = spark.table(tables.factWebSession())
        .where("date_key IN (" + WebTables.dateKeyList(window) + ") AND booking_code IS NOT NULL AND booking_id IS NULL")
        .select("booking_code", "session_date");
    List<LocalDate> dates = spark.table(tables.bookings()).select("booking_code")
        .join(functions.broadcast(unlinked), "booking_code")
        .select("session_date").distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate()).sorted().toList();
    if (!dates.isEmpty()) {
      rebuildFact(spark, tables, new TreeSet<>(dates));
    }
    return dates;
  }

  private static boolean exists(SparkSession spark, String table) {
    int dot = table.indexOf('.');
    return spark.catalog().tableExists(table.substring(0, dot), table.substring(dot + 1));
  }

  /** Replaces the fact rows of {@code dates}; says why bookings are not linked if they are not. */
  private static Optional<String> rebuildFact(SparkSession spark, WebTables tables, Set<LocalDate> dates) {
    Dataset<Row> sessions = spark.table(tables.sessions()).where("session_date IN (" + WebTables.dateList(dates) + ")");
    Optional<Dataset<Row>> bookings = Optional.empty();
    Optional<String> why = Optional.empty();
    if (exists(spark, tables.bookings())) {
      bookings = Optional.of(spark.table(tables.bookings()).select(col("booking_code"), col("booking_id")));
    } else {
      why = Optional.of("not linked: " + tables.bookings() + " is not in the lake yet (run the booking extract); booking_id left null");
    }
    spark.sparkContext().setJobGroup("clickstream", "clickstream: replace dates of " + tables.factWebSession(), false);
    Dataset<Row> fact = FactWebSession.build(sessions, bookings);
    tables.ensure(spark, tables.factWebSession(), fact, "date_key", null);
    fact.write().format("delta").mode("overwrite").option("replaceWhere", "date_key IN (" + WebTables.dateKeyList(dates) + ")")
        .save(tables.location(tables.factWebSession()));
    return why;
  }
}
