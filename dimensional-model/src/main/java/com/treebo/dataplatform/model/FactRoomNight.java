package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;

import com.treebo.dataplatform.transforms.Columns;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code fact_room_night}, grain: one row per room stay per night it holds ({@code room_stay_id},
 * {@code stay_date}): a {@code crs.room_stay} exploded over {@code [checkin_date, checkout_date)},
 * with its booking's hotel, guest, channel and status, and its nightly rate as the night's revenue.
 * All statuses are kept (the reports filter); a stay deleted at the source has no nights.
 *
 * <p>Needs {@code stays} (live rows of lake.crs_room_stay: {@code room_stay_id, booking_id,
 * room_type_id, checkin_date, checkout_date, adults, children, nightly_rate}), {@code bookings}
 * (live rows of lake.crs_booking: {@code booking_id, hotel_id, guest_id, channel, status}) and
 * {@code dim_hotel}. Returns {@link #COLUMNS}. Keys of guest, room type, channel and status are
 * computed from natural keys ({@link Keys}); the hotel's is the version in effect on the stay date.
 * A stay whose booking is not in the lake yet is kept with unknown hotel, guest, channel and status
 * and flagged; it is rebuilt when the booking arrives. Stays longer than {@code maxNights} are not
 * placed: see {@link #unplaceable}. Cost: the explode, one shuffle join with the bookings (by
 * booking_id), a broadcast hotel lookup.
 */
public final class FactRoomNight {
  public static final List<String> GRAIN = List.of("room_stay_id", "stay_date");
  public static final List<String> COLUMNS = List.of("room_stay_id", "stay_date", "date_key", "booking_id", "hotel_key",
      "room_type_key", "guest_key", "channel_key", "booking_status_key", "nightly_rate", "adults", "children", "dq_flags");
  static final List<String> STAY_COLUMNS = List.of("room_stay_id", "booking_id", "room_type_id", "checkin_date",
      "checkout_date", "adults", "children", "nightly_rate");
  static final List<String> BOOKING_COLUMNS = List.of("booking_id", "hotel_id", "guest_id", "channel", "status");

  private FactRoomNight() {}

  public static Dataset<Row> build(Dataset<Row> stays, Dataset<Row> bookings, Dataset<Row> dimHotel, int maxNights) {
    Columns.require(stays, "FactRoomNight.build (stays)", STAY_COLUMNS);
    Columns.require(bookings, "FactRoomNight.build (bookings)", BOOKING_COLUMNS);
    Dataset<Row> nights = placeable(stays, maxNights)
        .withColumn("stay_date", explode(sequence(col("checkin_date"), date_sub(col("checkout_date"), 1))));
    Dataset<Row> b = bookings.select(col("booking_id").as("_b_booking_id"), col("hotel_id"), col("guest_id"), col("channel"),
        col("status"));
    Dataset<Row> joined = nights.join(b, nights.col("booking_id").equalTo(b.col("_b_booking_id")), "left");
    return HotelLookup.withHotelKey(joined, "hotel_id", "stay_date", dimHotel).select(
        col("room_stay_id"), col("stay_date"), Keys.ofDate(col("stay_date")).as("date_key"), col("booking_id"),
        col("hotel_key"), Keys.ofId("room_type", col("room_type_id")).as("room_type_key"),
        Keys.ofId("guest", col("guest_id")).as("guest_key"), Keys.ofText("channel", col("channel")).as("channel_key"),
        Keys.ofText("booking_status", col("status")).as("booking_status_key"), col("nightly_rate"), col("adults"),
        col("children"),
        Flags.of(Flags.flag("booking not in the lake yet", col("_b_booking_id").isNull()),
            Flags.flag("rate not positive", col("nightly_rate").leq(0))));
  }

  /**
   * The stays that cannot be placed as nights, with a {@code reason}: more nights than
   * {@code maxNights} (a check-out years after the check-in is a data error; exploding it would add
   * a row per night), or no nights at all.
   */
  public static Dataset<Row> unplaceable(Dataset<Row> stays, int maxNights) {
    Columns.require(stays, "FactRoomNight.unplaceable", STAY_COLUMNS);
    Dataset<Row> n = stays.withColumn("_nights", datediff(col("checkout_date"), col("checkin_date")));
    return n.where(col("_nights").gt(maxNights).or(col("_nights").leq(0)).or(col("_nights").isNull()))
        .select(col("room_stay_id"), col("booking_id"), col("checkin_date"), col("checkout_date"),
            org.apache.spark.sql.functions.when(col("_nights").gt(maxNights),
                org.apache.spark.sql.functions.concat(lit("stay of "), col("_nights").cast("string"),
                    lit(" nights, more than model.max-stay-nights = " + maxNights)))
                .otherwise(lit("check-out not after check-in")).as("reason"));
  }

  private static Dataset<Row> placeable(Dataset<Row> stays, int maxNights) {
    Dataset<Row> n = stays.withColumn("_nights", datediff(col("checkout_date"), col("checkin_date")));
    return n.where(col("_nights").between(1, maxNights)).drop("_nights");
  }
}
