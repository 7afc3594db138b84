package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.Locks;
import com.treebo.dataplatform.jobs.extract.ExtractOptions;
import com.treebo.dataplatform.jobs.extract.TableResult;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Source changes that bypass the watermark, and runs that must not step on each other: each test
 * reproduces what went wrong before on a real source and lake.
 */
class ExtractSafetyTest {

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  private static void bookings(Connection c, int n) throws Exception {
    Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) VALUES (1, 'A')");
    Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
        + " checkout_date, total_amount) SELECT b, 'TRB-' || b, 1, 1, 'web', 'reserved', '2026-12-01', '2026-12-03', 2000"
        + " FROM generate_series(1, " + n + ") b");
  }

  @Test
  void aDailyReconciliationRunsEveryNightEvenWhenTheNightStartsAFewSecondsEarlier() throws Exception {
    Scenario s = TestPlatform.get().newScenario("jitter");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookings(c, 1);
      Extracts.execute(c, "INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date,"
          + " adults, nightly_rate) SELECT r, 1, 1, '2026-12-01', '2026-12-03', 2, 1000 FROM generate_series(1, 4) r");
    }
    assertTrue(Extracts.run(s, "", at("2026-11-20T02:00:07Z"), ExtractOptions.DEFAULT, "crs.room_stay").get(0).succeeded());
    try (Connection c = s.booking()) {
      Extracts.execute(c, "DELETE FROM crs.room_stay WHERE room_stay_id = 4");
    }
    TableResult nextNight = Extracts.run(s, "", at("2026-11-21T02:00:03Z"), ExtractOptions.DEFAULT, "crs.room_stay").get(0);
    assertEquals(1, nextNight.counts().rowsDeleted(), "one day minus four seconds later is the next night: " + nextNight);
    assertEquals(List.of(4L), Extracts.lake(s, "crs_room_stay").where("_deleted").select("room_stay_id").as(
        org.apache.spark.sql.Encoders.LONG()).collectAsList());

    try (Connection c = s.booking()) {
      Extracts.execute(c, "DELETE FROM crs.room_stay WHERE room_stay_id = 3");
    }
    TableResult rerun = Extracts.run(s, "", at("2026-11-21T05:30:00Z"), ExtractOptions.DEFAULT, "crs.room_stay").get(0);
    assertEquals(0, rerun.counts().rowsDeleted(), "a rerun the same night does not reconcile again");
  }

  @Test
  void aColumnAddedWithADefaultReachesTheRowsAlreadyInTheLake() throws Exception {
    Scenario s = TestPlatform.get().newScenario("default_column");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookings(c, 50);
    }
    Extracts.runOne(s, "", "crs.booking");
    try (Connection c = s.booking()) {
      // Fills every existing row without touching updated_at: no watermark sees it.
      Extracts.execute(c, "ALTER TABLE crs.booking ADD COLUMN source_app text DEFAULT 'web'");
      Extracts.execute(c, "UPDATE crs.booking SET source_app = 'app', status = 'confirmed' WHERE booking_id = 7");
    }
    TableResult second = Extracts.runOne(s, "", "crs.booking");
    assertTrue(second.succeeded(), second.toString());
    Map<String, Long> byApp = Extracts.lake(s, "crs_booking").groupBy("source_app").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> String.valueOf(r.get(0)), r -> r.getLong(1)));
    assertEquals(Map.of("web", 49L, "app", 1L), byApp);
    assertEquals(50, Extracts.lake(s, "crs_booking").count());
  }

  @Test
  void anIdAllocatedLongBeforeItsInsertIsPickedUpWithinTheRereadWindow() throws Exception {
    Scenario window = TestPlatform.get().newScenario("reread");
    Scenario none = TestPlatform.get().newScenario("reread_none");
    String noWindow = "sources.booking.tables.\"billing.payment\".reread-ids = 0";
    for (Scenario x : List.of(window, none)) {
      String hocon = x == none ? noWindow : "";
      Extracts.createContractSchemas(x);
      try (Connection c = x.booking()) {
        Extracts.execute(c, "INSERT INTO billing.payment (payment_id, booking_id, amount, method, paid_at)"
            + " SELECT p, 1, 100, 'upi', now() FROM generate_series(1, 100) p WHERE p <> 60");
      }
      // The second run finds no transaction open: id 100 becomes final.
      Extracts.runOne(x, hocon, "billing.payment");
      Extracts.runOne(x, hocon, "billing.payment");
      try (Connection c = x.booking()) {
        // An application server's id block (Hibernate allocates 50 at a time) commits late: id 60, long below 100.
        Extracts.execute(c, "INSERT INTO billing.payment (payment_id, booking_id, amount, method, paid_at) VALUES (60, 1, -40, 'upi', now())");
      }
      Extracts.runOne(x, hocon, "billing.payment");
    }
    assertEquals(1, Extracts.lake(window, "billing_payment").where("payment_id = 60").count(), "the default window re-reads it");
    assertEquals(100, Extracts.lake(window, "billing_payment").count(), "re-read rows are deduplicated by key");
    assertEquals(0, Extracts.lake(none, "billing_payment").where("payment_id = 60").count(), "without a window it is lost");
  }

  @Test
  void aTruncatedSnapshotTableStopsInsteadOfFlaggingEveryRowDeletedUntilConfirmed() throws Exception {
    Scenario s = TestPlatform.get().newScenario("truncated");
    Extracts.createContractSchemas(s);
    try (Connection c = s.inventory()) {
      Extracts.execute(c, "INSERT INTO catalog.city (city_id, city_name, state_name, region)"
          + " SELECT i, 'City ' || i, 'State', 'south' FROM generate_series(1, 300) i");
    }
    Extracts.runOne(s, "", "catalog.city");
    try (Connection c = s.inventory()) {
      Extracts.execute(c, "DELETE FROM catalog.city WHERE city_id > 10");
    }
    TableResult stopped = Extracts.runOne(s, "", "catalog.city");
    assertFalse(stopped.succeeded());
    assertEquals("Cannot extract inventory.catalog.city: this run would flag 290 of the 300 live rows of lake_" + s.id()
        + ".catalog_city deleted (97%, more than extract.mass-delete.max-share = 10%): the source table looks truncated or"
        + " rewritten. Nothing was written. If the rows really were deleted at the source, confirm it with:"
        + " bin/dataplatform extract --tables catalog.city --confirm-deletes", stopped.error().orElseThrow());
    assertEquals(0, Extracts.lake(s, "catalog_city").where("_deleted").count());

    TableResult confirmed = Extracts.run(s, "", Clock.systemUTC(), new ExtractOptions(false, true), "catalog.city").get(0);
    assertEquals(290, confirmed.counts().rowsDeleted(), confirmed.toString());
    assertEquals(10, Extracts.lake(s, "catalog_city").where("NOT _deleted").count());
  }

  @Test
  void aSecondRunOfATableStopsWhileTheFirstHoldsItAndTakesOverWhenItEnds() throws Exception {
    Scenario s = TestPlatform.get().newScenario("locked");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookings(c, 3);
    }
    try (ControlStore other = ControlStore.open(s.config().control().jdbc())) {
      // The first run (an EMR step's first attempt, still alive): it holds the table and is recorded running.
      other.runs().start("20261120T020000Z-extract-aaaaaa", "extract", "booking.crs.booking", Optional.empty(), Optional.empty());
      Locks.Lock held = other.locks().tryAcquire("booking.crs.booking", java.time.Duration.ZERO).orElseThrow();
      TableResult second = Extracts.runOne(s, "", "crs.booking");
      assertFalse(second.succeeded());
      String error = second.error().orElseThrow();
      assertTrue(error.startsWith("Cannot run extract of booking.crs.booking: another run holds it (run"
          + " 20261120T020000Z-extract-aaaaaa, started "), error);
      assertTrue(error.endsWith("wrote nothing."), error);
      assertEquals("running", other.runs().recent("booking.crs.booking", 5).get(0).status(), "the live run is not abandoned");
      assertFalse(TestPlatform.get().spark().catalog().tableExists("lake_" + s.id(), "crs_booking"), "nothing was written");

      held.close();
      TableResult third = Extracts.runOne(s, "", "crs.booking");
      assertTrue(third.succeeded(), third.toString());
      assertEquals(List.of("succeeded", "abandoned"), other.runs().recent("booking.crs.booking", 5).stream()
          .map(r -> r.status()).toList(), "once free, the dead run's record is closed");
    }
  }

  @Test
  void anOlderSliceNeverOverwritesANewerVersionOfARow() throws Exception {
    Scenario s = TestPlatform.get().newScenario("older_slice");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookings(c, 2);
    }
    Extracts.runOne(s, "", "crs.booking");
    var spark = TestPlatform.get().spark();
    String table = "lake_" + s.id() + ".crs_booking";
    // A slice read before the lake's current version (updated_at a day older, status different).
    var older = spark.table(table).where("booking_id = 1")
        .selectExpr("*").drop("_deleted", "_deleted_at", "_seen_at", "_run_id", "_row_hash")
        .withColumn("status", org.apache.spark.sql.functions.lit("cancelled"))
        .withColumn("updated_at", org.apache.spark.sql.functions.expr("updated_at - INTERVAL 1 DAY"));
    var lake = new com.treebo.dataplatform.jobs.lake.LakeTable(spark, s.config().lake(), s.config().catalog(), "crs_booking", List.of("booking_id"),
        List.of("booking_id", "updated_at"));
    var counts = lake.merge(com.treebo.dataplatform.jobs.lake.LakeTable.records(older, "old-run", Instant.now()), "old-run",
        Instant.now(), Optional.of("updated_at"));
    assertEquals(0, counts.merged());
    assertSameRows(spark.sql("SELECT * FROM VALUES (1L, 'reserved'), (2L, 'reserved') AS t(booking_id, status)"),
        spark.table(table).select("booking_id", "status"));
  }

  @Test
  void aLakeTableWhoseFilesAreGoneFailsAloneNamingItsLocationAndTheWaysOut() throws Exception {
    Scenario s = TestPlatform.get().newScenario("files_gone");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookings(c, 3);
    }
    Extracts.run(s, "", "crs.booking", "crm.guest");
    String location = s.lakeRoot() + "/tables/crs_booking";
    Path folder = new Path(location);
    folder.getFileSystem(TestPlatform.get().spark().sparkContext().hadoopConfiguration()).delete(folder, true);

    List<TableResult> next = Extracts.run(s, "", "crs.booking", "crm.guest");
    TableResult booking = next.get(0);
    assertFalse(booking.succeeded());
    assertEquals("Lake table lake_" + s.id() + ".crs_booking is registered in the metastore at " + location + ", but no Delta"
        + " table is there (its folder was deleted or its S3 prefix emptied). Either restore the files at that location, or"
        + " drop the registration (bin/dataplatform sql \"DROP TABLE lake_" + s.id() + ".crs_booking\") so that the next run"
        + " loads the table again from its source. Nothing was written to it.", booking.error().orElseThrow());
    assertTrue(next.get(1).succeeded(), "the other table carries on: " + next.get(1));

    TestPlatform.get().spark().sql("DROP TABLE lake_" + s.id() + ".crs_booking");
    TableResult reloaded = Extracts.runOne(s, "", "crs.booking");
    assertTrue(reloaded.succeeded(), reloaded.toString());
    assertEquals(3, Extracts.lake(s, "crs_booking").count());
  }
}
