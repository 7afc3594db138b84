package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.jobs.clickstream.SyntheticClickstream;
import com.treebo.dataplatform.jobs.clickstream.WebTables;
import com.treebo.dataplatform.jobs.runtime.Platform;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A scripted clickstream with known answers (see {@link SyntheticClickstream}): 30 users, landed
 * over two nights. The first night's run sees only what had landed by 12:30 UTC; the second reads
 * the late objects (tails of sessions sent 20 hours late, a page view that bridges two sessions),
 * re-sessionizing only the devices and dates they touch. Then everything is compared exactly with the script.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClickstreamSyntheticTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 20);
  private static Platform platform;
  private static WebTables tables;
  private static SyntheticClickstream.Expected expected;
  private static ClickstreamSummary night1;
  private static ClickstreamSummary night2;

  @BeforeAll
  static void landAndLoadTwoNights() {
    Scenario scenario = TestPlatform.get().newScenario("click_synth");
    platform = new Platform(scenario.config(), TestPlatform.get().runtime(), "test");
    tables = WebTables.of(platform.config()).withWarehouse("rpt_" + scenario.id(), "dw_" + scenario.id());
    expected = SyntheticClickstream.land(platform.config().clickstream().landing(),
        spark().sparkContext().hadoopConfiguration(), DAY, 30, 1 << 20);
    // Two of the orders are in the booking extract's lake table; the rest are not (yet).
    spark().sql("CREATE DATABASE IF NOT EXISTS " + tables.lakeDb());
    spark().createDataFrame(List.of(RowFactory.create(9001L, "TRB-5-0"), RowFactory.create(9002L, "TRB-7-1"),
            RowFactory.create(9003L, "TRB-404-0")),
            new StructType().add("booking_id", DataTypes.LongType).add("booking_code", DataTypes.StringType))
        .write().format("delta").option("path", tables.root() + "/tables/crs_booking").saveAsTable(tables.bookings());
    night1 = ClickstreamJob.run(platform, at("2026-11-20T12:30:00Z"), tables);
    night2 = ClickstreamJob.run(platform, at("2026-11-21T12:30:00Z"), tables);
    night1.print(System.out);
    night2.print(System.out);
  }

  private static ClickstreamJob.Request at(String now) {
    return new ClickstreamJob.Request(Optional.empty(), Optional.empty(), Instant.parse(now));
  }

  @Test
  void firstNightLoadsExactlyTheEventsLandedByThen() {
    assertEquals(expected.eventsLandedBy("2026-11-20T12"), night1.eventsInserted());
    assertEquals(expected.distinctEvents(), night1.eventsInserted() + night2.eventsInserted());
  }

  @Test
  void everyRecordIsReadOnceAndBrokenOnesAreQuarantinedWithTheirReason() {
    assertEquals(expected.records(), night1.records() + night2.records());
    Map<String, Long> quarantined = new TreeMap<>();
    spark().sql("SELECT reason, count(*) FROM " + tables.quarantine() + " GROUP BY reason").collectAsList()
        .forEach(r -> quarantined.put(r.getString(0), r.getLong(1)));
    assertEquals(new TreeMap<>(expected.quarantined()), quarantined);
    assertEquals(expected.distinctEvents(), spark().table(tables.events()).count());
    assertEquals(0, spark().sql("SELECT message_id FROM " + tables.events() + " GROUP BY message_id HAVING count(*) > 1").count());
  }

  @Test
  void lateEventsCompleteAndMergeSessionsOfTheTouchedUserDays() {
    assertEquals(expected.sessions(), spark().table(tables.sessions()).count());
    assertEquals(expected.stitchedSessions(), spark().table(tables.sessions()).where("guest_id IS NOT NULL").count());
    assertTrue(night2.sessionsDeleted() >= 1, "the bridged user's second session is replaced: " + night2);
    assertEquals(expected.sessions(), spark().table(tables.factWebSession()).count());
  }

  @Test
  void funnelDailyMatchesTheScript() {
    List<Row> rows = new ArrayList<>();
    expected.funnel().forEach((key, n) -> {
      String[] k = key.split("\\|");
      rows.add(RowFactory.create(java.sql.Date.valueOf(k[0]), k[1], n[0], n[1], n[2], n[3], n[4], n[5],
          new java.math.BigDecimal(n[5]).divide(new java.math.BigDecimal(n[0]), 4, java.math.RoundingMode.HALF_UP)));
    });
    StructType schema = new StructType().add("event_date", DataTypes.DateType).add("platform", DataTypes.StringType)
        .add("sessions", DataTypes.LongType).add("searched", DataTypes.LongType).add("viewed", DataTypes.LongType)
        .add("selected", DataTypes.LongType).add("checkout_started", DataTypes.LongType).add("ordered", DataTypes.LongType)
        .add("conversion", DataTypes.createDecimalType(5, 4));
    assertSameRows(spark().createDataFrame(rows, schema), spark().table(tables.funnelDaily()));
  }

  @Test
  void ordersLinkToBookingsInTheLake() {
    assertTrue(night2.bookingLink().isEmpty());
    Dataset<Row> linked = spark().sql("SELECT booking_code, booking_id FROM " + tables.factWebSession() + " WHERE booking_id IS NOT NULL");
    assertSameRows(spark().sql("SELECT * FROM VALUES ('TRB-5-0', 9001L), ('TRB-7-1', 9002L) AS t(booking_code, booking_id)"), linked);
  }

  @Test
  void aThirdRunChangesNothing() {
    List<String> all = List.of(tables.events(), tables.quarantine(), tables.sessions(), tables.funnelDaily(), tables.factWebSession());
    List<Dataset<Row>> before = all.stream().map(t -> spark().table(t).localCheckpoint()).toList();
    ClickstreamSummary again = ClickstreamJob.run(platform, at("2026-11-21T13:30:00Z"), tables);
    assertEquals(0, again.objectsRead());
    for (int i = 0; i < all.size(); i++) {
      assertSameRows(before.get(i), spark().table(all.get(i)));
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it adds a booking, which changes what the tests above expect
  void anOrderIsLinkedOnTheFirstRunAfterItsBookingReachesTheLake() {
    Row unlinked = spark().sql("SELECT booking_code, session_date FROM " + tables.factWebSession()
        + " WHERE booking_code IS NOT NULL AND booking_id IS NULL ORDER BY booking_code LIMIT 1").first();
    String code = unlinked.getString(0);
    // The booking extract brings the order's booking in; the next night lands nothing new.
    spark().createDataFrame(List.of(RowFactory.create(9100L, code)),
            new StructType().add("booking_id", DataTypes.LongType).add("booking_code", DataTypes.StringType))
        .write().format("delta").mode("append").save(tables.root() + "/tables/crs_booking");
    ClickstreamSummary next = ClickstreamJob.run(platform, at("2026-11-22T12:30:00Z"), tables);
    assertEquals(0, next.objectsRead());
    assertEquals(List.of(unlinked.getDate(1).toLocalDate()), next.relinkedDates());
    assertSameRows(spark().sql("SELECT * FROM VALUES ('TRB-5-0', 9001L), ('TRB-7-1', 9002L), ('" + code + "', 9100L)"
            + " AS t(booking_code, booking_id)"),
        spark().sql("SELECT booking_code, booking_id FROM " + tables.factWebSession() + " WHERE booking_id IS NOT NULL"));
    assertEquals(expected.sessions(), spark().table(tables.factWebSession()).count());
    // Nothing left to link: the run after that rebuilds nothing.
    assertEquals(List.of(), ClickstreamJob.run(platform, at("2026-11-22T13:30:00Z"), tables).relinkedDates());
  }

  private static SparkSession spark() {
    return platform.spark();
  }
}
