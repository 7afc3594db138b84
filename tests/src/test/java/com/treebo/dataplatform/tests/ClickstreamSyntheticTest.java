package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.devtools.clickstream.SyntheticClickstream;
import com.treebo.dataplatform.jobs.clickstream.WebTables;
import com.treebo.dataplatform.jobs.stage.Platform;
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
 * re-sessionizing only the devices and dates they touch; the model then builds the web-session fact
 * and the funnel, linking orders to the bookings the extract brought. Then everything is compared
 * exactly with the script.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClickstreamSyntheticTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 20);
  private static Scenario scenario;
  private static Platform platform;
  private static WebTables tables;
  private static SyntheticClickstream.Expected expected;
  private static ClickstreamSummary night1;
  private static ClickstreamSummary night2;

  @BeforeAll
  static void landAndLoadTwoNights() throws Exception {
    scenario = TestPlatform.get().newScenario("click_synth");
    platform = new Platform(scenario.config(), TestPlatform.get().runtime(), "test");
    tables = WebTables.of(platform.config());
    expected = SyntheticClickstream.land(platform.config().clickstream().landing(),
        spark().sparkContext().hadoopConfiguration(), DAY, 30, 1 << 20);
    // Two of the orders' bookings are in the booking database (and reach the lake through the
    // extract); the rest are not (yet).
    Extracts.createContractSchemas(scenario);
    try (java.sql.Connection c = scenario.booking()) {
      Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) VALUES (1, 'A')");
      Extracts.execute(c, bookingInsert(9001, "TRB-5-0") + "; " + bookingInsert(9002, "TRB-7-1") + "; " + bookingInsert(9003, "TRB-404-0"));
    }
    Extracts.runOne(scenario, "", "crs.booking");
    night1 = ClickstreamJob.run(at("2026-11-20T12:30:00Z"), ClickstreamJob.Request.normal(), tables);
    night2 = ClickstreamJob.run(at("2026-11-21T12:30:00Z"), ClickstreamJob.Request.normal(), tables);
    night1.print(System.out);
    night2.print(System.out);
    assertTrue(Models.build(scenario.config()).succeeded());
    try (Platform p = new Platform(scenario.config(), TestPlatform.get().runtime(), "test load")) {
      assertTrue(new com.treebo.dataplatform.jobs.warehouse.LoadStage().run(p).succeeded());
    }
  }

  private static String bookingInsert(long id, String code) {
    return "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date, checkout_date,"
        + " total_amount) VALUES (" + id + ", '" + code + "', 1, 1, 'web', 'confirmed', DATE '2026-12-01', DATE '2026-12-02', 1000)";
  }

  /** The platform as it is at {@code now}. */
  private static Platform at(String now) {
    return platform.withClock(java.time.Clock.fixed(Instant.parse(now), java.time.ZoneOffset.UTC));
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
    assertTrue(night2.sessionsReplaced() >= 1, "the bridged user's second session is replaced: " + night2);
    assertEquals(expected.sessions(), spark().table(factWebSession()).count());
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
    assertSameRows(spark().createDataFrame(rows, schema), spark().table(scenario.rpt() + ".funnel_daily"));
    // The warehouse's view, over the loaded web-session fact, says the same.
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", "");
    Dataset<Row> view = spark().read().jdbc(TestPlatform.get().postgres().jdbcUrl(scenario.warehouseDb()), "rpt.funnel_daily", p)
        .selectExpr("event_date", "platform", "sessions", "searched", "viewed", "selected", "checkout_started", "ordered",
            "CAST(conversion AS DECIMAL(5,4)) AS conversion");
    assertSameRows(spark().createDataFrame(rows, schema), view);
  }

  @Test
  void ordersLinkToBookingsInTheLake() {
    Dataset<Row> linked = spark().sql("SELECT booking_code, booking_id FROM " + factWebSession() + " WHERE booking_id IS NOT NULL");
    assertSameRows(spark().sql("SELECT * FROM VALUES ('TRB-5-0', 9001L), ('TRB-7-1', 9002L) AS t(booking_code, booking_id)"), linked);
  }

  @Test
  void aThirdRunChangesNothing() {
    List<String> all = List.of(tables.events(), tables.quarantine(), tables.sessions());
    List<Dataset<Row>> before = all.stream().map(t -> spark().table(t).localCheckpoint()).toList();
    ClickstreamSummary again = ClickstreamJob.run(at("2026-11-21T13:30:00Z"), ClickstreamJob.Request.normal(), tables);
    assertEquals(0, again.objectsRead());
    for (int i = 0; i < all.size(); i++) {
      assertSameRows(before.get(i), spark().table(all.get(i)));
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it adds a booking, which changes what the tests above expect
  void anOrderIsLinkedByTheFirstBuildAfterItsBookingReachesTheLake() throws Exception {
    Row unlinked = spark().sql("SELECT booking_code, session_date FROM " + factWebSession()
        + " WHERE booking_code IS NOT NULL AND booking_id IS NULL ORDER BY booking_code LIMIT 1").first();
    String code = unlinked.getString(0);
    // The booking service saves the order's booking; the next night's extract brings it in, and
    // the model links the order, though no clickstream landed.
    try (java.sql.Connection c = scenario.booking()) {
      Extracts.execute(c, bookingInsert(9100, code));
    }
    Extracts.runOne(scenario, "", "crs.booking");
    assertTrue(Models.build(scenario.config()).succeeded());
    assertSameRows(spark().sql("SELECT * FROM VALUES ('TRB-5-0', 9001L), ('TRB-7-1', 9002L), ('" + code + "', 9100L)"
            + " AS t(booking_code, booking_id)"),
        spark().sql("SELECT booking_code, booking_id FROM " + factWebSession() + " WHERE booking_id IS NOT NULL"));
    assertEquals(expected.sessions(), spark().table(factWebSession()).count());
  }

  private static String factWebSession() {
    return scenario.dw() + ".fact_web_session";
  }

  private static SparkSession spark() {
    return platform.spark();
  }
}
