package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.clickstream.Funnel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The web-session fact of the bus matrix (grain: one row per session), keyed so far by natural keys:
 * {@code date_key} (yyyyMMdd of the Asia/Kolkata session date), {@code hotel_code} (the session's
 * last viewed/selected/ordered hotel) and {@code guest_id} (from identity stitching). Replacing them
 * by surrogate keys of the date, hotel (type 2) and guest dimensions, with placeholder members for
 * late dimension rows, belongs to the conform step; loading Redshift to the load step. Neither is
 * done here.
 *
 * <p>Needs web sessions with guest ({@code WebSessions.sessionize}). Optionally
 * {@code bookings} ({@code booking_code, booking_id}, e.g. lake.crs_booking): then
 * {@code booking_id} links an ordered session to its booking (highest booking_id per code, left
 * join, shuffle); without it {@code booking_id} is null. Columns: {@code session_id, date_key,
 * session_date, hotel_code, guest_id, anonymous_id, platform, session_start, session_end,
 * duration_seconds, event_count, page_views, funnel_step}, one boolean per funnel step,
 * {@code booking_code, booking_id, revenue}.
 */
public final class FactWebSession {
  private FactWebSession() {}

  public static Dataset<Row> build(Dataset<Row> sessions, Optional<Dataset<Row>> bookings) {
    Columns.require(sessions, "FactWebSession.build", List.of("session_id", "session_date", "hotel_code", "guest_id",
        "anonymous_id", "platform", "session_start", "session_end", "duration_seconds", "event_count", "page_views",
        "funnel_step", "booking_code", "revenue"));
    Dataset<Row> linked;
    if (bookings.isPresent()) {
      Columns.require(bookings.get(), "FactWebSession.build (bookings)", List.of("booking_code", "booking_id"));
      Dataset<Row> byCode = bookings.get().where(col("booking_code").isNotNull())
          .groupBy(col("booking_code").as("_code")).agg(max("booking_id").as("booking_id"));
      linked = sessions.join(byCode, sessions.col("booking_code").equalTo(byCode.col("_code")), "left").drop("_code");
    } else {
      linked = sessions.withColumn("booking_id", lit(null).cast("bigint"));
    }
    List<Column> out = new ArrayList<>(List.of(
        col("session_id"),
        date_format(col("session_date"), "yyyyMMdd").cast("int").as("date_key"),
        col("session_date"), col("hotel_code"), col("guest_id"), col("anonymous_id"), col("platform"),
        col("session_start"), col("session_end"), col("duration_seconds"), col("event_count"), col("page_views"),
        col("funnel_step")));
    for (int i = 0; i < Funnel.STEP_COLUMNS.size(); i++) {
      out.add(col("funnel_step").geq(i + 1).as(Funnel.STEP_COLUMNS.get(i)));
    }
    out.addAll(List.of(col("booking_code"), col("booking_id"), col("revenue")));
    return linked.select(out.toArray(new Column[0]));
  }
}
