package com.treebo.dataplatform.model;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.treebo.dataplatform.transforms.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class DimHotelTest {
  private static SparkSession spark() {
    return TestSpark.get();
  }

  private static Dataset<Row> hotels(String values) {
    return Versions.collapse(spark().sql("SELECT hotel_id, hotel_name, city_id, category, CAST(stars AS DECIMAL(2,1)) AS star_rating,"
        + " is_active, CAST(seen AS TIMESTAMP) AS seen FROM VALUES " + values
        + " AS t(hotel_id, hotel_name, city_id, category, stars, is_active, seen)"), List.of("hotel_id"), DimHotel.HOTEL_TRACKED, "seen");
  }

  private static Dataset<Row> cities(String values) {
    return Versions.collapse(spark().sql("SELECT city_id, city_name, state_name, region, CAST(seen AS TIMESTAMP) AS seen FROM VALUES "
        + values + " AS t(city_id, city_name, state_name, region, seen)"), List.of("city_id"), DimHotel.CITY_TRACKED, "seen");
  }

  private static Dataset<Row> current(String values) {
    return spark().sql("SELECT hotel_id, hotel_code, CAST(NULL AS DATE) AS opened_on, '12:00:00' AS checkin_time, deleted AS _deleted,"
        + " CAST(deleted_at AS TIMESTAMP) AS _deleted_at FROM VALUES " + values + " AS t(hotel_id, hotel_code, deleted, deleted_at)");
  }

  @Test
  void aCityRenameIsAVersionOfEveryHotelInItAndDatesFollowTheEndOfDayRule() {
    // Times are UTC; 20:00 UTC is 01:30 the next day in Kolkata.
    Dataset<Row> dim = DimHotel.build(
        hotels("(1, 'Treebo Oak', 10, 'budget', 3.0, true, '2026-01-01 02:00:00'),"
            + " (1, 'Treebo Oak', 10, 'premium', 3.0, true, '2026-02-01 20:00:00'),"
            + " (2, 'Treebo Elm', 10, 'trend', NULL, true, '2026-01-01 02:00:00')"),
        cities("(10, 'Bangalore', 'Karnataka', 'south', '2026-01-01 02:05:00'), (10, 'Bengaluru', 'Karnataka', 'south', '2026-03-01 02:05:00')"),
        current("(1, 'BLR-OAK', false, NULL), (2, 'BLR-ELM', true, '2026-04-01 02:00:00')"),
        spark().sql("SELECT * FROM VALUES (1), (2), (3) AS t(hotel_id)"));
    Dataset<Row> versions = dim.selectExpr("hotel_id", "hotel_code", "category", "city_name", "CAST(valid_from AS STRING)",
        "CAST(valid_to AS STRING)", "is_current", "CAST(effective_from AS STRING)", "CAST(effective_to AS STRING)", "is_inferred");
    assertSameRows(spark().sql("SELECT * FROM VALUES"
        + " (1, 'BLR-OAK', 'budget', 'Bangalore', '2026-01-01 02:00:00', '2026-02-01 20:00:00', false, '1900-01-01', '2026-02-02', false),"
        + " (1, 'BLR-OAK', 'premium', 'Bangalore', '2026-02-01 20:00:00', '2026-03-01 02:05:00', false, '2026-02-02', '2026-03-01', false),"
        + " (1, 'BLR-OAK', 'premium', 'Bengaluru', '2026-03-01 02:05:00', '9999-12-31 00:00:00', true, '2026-03-01', '9999-12-31', false),"
        + " (2, 'BLR-ELM', 'trend', 'Bangalore', '2026-01-01 02:00:00', '2026-03-01 02:05:00', false, '1900-01-01', '2026-03-01', false),"
        + " (2, 'BLR-ELM', 'trend', 'Bengaluru', '2026-03-01 02:05:00', '2026-04-01 02:00:00', false, '2026-03-01', '9999-12-31', false),"
        + " (3, NULL, NULL, NULL, '1900-01-01 00:00:00', '9999-12-31 00:00:00', true, '1900-01-01', '9999-12-31', true),"
        + " (NULL, NULL, NULL, NULL, '1900-01-01 00:00:00', '9999-12-31 00:00:00', true, '1900-01-01', '9999-12-31', false)"
        + " AS t(hotel_id, hotel_code, category, city_name, valid_from, valid_to, is_current, effective_from, effective_to, is_inferred)"),
        versions);
    assertEquals(0, dim.groupBy("hotel_key").count().where("count > 1").count(), "keys unique");
  }

  @Test
  void anInferredMemberKeepsItsKeyWhenTheHotelArrives() {
    Dataset<Row> before = DimHotel.build(hotels("(1, 'A', 10, 'budget', 3.0, true, '2026-01-01 02:00:00')"),
        cities("(10, 'Pune', 'Maharashtra', 'west', '2026-01-01 02:00:00')"), current("(1, 'PNQ-A', false, NULL)"),
        spark().sql("SELECT * FROM VALUES (1), (7) AS t(hotel_id)"));
    Dataset<Row> after = DimHotel.build(hotels("(1, 'A', 10, 'budget', 3.0, true, '2026-01-01 02:00:00'),"
            + " (7, 'B', 10, 'premium', 4.0, true, '2026-01-05 02:00:00')"),
        cities("(10, 'Pune', 'Maharashtra', 'west', '2026-01-01 02:00:00')"), current("(1, 'PNQ-A', false, NULL), (7, 'PNQ-B', false, NULL)"),
        spark().sql("SELECT * FROM VALUES (1), (7) AS t(hotel_id)"));
    Row inferred = before.where("hotel_id = 7").select("hotel_key", "is_inferred").first();
    Row real = after.where("hotel_id = 7").select("hotel_key", "is_inferred", "hotel_code").first();
    assertEquals(inferred.getLong(0), real.getLong(0));
    assertEquals(List.of(true, false, "PNQ-B"), List.of(inferred.getBoolean(1), real.getBoolean(1), real.getString(2)));
    assertEquals(0, DimHotel.lookupChanges(before, after).count(), "filling the member in re-keys no fact");
  }
}
