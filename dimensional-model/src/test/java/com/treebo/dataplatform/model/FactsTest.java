package com.treebo.dataplatform.model;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;

import com.treebo.dataplatform.transforms.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class FactsTest {
  private static SparkSession spark() {
    return TestSpark.get();
  }

  /** Hotel 1: version 1 until 2026-03-10, version 2 from then on (by keys 11 and 12). */
  private static Dataset<Row> hotels() {
    return spark().sql("SELECT * FROM VALUES (11L, 1, 'H1', DATE'1900-01-01', DATE'2026-03-10'),"
        + " (12L, 1, 'H1', DATE'2026-03-10', DATE'9999-12-31') AS t(hotel_key, hotel_id, hotel_code, effective_from, effective_to)");
  }

  private static Dataset<Row> stays(String values) {
    return spark().sql("SELECT room_stay_id, booking_id, room_type_id, CAST(checkin_date AS DATE) AS checkin_date,"
        + " CAST(checkout_date AS DATE) AS checkout_date, CAST(adults AS SMALLINT) AS adults, CAST(0 AS SMALLINT) AS children,"
        + " CAST(rate AS DECIMAL(10,2)) AS nightly_rate FROM VALUES " + values
        + " AS t(room_stay_id, booking_id, room_type_id, checkin_date, checkout_date, adults, rate)");
  }

  private static Dataset<Row> bookings() {
    return spark().sql("SELECT * FROM VALUES (100L, 1, 7L, 'web', 'confirmed') AS t(booking_id, hotel_id, guest_id, channel, status)");
  }

  @Test
  void aStayBecomesOneRowPerNightWithTheHotelVersionOfThatNight() {
    Dataset<Row> nights = FactRoomNight.build(stays("(1L, 100L, 3, '2026-03-08', '2026-03-11', 2, 2500.00),"
        + " (2L, 999L, 3, '2026-03-01', '2026-03-02', 1, 0.00)"), bookings(), hotels(), 366);
    Dataset<Row> keys = spark().sql("SELECT 1");
    long guest = keys.select(Keys.ofId("guest", org.apache.spark.sql.functions.lit(7L))).first().getLong(0);
    assertSameRows(spark().sql("SELECT * FROM VALUES"
            + " (1L, '2026-03-08', 20260308, 11L, " + guest + "L, CAST(2500.00 AS DECIMAL(10,2)), CAST(NULL AS STRING)),"
            + " (1L, '2026-03-09', 20260309, 11L, " + guest + "L, CAST(2500.00 AS DECIMAL(10,2)), NULL),"
            + " (1L, '2026-03-10', 20260310, 12L, " + guest + "L, CAST(2500.00 AS DECIMAL(10,2)), NULL),"
            + " (2L, '2026-03-01', 20260301, -1L, -1L, CAST(0.00 AS DECIMAL(10,2)), 'booking not in the lake yet, rate not positive')"
            + " AS t(room_stay_id, stay_date, date_key, hotel_key, guest_key, nightly_rate, dq_flags)"),
        nights.selectExpr("room_stay_id", "CAST(stay_date AS STRING) AS stay_date", "date_key", "hotel_key", "guest_key",
            "nightly_rate", "dq_flags"));
  }

  @Test
  void aStayOfMoreNightsThanAllowedIsQuarantinedNotExploded() {
    Dataset<Row> odd = stays("(3L, 100L, 3, '1970-01-01', '2100-02-28', 2, 100.00), (4L, 100L, 3, '2026-03-01', '2026-03-03', 2, 100.00)");
    assertSameRows(spark().sql("SELECT 3L AS room_stay_id, 'stay of 47540 nights, more than model.max-stay-nights = 366' AS reason"),
        FactRoomNight.unplaceable(odd, 366).select("room_stay_id", "reason"));
    assertSameRows(spark().sql("SELECT * FROM VALUES (4L), (4L) AS t(room_stay_id)"),
        FactRoomNight.build(odd, bookings(), hotels(), 366).select("room_stay_id"));
  }

  @Test
  void changesHoldOnlyNewDifferentAndVanishedRows() {
    Dataset<Row> stored = spark().sql("SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, NULL) AS t(k, v)");
    Dataset<Row> recomputed = spark().sql("SELECT * FROM VALUES (1, 'a'), (2, 'B'), (4, NULL), (5, 'e') AS t(k, v)");
    assertSameRows(spark().sql("SELECT * FROM VALUES (2, 'B', false, 'upsert'), (5, 'e', true, 'upsert'), (3, 'c', false, 'delete')"
        + " AS t(k, v, _new, _op)"), Changes.of(recomputed, stored, List.of("k")));
  }
}
