package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.extract.TableResult;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every type of the source contract survives source → raw Parquet → Delta lake table unchanged. */
class ContractTypesTest {
  private static Scenario scenario;

  @BeforeAll
  static void extractEveryTable() throws Exception {
    scenario = TestPlatform.get().newScenario("types");
    Extracts.createContractSchemas(scenario);
    try (Connection b = scenario.booking(); Connection i = scenario.inventory()) {
      Extracts.execute(i, "INSERT INTO catalog.city VALUES (1, 'ಬೆಂಗಳೂರು', 'Karnataka', 'south'), (2, '', 'मुंबई 😀', 'west')");
      Extracts.execute(i, "INSERT INTO catalog.hotel (hotel_id, hotel_code, hotel_name, city_id, category, star_rating, opened_on,"
          + " checkin_time, is_active, created_at, updated_at) VALUES"
          + " (1, 'BLR-INDIRANAGAR-01', 'Treebo Trend Akshaya', 1, 'trend', 4.5, '2019-04-01', '13:30:15.25', true,"
          + "  '1999-12-31 23:59:59.999999+05:30', '2026-11-20 10:00:00.000001+00'),"
          + " (2, 'BOM-ANDHERI-01', 'Partner', 2, 'partner', NULL, NULL, '12:00', false, '1969-07-20 20:17:40+00', now())");
      Extracts.execute(i, "INSERT INTO catalog.room_type VALUES (1, 'oak', NULL, 3, now()), (2, 'maple', '', 2, now())");
      Extracts.execute(i, "INSERT INTO catalog.hotel_room_type VALUES (1, 1, 0, 9999999.99, now()), (1, 2, 32767, 0.01, now())");
      Extracts.execute(b, "INSERT INTO crm.guest (guest_id, full_name, email, phone, home_city, is_corporate) VALUES"
          + " (9223372036854775807, 'Asha Rao', ' Asha.Rao@Example.com ', '+91 98450 12345', '', true)");
      Extracts.execute(b, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
          + " checkout_date, total_amount, currency, attributes, cancelled_at) VALUES"
          + " (1, 'TRB-8H2K9Q', 1, 9223372036854775807, 'web', 'no_show', '1970-01-01', '2100-02-28', 9999999999.99, 'INR',"
          + "  '{\"utm_source\": \"google\", \"note\": \"ಹೋಟೆಲ್\", \"nested\": {\"a\": [1, 2.5, null]}}', '2026-11-20 08:32:12.004+05:30'),"
          + " (2, 'TRB-000002', 1, 9223372036854775807, 'corporate', 'cancelled', '2026-12-01', '2026-12-02', -0.01, 'US ',"
          + "  NULL, NULL)");
      Extracts.execute(b, "INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date, adults,"
          + " children, nightly_rate) VALUES (1, 1, 1, '1970-01-01', '2100-02-28', 32767, -32768, 12345678.90)");
      Extracts.execute(b, "INSERT INTO billing.payment (booking_id, amount, method, gateway_ref, paid_at) VALUES"
          + " (1, -4598.00, 'upi', NULL, '2026-11-20 09:15:42.123456+00'), (1, 0.00, 'card', '', '2026-11-20 09:15:43+00')");
    }
    List<TableResult> results = Extracts.run(scenario, "");
    assertTrue(results.stream().allMatch(TableResult::succeeded), results.toString());
  }

  private static String rows(String table, String... columns) {
    Dataset<Row> lake = Extracts.lake(scenario, table);
    return lake.selectExpr(columns).orderBy(columns[0]).collectAsList().stream().map(Row::toString).collect(Collectors.joining("\n"));
  }

  private static String schema(String table, String... columns) {
    Dataset<Row> lake = Extracts.lake(scenario, table);
    return Arrays.stream(columns).map(c -> c + ":" + lake.schema().apply(c).dataType().simpleString()).collect(Collectors.joining(" "));
  }

  @Test
  void nonAsciiTextAndEmptyStringStayDistinctFromNull() {
    assertEquals("[1,ಬೆಂಗಳೂರು,Karnataka,south]\n[2,,मुंबई 😀,west]", rows("catalog_city", "city_id", "city_name", "state_name", "region"));
    assertEquals("[1,null]\n[2,]", rows("catalog_room_type", "room_type_id", "description"));
    assertEquals("[1,null]\n[2,]", rows("billing_payment", "payment_id", "gateway_ref"));
  }

