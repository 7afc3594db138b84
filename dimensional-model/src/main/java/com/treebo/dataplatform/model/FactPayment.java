package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code fact_payment}, grain: one row per ledger entry ({@code payment_id}) of billing.payment, the
 * amount as the source holds it (refunds are negative entries: {@code is_refund}), dated by the
 * hotel-local date it was paid, with its booking's hotel (the version in effect that day) and guest.
 *
 * <p>Needs {@code payments} (lake.billing_payment: {@code payment_id, booking_id, amount, method,
 * paid_at}), {@code bookings} ({@code booking_id, hotel_id, guest_id}) and {@code dim_hotel}.
 * Returns {@link #COLUMNS}; a payment whose booking is not in the lake yet is kept with unknown
 * hotel and guest, and flagged. One shuffle join by booking_id, a broadcast lookup.
 */
public final class FactPayment {
  public static final List<String> GRAIN = List.of("payment_id");
  public static final List<String> COLUMNS = List.of("payment_id", "booking_id", "date_key", "paid_at", "hotel_key", "guest_key",
      "amount", "method", "is_refund", "dq_flags");

  private FactPayment() {}

  public static Dataset<Row> build(Dataset<Row> payments, Dataset<Row> bookings, Dataset<Row> dimHotel) {
    Columns.require(payments, "FactPayment.build (payments)", List.of("payment_id", "booking_id", "amount", "method", "paid_at"));
    Columns.require(bookings, "FactPayment.build (bookings)", List.of("booking_id", "hotel_id", "guest_id"));
    Dataset<Row> b = bookings.select(col("booking_id").as("_b_booking_id"), col("hotel_id"), col("guest_id"));
    Dataset<Row> joined = payments.join(b, payments.col("booking_id").equalTo(b.col("_b_booking_id")), "left")
        .withColumn("paid_date", TimeZones.kolkataDate(col("paid_at")));
    return HotelLookup.withHotelKey(joined, "hotel_id", "paid_date", dimHotel).select(
        col("payment_id"), col("booking_id"), Keys.ofDate(col("paid_date")).as("date_key"), col("paid_at"), col("hotel_key"),
        Keys.ofId("guest", col("guest_id")).as("guest_key"), col("amount"), col("method"), col("amount").lt(0).as("is_refund"),
        Flags.of(Flags.flag("booking not in the lake yet", col("_b_booking_id").isNull())));
  }
}
