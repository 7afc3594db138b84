package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code fact_booking}, an accumulating snapshot, grain: one row per booking ({@code booking_id}),
 * rewritten as the booking moves on. Milestone date keys (hotel-local dates): {@code created} (of
 * {@code created_at}), {@code confirmed} (the first time the platform saw the booking confirmed or
 * later), {@code checkin}, {@code checkout}, {@code cancelled} (of {@code cancelled_at}); unknown
 * (-1) until reached. Measures: {@code lead_time_days} (check-in minus creation date),
 * {@code nights}, {@code rooms} (live room stays), {@code total_amount}; the current status, channel,
 * guest, and the hotel version in effect on the check-in date; and the milestone instants
 * {@code created_at}, {@code confirmed_at}, {@code cancelled_at}.
 *
 * <p>Needs {@code bookings} (live rows of lake.crs_booking: {@code booking_id, booking_code,
 * hotel_id, guest_id, channel, status, checkin_date, checkout_date, total_amount, currency,
 * cancelled_at, created_at}), {@code rooms} ({@code booking_id, rooms}), {@code confirmed}
 * ({@code booking_id, confirmed_at}: see {@link #confirmedAt}) and {@code dim_hotel}. Returns
 * {@link #COLUMNS}. Cost: two shuffle joins by booking_id (rooms, confirmed), a broadcast lookup.
 */
public final class FactBooking {
  public static final List<String> GRAIN = List.of("booking_id");
  public static final List<String> COLUMNS = List.of("booking_id", "booking_code", "created_date_key", "confirmed_date_key",
      "checkin_date_key", "checkout_date_key", "cancelled_date_key", "hotel_key", "guest_key", "channel_key",
      "booking_status_key", "lead_time_days", "nights", "rooms", "total_amount", "currency", "created_at", "confirmed_at",
      "cancelled_at", "dq_flags");
  static final List<String> BOOKING_COLUMNS = List.of("booking_id", "booking_code", "hotel_id", "guest_id", "channel", "status",
      "checkin_date", "checkout_date", "total_amount", "currency", "cancelled_at", "created_at");
  /** Statuses at or past confirmation. */
  static final List<String> CONFIRMED_OR_LATER = List.of("confirmed", "checked_in", "checked_out");

  private FactBooking() {}

  public static Dataset<Row> build(Dataset<Row> bookings, Dataset<Row> rooms, Dataset<Row> confirmed, Dataset<Row> dimHotel) {
    Columns.require(bookings, "FactBooking.build (bookings)", BOOKING_COLUMNS);
    Columns.require(rooms, "FactBooking.build (rooms)", List.of("booking_id", "rooms"));
    Columns.require(confirmed, "FactBooking.build (confirmed)", List.of("booking_id", "confirmed_at"));
    Dataset<Row> r = rooms.select(col("booking_id").as("_r_booking_id"), col("rooms"));
    Dataset<Row> c = confirmed.select(col("booking_id").as("_c_booking_id"), col("confirmed_at"));
    Dataset<Row> joined = bookings
        .join(r, bookings.col("booking_id").equalTo(r.col("_r_booking_id")), "left")
        .join(c, bookings.col("booking_id").equalTo(c.col("_c_booking_id")), "left")
        .withColumn("created_date", TimeZones.kolkataDate(col("created_at")));
    return HotelLookup.withHotelKey(joined, "hotel_id", "checkin_date", dimHotel).select(
        col("booking_id"), col("booking_code"),
        Keys.ofDate(col("created_date")).as("created_date_key"),
        Keys.ofDate(TimeZones.kolkataDate(col("confirmed_at"))).as("confirmed_date_key"),
        Keys.ofDate(col("checkin_date")).as("checkin_date_key"),
        Keys.ofDate(col("checkout_date")).as("checkout_date_key"),
        Keys.ofDate(TimeZones.kolkataDate(col("cancelled_at"))).as("cancelled_date_key"),
        col("hotel_key"), Keys.ofId("guest", col("guest_id")).as("guest_key"),
        Keys.ofText("channel", col("channel")).as("channel_key"),
        Keys.ofText("booking_status", col("status")).as("booking_status_key"),
        datediff(col("checkin_date"), col("created_date")).as("lead_time_days"),
        datediff(col("checkout_date"), col("checkin_date")).as("nights"),
        coalesce(col("rooms"), lit(0L)).as("rooms"), col("total_amount"), col("currency"), col("created_at"),
        col("confirmed_at"), col("cancelled_at"),
        Flags.of(Flags.flag("created after check-in", col("checkin_date").lt(col("created_date"))),
            Flags.flag("amount not positive", col("total_amount").leq(0)),
            Flags.flag("no room stays", coalesce(col("rooms"), lit(0L)).equalTo(0))));
  }

  /**
   * When each booking was first seen confirmed or later: the earliest {@code updated_at} among
   * {@code versions} (raw-zone rows of crs.booking: {@code booking_id, status, updated_at}) whose
   * status is {@code confirmed}, {@code checked_in} or {@code checked_out}. Night by night, the
   * earliest stays the earliest; from the whole raw zone it is the same instant. Returns
   * {@code booking_id, confirmed_at}; one aggregation by booking_id.
   */
  public static Dataset<Row> confirmedAt(Dataset<Row> versions) {
    Columns.require(versions, "FactBooking.confirmedAt", List.of("booking_id", "status", "updated_at"));
    return versions.where(col("status").isin(CONFIRMED_OR_LATER.toArray()))
        .groupBy("booking_id").agg(org.apache.spark.sql.functions.min("updated_at").as("confirmed_at"));
  }
}