  @Test
  void numericsKeepPrecisionAndScale() {
    assertEquals("total_amount:decimal(12,2) star_rating:decimal(2,1) base_rate:decimal(10,2)",
        schema("crs_booking", "total_amount") + " " + schema("catalog_hotel", "star_rating") + " " + schema("catalog_hotel_room_type", "base_rate"));
    assertEquals("[1,9999999999.99]\n[2,-0.01]", rows("crs_booking", "booking_id", "total_amount"));
    assertEquals("[1,4.5]\n[2,null]", rows("catalog_hotel", "hotel_id", "star_rating"));
    assertEquals("[1,32767,-32768,12345678.90]", rows("crs_room_stay", "room_stay_id", "adults", "children", "nightly_rate"));
    assertEquals("[1,0,9999999.99]\n[2,32767,0.01]", rows("catalog_hotel_room_type", "room_type_id", "room_count", "base_rate"));
    assertEquals("[9223372036854775807]", rows("crm_guest", "guest_id"));
  }

  @Test
  void timestamptzIsTheSameInstantAndDatesAreUnshifted() {
    assertEquals("[1,2026-11-20T03:02:12.004Z]\n[2,null]", rows("crs_booking", "booking_id", "date_format(cancelled_at, \"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")"));
    assertEquals("[1,1999-12-31 18:29:59.999999,2026-11-20 10:00:00.000001]",
        rows("catalog_hotel", "hotel_id", "date_format(created_at, 'yyyy-MM-dd HH:mm:ss.SSSSSS')",
            "date_format(updated_at, 'yyyy-MM-dd HH:mm:ss.SSSSSS')").lines().findFirst().orElseThrow());
    assertEquals("[2,1969-07-20 20:17:40]", rows("catalog_hotel", "hotel_id", "date_format(created_at, 'yyyy-MM-dd HH:mm:ss')").lines().skip(1).findFirst().orElseThrow());
    assertEquals("[1,1970-01-01,2100-02-28]\n[2,2026-12-01,2026-12-02]", rows("crs_booking", "booking_id", "CAST(checkin_date AS STRING)", "CAST(checkout_date AS STRING)"));
    assertEquals("checkin_date:date cancelled_at:timestamp paid_at:timestamp",
        schema("crs_booking", "checkin_date", "cancelled_at") + " " + schema("billing_payment", "paid_at"));
    assertEquals("[1,2026-11-20 09:15:42.123456]\n[2,2026-11-20 09:15:43.000000]",
        rows("billing_payment", "payment_id", "date_format(paid_at, 'yyyy-MM-dd HH:mm:ss.SSSSSS')"));
  }

  @Test
  void enumsJsonbBooleansCharAndTimeKeepTheirSourceText() {
    assertEquals("[1,no_show,INR]\n[2,cancelled,US ]", rows("crs_booking", "booking_id", "status", "currency"));
    assertEquals("[1,trend,13:30:15.25,true,2019-04-01]\n[2,partner,12:00:00,false,null]",
        rows("catalog_hotel", "hotel_id", "category", "checkin_time", "is_active", "CAST(opened_on AS STRING)"));
    assertEquals("[1,google,ಹೋಟೆಲ್,2.5]\n[2,null,null,null]", rows("crs_booking", "booking_id",
        "get_json_object(attributes, '$.utm_source')", "get_json_object(attributes, '$.note')", "get_json_object(attributes, '$.nested.a[1]')"));
    assertEquals("[9223372036854775807,true,]", rows("crm_guest", "guest_id", "is_corporate", "home_city"));
  }

  @Test
  void everyLakeTableOfTheContractIsRegisteredWithSystemColumns() {
    List<String> tables = TestPlatform.get().spark().sql("SHOW TABLES IN lake_" + scenario.id()).where("NOT isTemporary")
        .collectAsList().stream().map(r -> r.getString(1)).sorted().toList();
    assertEquals(List.of("billing_payment", "catalog_city", "catalog_hotel", "catalog_hotel_room_type", "catalog_room_type",
        "crm_guest", "crs_booking", "crs_room_stay"), tables);
    assertEquals("_deleted:boolean _deleted_at:timestamp _seen_at:timestamp _run_id:string",
        schema("catalog_city", "_deleted", "_deleted_at", "_seen_at", "_run_id"));
    Row detail = TestPlatform.get().spark().sql("DESCRIBE DETAIL lake_" + scenario.id() + ".crs_booking").first();
    assertEquals("delta", detail.getAs("format"));
    scala.collection.Map<String, String> properties = detail.getAs("properties");
    assertEquals("true", properties.apply("delta.enableDeletionVectors"));
    assertEquals("booking_id,updated_at,_seen_at,_deleted_at", properties.apply("delta.dataSkippingStatsColumns"));
  }
}
