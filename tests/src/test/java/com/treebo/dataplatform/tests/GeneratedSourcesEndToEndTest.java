package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.synthetic.SyntheticSources;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The whole extract over generated sources, as the nightly job runs it: a full load, a day of
 * application activity (updates, inserts, re-planned stays that hard-delete rows, payments), an
 * incremental load with delete reconciliation; then every lake table holds exactly the source's
 * keys, live, and the keys the source lost, flagged deleted.
 */
class GeneratedSourcesEndToEndTest {
  private static final Map<String, String> KEYS = Map.of(
      "crm.guest", "guest_id", "crs.booking", "booking_id", "crs.room_stay", "room_stay_id",
      "billing.payment", "payment_id", "catalog.city", "city_id", "catalog.hotel", "hotel_id",
      "catalog.room_type", "room_type_id", "catalog.hotel_room_type", "hotel_id * 100000 + room_type_id");

  @Test
  void lakeHoldsExactlyTheSourceRowsAfterAFullAndAnIncrementalRun() throws Exception {
    Scenario s = TestPlatform.get().newScenario("generated");
    try (Connection b = s.booking(); Connection i = s.inventory()) {
      SyntheticSources.createSchema(b, i);
      SyntheticSources.generate(b, i, 3000, 7);
    }
    List<TableResult> first = Extracts.run(s, "");
    assertTrue(first.stream().allMatch(TableResult::succeeded), first.toString());
    List<Long> beforeKeys;
    try (Connection b = s.booking()) {
      beforeKeys = keys(b, "crs.room_stay");
    }
    try (Connection b = s.booking(); Connection i = s.inventory()) {
      SyntheticSources.mutate(b, i, 0.02, 7, 1);
    }
    var config = s.config("");
    try (var platform = new com.treebo.dataplatform.jobs.runtime.Platform(config, TestPlatform.get().runtime(), "e2e")) {
      List<TableResult> second = com.treebo.dataplatform.jobs.extract.ExtractJob.run(platform,
          com.treebo.dataplatform.jobs.extract.ExtractJob.select(config, List.of()), true);
      assertTrue(second.stream().allMatch(TableResult::succeeded), second.toString());
    }

    SparkSession spark = TestPlatform.get().spark();
    for (Map.Entry<String, String> table : KEYS.entrySet()) {
      String name = table.getKey();
      List<Long> source;
      try (Connection c = name.startsWith("catalog.") ? s.inventory() : s.booking()) {
        source = keys(c, name);
      }
      Dataset<Row> lake = Extracts.lake(s, name.replace('.', '_')).where("NOT _deleted").selectExpr("CAST(" + table.getValue() + " AS BIGINT) AS k");
      assertSameRows(asKeys(spark, source), lake);
    }
    List<Long> gone = new ArrayList<>(beforeKeys);
    try (Connection b = s.booking()) {
      gone.removeAll(keys(b, "crs.room_stay"));
    }
    assertTrue(gone.size() > 0, "the day of activity re-planned some stays");
    assertSameRows(asKeys(spark, gone), Extracts.lake(s, "crs_room_stay").where("_deleted").selectExpr("room_stay_id AS k"));

    // Content, not just keys: every booking's changing columns equal the source's.
    List<Row> bookings = new ArrayList<>();
    try (Connection b = s.booking(); ResultSet rs = b.createStatement().executeQuery(
        "SELECT booking_id, status::text, total_amount::text, cancelled_at IS NULL FROM crs.booking")) {
      while (rs.next()) {
        bookings.add(RowFactory.create(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
      }
    }
    StructType schema = new StructType().add("booking_id", DataTypes.LongType).add("status", DataTypes.StringType)
        .add("total_amount", DataTypes.StringType).add("open", DataTypes.BooleanType);
    assertSameRows(spark.createDataFrame(bookings, schema), Extracts.lake(s, "crs_booking")
        .selectExpr("booking_id", "status", "CAST(total_amount AS STRING) AS total_amount", "cancelled_at IS NULL AS open"));
    assertEquals(0, Extracts.lake(s, "crs_booking").where("_deleted").count());
  }

  private static List<Long> keys(Connection c, String table) throws Exception {
    List<Long> keys = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT (" + KEYS.get(table) + ")::bigint FROM " + table)) {
      while (rs.next()) {
        keys.add(rs.getLong(1));
      }
    }
    return keys;
  }

  private static Dataset<Row> asKeys(SparkSession spark, List<Long> keys) {
    List<Row> rows = keys.stream().map(k -> RowFactory.create(k)).toList();
    return spark.createDataFrame(rows, new StructType().add("k", DataTypes.LongType));
  }
}
