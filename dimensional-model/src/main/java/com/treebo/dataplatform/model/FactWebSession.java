package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.clickstream.Funnel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code fact_web_session}, grain: one row per web session ({@code session_id}) of
 * lake.web_sessions, dated by its Asia/Kolkata start date, with the hotel it last looked at (by
 * {@code hotel_code}, the version in effect that day), the stitched guest, and, for a session that
 * ordered, its booking ({@code booking_code} of the {@code Order Completed} event matched to
 * lake.crs_booking; null until that booking reaches the lake, then linked by the next build).
 *
 * <p>Needs {@code sessions} ({@code session_id, session_date, hotel_code, guest_id, anonymous_id,
 * platform, session_start, session_end, duration_seconds, event_count, page_views, funnel_step,
 * booking_code, revenue}), {@code bookings} ({@code booking_code, booking_id}) and {@code dim_hotel}.
 * Returns {@link #COLUMNS}: the measures, one boolean per funnel step ({@code searched} ...
 * {@code ordered}), the date, hotel and guest keys. Cost: a join with the bookings' codes (shuffle,
 * or broadcast when the session side is small), broadcast hotel lookups.
 */
public final class FactWebSession {
  public static final List<String> GRAIN = List.of("session_id");
  public static final List<String> COLUMNS;

  static {
    List<String> c = new ArrayList<>(List.of("session_id", "date_key", "session_date", "hotel_key", "guest_key", "anonymous_id",
        "platform", "session_start", "session_end", "duration_seconds", "event_count", "page_views", "funnel_step"));
    c.addAll(Funnel.STEP_COLUMNS);
    c.addAll(List.of("booking_code", "booking_id", "revenue"));
    COLUMNS = List.copyOf(c);
  }

  private FactWebSession() {}

  public static Dataset<Row> build(Dataset<Row> sessions, Dataset<Row> bookings, Dataset<Row> dimHotel) {
    Columns.require(sessions, "FactWebSession.build", List.of("session_id", "session_date", "hotel_code", "guest_id",
        "anonymous_id", "platform", "session_start", "session_end", "duration_seconds", "event_count", "page_views",
        "funnel_step", "booking_code", "revenue"));
    Columns.require(bookings, "FactWebSession.build (bookings)", List.of("booking_code", "booking_id"));
    Dataset<Row> byCode = bookings.where(col("booking_code").isNotNull())
        .groupBy(col("booking_code").as("_code")).agg(max("booking_id").as("booking_id"));
    Dataset<Row> hotelIds = broadcast(dimHotel.where(col("hotel_code").isNotNull())
        .groupBy(col("hotel_code").as("_hotel_code")).agg(max("hotel_id").as("hotel_id")));
    Dataset<Row> linked = sessions
        .join(byCode, sessions.col("booking_code").equalTo(byCode.col("_code")), "left").drop("_code")
        .join(hotelIds, sessions.col("hotel_code").equalTo(hotelIds.col("_hotel_code")), "left").drop("_hotel_code");
    List<Column> out = new ArrayList<>(List.of(
        col("session_id"), Keys.ofDate(col("session_date")).as("date_key"), col("session_date"), col("hotel_key"),
        Keys.ofId("guest", col("guest_id").cast("bigint")).as("guest_key"), col("anonymous_id"), col("platform"),
        col("session_start"), col("session_end"), col("duration_seconds"), col("event_count"), col("page_views"),
        col("funnel_step")));
    for (int i = 0; i < Funnel.STEP_COLUMNS.size(); i++) {
      out.add(col("funnel_step").geq(i + 1).as(Funnel.STEP_COLUMNS.get(i)));
    }
    out.addAll(List.of(col("booking_code"), col("booking_id"), col("revenue")));
    return HotelLookup.withHotelKey(linked, "hotel_id", "session_date", dimHotel).select(out.toArray(new Column[0]));
  }
}
