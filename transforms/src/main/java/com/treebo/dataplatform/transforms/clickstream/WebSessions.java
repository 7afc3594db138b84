package com.treebo.dataplatform.transforms.clickstream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.transforms.Columns;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

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
 * (0 to 5, see {@link Funnel}). {@link #stitch} adds {@code guest_id}.
 */
public final class WebSessions {
  /** Columns {@link #sessionize} needs. */
  public static final List<String> EVENT_COLUMNS = List.of("anonymous_id", "message_id", "event_time", "type", "event",
      "platform", "user_id", "hotel_code", "booking_code", "revenue", "utm_source", "utm_medium", "utm_campaign");

  private WebSessions() {}

  /**
   * Sessions of {@code events} (all events of each anonymous_id in the range wanted). One shuffle,
   * by anonymous_id: the window and the aggregation share it.
   */
  public static Dataset<Row> sessionize(Dataset<Row> events, Duration gap) {
    Columns.require(events, "WebSessions.sessionize", EVENT_COLUMNS);
    WindowSpec byTime = Window.partitionBy("anonymous_id").orderBy("event_time", "message_id");
    Column micros = unix_micros(col("event_time"));
    Column starts = lag(micros, 1).over(byTime).isNull()
        .or(micros.minus(lag(micros, 1).over(byTime)).gt(gap.toNanos() / 1000));
    Column order = struct(col("event_time"), col("message_id"));
    Column step = Funnel.step(col("type"), col("event"));
    Dataset<Row> numbered = events
        .withColumn("_starts", when(starts, 1).otherwise(0))
        .withColumn("_session", sum("_starts").over(byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .withColumn("_step", step);
    Dataset<Row> sessions = numbered.groupBy("anonymous_id", "_session").agg(
        min_by(col("message_id"), order).as("first_message_id"),
        min("event_time").as("session_start"),
        max("event_time").as("session_end"),
        count(lit(1)).as("event_count"),
        sum(when(col("type").isin("page", "screen"), 1).otherwise(0)).cast("long").as("page_views"),
        min_by(col("platform"), when(col("platform").notEqual("web"), order)).as("_app_platform"),
        max_by(col("user_id"), when(col("user_id").isNotNull(), order)).as("user_id"),
        min_by(col("utm_source"), order).as("utm_source"),
        min_by(col("utm_medium"), order).as("utm_medium"),
        min_by(col("utm_campaign"), order).as("utm_campaign"),
        max_by(col("hotel_code"), when(col("hotel_code").isNotNull().and(col("_step").geq(2)), order)).as("hotel_code"),
        max_by(col("booking_code"), when(col("_step").equalTo(5), order)).as("booking_code"),
        max_by(col("revenue"), when(col("_step").equalTo(5), order)).as("revenue"),
        Funnel.furthestStep(collect_list(when(col("_step").isNotNull(),
            struct(col("event_time"), col("message_id"), col("_step").as("step"))))).as("funnel_step"));
    return sessions.select(
        substring(sha2(concat(col("anonymous_id"), lit("\u0000"), col("first_message_id")), 256), 1, 32).as("session_id"),
        col("anonymous_id"),
        TimeZones.kolkataDate(col("session_start")).as("session_date"),
        col("session_start"),
        col("session_end"),
        unix_micros(col("session_end")).minus(unix_micros(col("session_start"))).divide(1_000_000).cast("long").as("duration_seconds"),
        col("event_count"),
        col("page_views"),
        coalesce(col("_app_platform"), lit("web")).as("platform"),
        col("user_id"),
        col("first_message_id"),
        col("utm_source"), col("utm_medium"), col("utm_campaign"),
        col("hotel_code"),
        col("booking_code"),
        col("revenue"),
        col("funnel_step"));
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
   * Adds {@code guest_id}: the session's own last {@code user_id}, else the user the device was most
   * recently tied to at or before the session's end ({@code identities}: anonymous_id, user_id,
   * tied_at). Sessions before any tie keep a null guest. Joins by anonymous_id (shuffle).
   */
  public static Dataset<Row> stitch(Dataset<Row> sessions, Dataset<Row> identities) {
    Columns.require(sessions, "WebSessions.stitch", List.of("session_id", "anonymous_id", "session_end", "user_id"));
    Columns.require(identities, "WebSessions.stitch", List.of("anonymous_id", "user_id", "tied_at"));
    Dataset<Row> tied = sessions.select("session_id", "anonymous_id", "session_end")
        .join(identities.withColumnRenamed("user_id", "_tied_user"), "anonymous_id")
        .where(col("tied_at").leq(col("session_end")))
        .groupBy("session_id")
        .agg(max_by(col("_tied_user"), struct(col("tied_at"), col("_tied_user"))).as("_tied_user"));
    return sessions.join(tied, sessions.col("session_id").equalTo(tied.col("session_id")), "left")
        .select(sessions.col("*"), coalesce(sessions.col("user_id"), tied.col("_tied_user")).as("guest_id"));
  }

  /**
   * The user-days to read again when new events arrive on {@code touched} (anonymous_id,
   * event_date): each touched day and the days either side, so that sessions crossing midnight are
   * rebuilt whole. Sessions spanning more than a whole calendar day are the known limit.
   */
  public static Dataset<Row> rebuildRange(Dataset<Row> touched) {
    Columns.require(touched, "WebSessions.rebuildRange", List.of("anonymous_id", "event_date"));
    return touched.select(col("anonymous_id"), explode(org.apache.spark.sql.functions.array(
            date_add(col("event_date"), -1), col("event_date"), date_add(col("event_date"), 1))).as("event_date"))
        .distinct();
  }

  /**
   * What to change in the stored sessions after rebuilding: every rebuilt session that covers a
   * touched day ({@code _op = 'upsert'}), and every stored session that covers a touched day but was
   * not rebuilt under the same id ({@code _op = 'delete'}: it was merged into another, or an earlier
   * event now starts it). A session covers the days from its start date to its end date
   * (Asia/Kolkata). {@code rebuilt} and {@code stored} have the same columns.
   */
  public static Dataset<Row> changes(Dataset<Row> rebuilt, Dataset<Row> stored, Dataset<Row> touched) {
    Columns.require(touched, "WebSessions.changes", List.of("anonymous_id", "event_date"));
    Dataset<Row> keep = covering(rebuilt, touched);
    Dataset<Row> gone = covering(stored, touched).join(keep.select("session_id"), "session_id", "left_anti")
        .select(java.util.Arrays.stream(rebuilt.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    return keep.withColumn("_op", lit("upsert")).unionByName(gone.withColumn("_op", lit("delete")));
  }

  private static Dataset<Row> covering(Dataset<Row> sessions, Dataset<Row> touched) {
    Columns.require(sessions, "WebSessions.changes", List.of("session_id", "anonymous_id", "session_date", "session_end"));
    Dataset<Row> t = touched.select(col("anonymous_id").as("_anon"), col("event_date").as("_day"));
    return sessions.join(t, sessions.col("anonymous_id").equalTo(t.col("_anon"))
        .and(t.col("_day").geq(sessions.col("session_date")))
        .and(t.col("_day").leq(TimeZones.kolkataDate(sessions.col("session_end")))), "left_semi");
  }
}
