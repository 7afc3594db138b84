package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.extract.TableResult;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** What the lake table does with deletes and schema changes at the source. */
class LakeTableTest {

  private static void bookingWithStays(Connection c) throws Exception {
    Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) VALUES (1, 'A')");
    Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
        + " checkout_date, total_amount) VALUES (1, 'TRB-1', 1, 1, 'web', 'reserved', '2026-12-01', '2026-12-03', 2000)");
    Extracts.execute(c, "INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date,"
        + " adults, nightly_rate) SELECT s, 1, 1, '2026-12-01', '2026-12-03', 2, 1000 FROM generate_series(1, 3) s");
  }

  @Test
  void flagsHardDeletedRowsAndRevivesAKeyThatComesBack() throws Exception {
    Scenario s = TestPlatform.get().newScenario("deletes");
    Extracts.createContractSchemas(s);
    String everyRun = "sources.booking.tables.\"crs.room_stay\".detect-deletes-every = 0s";
    try (Connection c = s.booking()) {
      bookingWithStays(c);
    }
    Extracts.runOne(s, everyRun, "crs.room_stay");
    try (Connection c = s.booking()) {
      // The application's "change stay": delete the old rows, insert new ones. Nothing records the delete.
      Extracts.execute(c, "DELETE FROM crs.room_stay WHERE room_stay_id IN (2, 3)");
      Extracts.execute(c, "INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date,"
          + " adults, nightly_rate) VALUES (4, 1, 2, '2026-12-01', '2026-12-04', 2, 1200)");
    }
    TableResult second = Extracts.runOne(s, everyRun, "crs.room_stay");
    assertEquals(2, second.counts().rowsDeleted(), second.toString());
    Map<Long, Boolean> deleted = Extracts.lake(s, "crs_room_stay").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<Long>getAs("room_stay_id"), r -> r.<Boolean>getAs("_deleted")));
    assertEquals(Map.of(1L, false, 2L, true, 3L, true, 4L, false), deleted, "deleted rows stay, flagged");
    assertEquals(2, Extracts.lake(s, "crs_room_stay").where("_deleted AND _deleted_at IS NOT NULL").count());

    try (Connection c = s.booking()) {
      Extracts.execute(c, "INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date,"
          + " adults, nightly_rate) VALUES (2, 1, 1, '2026-12-01', '2026-12-03', 3, 1000)");
    }
    Extracts.runOne(s, everyRun, "crs.room_stay");
    Row revived = Extracts.lake(s, "crs_room_stay").where("room_stay_id = 2").select("adults", "_deleted", "_deleted_at").first();
    assertEquals("[3,false,null]", revived.toString());
  }

  @Test
  void deletesAreNotReconciledBeforeTheConfiguredInterval() throws Exception {
    Scenario s = TestPlatform.get().newScenario("deletes_interval");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookingWithStays(c);
    }
    Extracts.runOne(s, "", "crs.room_stay");
    try (Connection c = s.booking()) {
      Extracts.execute(c, "DELETE FROM crs.room_stay WHERE room_stay_id = 3");
    }
    TableResult second = Extracts.runOne(s, "", "crs.room_stay");
    assertEquals(0, second.counts().rowsDeleted(), "the default interval is one day");
    assertEquals(0, Extracts.lake(s, "crs_room_stay").where("_deleted").count());
  }

  @Test
  void newSourceColumnFlowsIntoTheLakeTable() throws Exception {
    Scenario s = TestPlatform.get().newScenario("new_column");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookingWithStays(c);
    }
    Extracts.runOne(s, "", "crs.booking");
    try (Connection c = s.booking()) {
      Extracts.execute(c, "ALTER TABLE crs.booking ADD COLUMN loyalty_points integer");
      Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
          + " checkout_date, total_amount, loyalty_points) VALUES (2, 'TRB-2', 1, 1, 'app', 'reserved', '2026-12-05',"
          + " '2026-12-06', 900, 120)");
    }
    TableResult second = Extracts.runOne(s, "", "crs.booking");
    assertTrue(second.succeeded(), second.toString());
    List<Row> rows = Extracts.lake(s, "crs_booking").orderBy("booking_id").select("booking_id", "loyalty_points").collectAsList();
    assertEquals("[[1,null], [2,120]]", rows.toString());
    assertEquals("int", Extracts.lake(s, "crs_booking").schema().apply("loyalty_points").dataType().simpleString());
  }

  @Test
  void lossyTypeChangeStopsThatTableWithTheTypesAndLeavesOthersRunning() throws Exception {
    Scenario s = TestPlatform.get().newScenario("lossy_type");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookingWithStays(c);
    }
    Extracts.run(s, "", "crs.booking", "crm.guest");
    long versionBefore = TestPlatform.get().spark().sql("DESCRIBE HISTORY lake_" + s.id() + ".crs_booking").count();
    try (Connection c = s.booking()) {
      Extracts.execute(c, "ALTER TABLE crs.booking ALTER COLUMN total_amount TYPE numeric(14,4)");
      Extracts.execute(c, "UPDATE crs.booking SET total_amount = 2000.1234");
      Extracts.execute(c, "UPDATE crm.guest SET full_name = 'B'");
    }
    List<TableResult> results = Extracts.run(s, "", "crs.booking", "crm.guest");
    TableResult booking = results.get(0);
    assertEquals("Cannot extract booking.crs.booking: column total_amount changed type at the source to numeric(14,4)"
        + " (DECIMAL(14,4)), which the lake column lake_" + s.id() + ".crs_booking.total_amount of type DECIMAL(12,2)"
        + " cannot hold without losing data. Nothing was written for this table; the other tables carry on."
        + " Widen the lake column, or drop the lake table and its checkpoint to reload it.", booking.error().orElseThrow());
    assertTrue(results.get(1).succeeded(), "crm.guest still runs: " + results.get(1));
    assertEquals(1, results.get(1).counts().rowsMerged());
    assertEquals(versionBefore, TestPlatform.get().spark().sql("DESCRIBE HISTORY lake_" + s.id() + ".crs_booking").count(),
        "the lake table was not touched");
    assertEquals("2000.00", Extracts.lake(s, "crs_booking").select("total_amount").first().get(0).toString());
  }
}
