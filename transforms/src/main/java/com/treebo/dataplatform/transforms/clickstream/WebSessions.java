package com.treebo.dataplatform.transforms.clickstream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import com.treebo.dataplatform.transforms.Columns;
import java.time.Duration;
import java.util.List;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Sessions of web events: one {@code anonymous_id}'s events with no gap longer than the session gap.
 *
 * <p>Session columns ({@link #sessionize}): {@code session_id} (hash of anonymous_id and the first
 * event's message_id: stable across reruns, and changed only when an earlier event of the session
 * arrives late), {@code anonymous_id, session_date} (Asia/Kolkata date of the first event),
 * {@code session_start, session_end, duration_seconds, event_count, page_views} (page and screen
 * events), {@code platform} (the app platform if any event has one, else web), {@code user_id} (last
 * seen in the session), {@code first_message_id, utm_source, utm_medium, utm_campaign} (of the first
 * event), {@code hotel_code} (of the last funnel event from step 2 on that names one),
 * {@code booking_code} and {@code revenue} (the last {@code Order Completed}), {@code funnel_step}
 * (0 to 5, see {@link Funnel}), {@code guest_id} (identity stitching, see {@link #sessionize}).
 */
public final class WebSessions {
  /** Columns {@link #sessionize} needs. */
  public static final List<String> EVENT_COLUMNS = List.of("anonymous_id", "message_id", "event_time", "type", "event",
      "platform", "user_id", "hotel_code", "booking_code", "revenue", "utm_source", "utm_medium", "utm_campaign");

  private WebSessions() {}

  /**
   * Sessions of {@code events} (all events of each anonymous_id in the range wanted), each with its
   * guest from {@code identities} (anonymous_id, user_id, tied_at; see {@link #identities}): the
   * session's own last {@code user_id}, else the user the device was most recently tied to at or
   * before the session's end; null for sessions before any tie. One shuffle, by anonymous_id, of the
   * events and ties together, and a sort by time within it; then one pass over each device's rows
   * ({@link SessionWalker}) folds them into sessions, funnel and guest included.
   */
  public static Dataset<Row> sessionize(Dataset<Row> events, Dataset<Row> identities, Duration gap) {
    Columns.require(events, "WebSessions.sessionize", EVENT_COLUMNS);
    Columns.require(identities, "WebSessions.sessionize", List.of("anonymous_id", "user_id", "tied_at"));
    List<Column> eventColumns = new java.util.ArrayList<>();
    List<Column> tieColumns = new java.util.ArrayList<>();
    for (String c : EVENT_COLUMNS) {
      eventColumns.add(col(c));
      tieColumns.add(switch (c) {
        case "anonymous_id", "user_id" -> col(c);
        case "event_time" -> col("tied_at").as(c);
        default -> lit(null).cast(events.schema().apply(c).dataType()).as(c);
      });
    }
    eventColumns.add(lit(1).as("kind"));
    tieColumns.add(lit(0).as("kind"));
    eventColumns.add(col("message_id").as("_order"));
    tieColumns.add(col("user_id").as("_order"));
    Column[] input = java.util.Arrays.stream(SessionWalker.INPUT).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    // Ties sort before events of the same instant (kind 0), and among themselves by user, so that the
    // last one the walker sees at an instant is the greatest user, as max_by would pick.
    RDD<InternalRow> sorted = events.select(eventColumns.toArray(Column[]::new))
        .unionByName(identities.select(tieColumns.toArray(Column[]::new)))
        .where(col("anonymous_id").isNotNull().and(col("event_time").isNotNull()))
        .repartition(col("anonymous_id"))
        .sortWithinPartitions("anonymous_id", "event_time", "kind", "_order")
        .select(input)
        .queryExecution().toRdd();
    long gapMicros = gap.toNanos() / 1000;
    RDD<InternalRow> sessions = sorted.toJavaRDD().mapPartitions(new Walk(gapMicros)).rdd();
    return events.sparkSession().internalCreateDataFrame(sessions, SessionWalker.SESSIONS, false);
  }

  /** The partition function of {@link #sessionize}. */
  private static final class Walk implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final long gapMicros;

    Walk(long gapMicros) {
      this.gapMicros = gapMicros;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> events) {
      return new SessionWalker(events, gapMicros);
    }
  }

  /**
   * Ties of devices to users: one row per {@code (anonymous_id, user_id)} seen together on an event
   * (an {@code identify} or any event carrying both), with {@code tied_at}, the earliest such
   * event's time. Shuffles by the pair.
   */
  public static Dataset<Row> identities(Dataset<Row> events) {
    Columns.require(events, "WebSessions.identities", List.of("anonymous_id", "user_id", "event_time"));
    return events.where(col("user_id").isNotNull().and(col("anonymous_id").isNotNull()))
        .groupBy("anonymous_id", "user_id").agg(min("event_time").as("tied_at"));
  }

  /**
   * What to change in the stored sessions after rebuilding some devices' days: every rebuilt
   * session that is new or differs from the stored one in any column ({@code _op = 'upsert'}), and
   * every stored session of the same devices and days that was not rebuilt under the same id
   * ({@code _op = 'delete'}: it was merged into another, or an earlier event now starts it).
   * Sessions rebuilt exactly as stored are left out, so a rerun changes (and counts) nothing.
   * {@code rebuilt} and {@code stored} have the same columns and cover the same devices and session
   * dates. Cost: one join of the two by session_id (shuffle), one anti-join.
   */
  public static Dataset<Row> changes(Dataset<Row> rebuilt, Dataset<Row> stored) {
    Columns.require(stored, "WebSessions.changes", List.of("session_id"));
    Columns.require(rebuilt, "WebSessions.changes", List.of("session_id"));
    String[] columns = rebuilt.columns();
    Dataset<Row> r = rebuilt.alias("r");
    Dataset<Row> s = stored.select(java.util.Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .alias("s");
    Column same = lit(true);
    for (String c : columns) {
      same = same.and(col("r." + c).eqNullSafe(col("s." + c)));
    }
    Dataset<Row> upserts = r.join(s, col("r.session_id").equalTo(col("s.session_id")), "left")
        .where(col("s.session_id").isNull().or(org.apache.spark.sql.functions.not(same)))
        .select(java.util.Arrays.stream(columns).map(c -> col("r." + c).as(c)).toArray(Column[]::new));
    Dataset<Row> gone = stored.join(rebuilt.select("session_id"), "session_id", "left_anti")
        .select(java.util.Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    return upserts.withColumn("_op", lit("upsert")).unionByName(gone.withColumn("_op", lit("delete")));
  }
}
