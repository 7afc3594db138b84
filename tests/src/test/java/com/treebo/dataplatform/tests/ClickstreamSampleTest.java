package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.devtools.clickstream.LandingWriter;
import com.treebo.dataplatform.jobs.clickstream.WebTables;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.transforms.Pii;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clickstream contract's own sample, landed as one Firehose object and loaded end to end:
 * each of its oddities is asserted on the lake tables, and a rerun changes nothing.
 */
class ClickstreamSampleTest {
  private static final String KEY = "test-only-pii-key";
  private static Scenario scenario;
  private static Platform platform;
  private static WebTables tables;
  private static ClickstreamSummary first;
  private static String object;
  private static com.treebo.dataplatform.jobs.stage.StageReport model;

  @BeforeAll
  static void loadTheSample() throws IOException {
    scenario = TestPlatform.get().newScenario("click_sample");
    platform = new Platform(scenario.config(), TestPlatform.get().runtime(), "test");
    tables = WebTables.of(platform.config());
    LandingWriter landing = new LandingWriter(platform.config().clickstream().landing(),
        platform.spark().sparkContext().hadoopConfiguration());
    object = landing.put(LocalDateTime.of(2026, 11, 20, 9, 0), "web-events-1-2026-11-20-09-45-00-sample.gz", sample());
    first = ClickstreamJob.run(at("2026-11-20T10:05:00Z"), ClickstreamJob.Request.normal(), tables);
    first.print(System.out);
    // The web-session fact and the funnel are the model's: built from the sessions alone (no extract ran).
    model = Models.build(scenario.config());
  }

  /** The platform as it is at {@code now}. */
  private static Platform at(String now) {
    return platform.withClock(java.time.Clock.fixed(Instant.parse(now), java.time.ZoneOffset.UTC));
  }

  static String sample() throws IOException {
    try (InputStream in = ClickstreamSampleTest.class.getResourceAsStream("/clickstream/sample-events.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void sampleCopyEqualsTheContract() throws IOException {
    String dir = System.getProperty("dataplatform.contracts.dir");
    Path contract = dir == null ? null : Path.of(dir, "clickstream", "sample-events.jsonl");
    if (contract != null && Files.exists(contract)) {
      assertEquals(Files.readString(contract), sample(), "tests/src/test/resources/clickstream/sample-events.jsonl must equal " + contract);
    }
  }

  @Test
  void countsEveryRecordOnceAndQuarantinesTheTruncatedAndTheTypeless() {
    assertEquals(12, first.records(), "11 lines, one holding two records back to back");
    assertEquals(Map.of("not valid JSON", 1L, "no type", 1L), first.quarantinedByReason());
    assertEquals(9, first.eventsInserted(), "12 records - 2 quarantined - 1 duplicate");
    Dataset<Row> q = spark().sql("SELECT object, position, reason, substr(raw, 1, 40) AS raw_start FROM " + tables.quarantine());
    assertSameRows(spark().sql("SELECT * FROM VALUES"
        + " ('" + object + "', 10L, 'not valid JSON', '{\"type\":\"track\",\"event\":\"Hotel Viewed\",\"'),"
        + " ('" + object + "', 11L, 'no type', '{\"event\":\"Hotel Viewed\",\"messageId\":\"ajs')"
        + " AS t(object, position, reason, raw_start)"), q);
  }

  @Test
  void keepsOneRowPerMessageIdAndReadsRecordsBackToBack() {
    Dataset<Row> ids = spark().sql("SELECT message_id, count(*) AS copies FROM " + tables.events() + " GROUP BY message_id");
    assertSameRows(spark().sql("SELECT * FROM VALUES ('ajs-0b6c1a2e-01', 1L), ('ajs-0b6c1a2e-02', 1L), ('ajs-0b6c1a2e-03', 1L),"
        + " ('ajs-0b6c1a2e-04', 1L), ('ajs-0b6c1a2e-05', 1L), ('ajs-0b6c1a2e-06', 1L), ('ios-5d1e-0001', 1L),"
        + " ('and-77aa-0042', 1L), ('ajs-51aa-0009', 1L) AS t(message_id, copies)"), ids);
  }

  @Test
  void correctsTheSkewedDeviceClockAndDatesEventsInKolkata() {
    Dataset<Row> t = spark().sql("SELECT message_id, event_time, event_date, platform FROM " + tables.events()
        + " WHERE message_id IN ('ios-5d1e-0001', 'ajs-0b6c1a2e-01', 'and-77aa-0042')");
    assertSameRows(spark().sql("SELECT * FROM VALUES"
        + " ('ios-5d1e-0001', TIMESTAMP'2026-11-20 09:14:42', DATE'2026-11-20', 'ios'),"
        + " ('ajs-0b6c1a2e-01', TIMESTAMP'2026-11-20 08:32:11.624', DATE'2026-11-20', 'web'),"
        + " ('and-77aa-0042', TIMESTAMP'2026-11-20 09:40:01.300', DATE'2026-11-20', 'android')"
        + " AS t(message_id, event_time, event_date, platform)"), t);
  }

  @Test
  void hashesTheIdentifyTraitsLikeTheExtractAndWritesNoClearText() {
    byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
    Row r = spark().sql("SELECT email_hash, phone_hash, name_hash, traits FROM " + tables.events()
        + " WHERE message_id = 'ajs-0b6c1a2e-04'").first();
    assertEquals(Pii.hmac("asha.rao@example.com", key), r.getString(0));
    assertEquals(Pii.hmac("919845012345", key), r.getString(1));
    assertEquals(Pii.hmac("asha rao", key), r.getString(2));
    assertEquals("{}", r.getString(3));
    for (String table : List.of(tables.events(), tables.quarantine(), tables.sessions(), factWebSession())) {
      long clear = spark().sql("SELECT * FROM " + table).toJSON()
          .filter((org.apache.spark.api.java.function.FilterFunction<String>) json -> json.toLowerCase().contains("asha")
              || json.contains("98450")).count();
      assertEquals(0, clear, table + " holds personal data in clear text");
    }
  }

  @Test
  void sessionizesStitchesAndBuildsTheOrderedFunnel() {
    Dataset<Row> s = spark().sql("SELECT anonymous_id, session_date, platform, guest_id, hotel_code, booking_code, funnel_step,"
        + " event_count FROM " + tables.sessions());
    assertSameRows(spark().sql("SELECT * FROM VALUES"
        + " ('anon-7f3a', DATE'2026-11-20', 'web', '100234', 'BLR-INDIRANAGAR-01', CAST(NULL AS STRING), 4, 6L),"
        + " ('dev-91c2', DATE'2026-11-20', 'ios', '100871', 'HYD-GACHIBOWLI-02', 'TRB-8H2K9Q', 0, 1L),"
        + " ('dev-3b7e', DATE'2026-11-20', 'android', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), 0, 1L),"
        + " ('anon-c0de', DATE'2026-11-20', 'web', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), 0, 1L)"
        + " AS t(anonymous_id, session_date, platform, guest_id, hotel_code, booking_code, funnel_step, event_count)"), s);
    assertSameRows(spark().sql("SELECT * FROM VALUES"
        + " (DATE'2026-11-20', 'web', 2L, 1L, 1L, 1L, 1L, 0L, CAST(0 AS DECIMAL(5,4))),"
        + " (DATE'2026-11-20', 'ios', 1L, 0L, 0L, 0L, 0L, 0L, CAST(0 AS DECIMAL(5,4))),"
        + " (DATE'2026-11-20', 'android', 1L, 0L, 0L, 0L, 0L, 0L, CAST(0 AS DECIMAL(5,4)))"
        + " AS t(event_date, platform, sessions, searched, viewed, selected, checkout_started, ordered, conversion)"),
        spark().table(funnelDaily()));
  }

  @Test
  void theModelBuildsTheSessionFactWithoutTheBookingTablesAndSaysWhatItCouldNotBuild() {
    assertTrue(model.succeeded(), model.toString());
    assertEquals(1, spark().sql("SELECT * FROM " + factWebSession() + " WHERE booking_code = 'TRB-8H2K9Q'"
        + " AND booking_id IS NULL AND date_key = 20261120 AND hotel_key = -1").count());
  }

  @Test
  void rerunningTheSameHoursChangesNothing() throws Exception {
    List<String> all = List.of(tables.events(), tables.quarantine(), tables.sessions());
    List<Dataset<Row>> before = all.stream().map(t -> spark().table(t).localCheckpoint()).toList();
    ClickstreamSummary again = ClickstreamJob.run(at("2026-11-20T10:05:00Z"), ClickstreamJob.Request.normal(), tables);
    assertEquals(0, again.objectsRead(), "the object is recorded as read");
    // Forget the ledger: the same object read again must still change nothing.
    try (Connection c = scenario.control()) {
      c.createStatement().executeUpdate("DELETE FROM dp_landed_object");
    }
    ClickstreamSummary forced = ClickstreamJob.run(at("2026-11-25T00:00:00Z"),
        new ClickstreamJob.Request(Optional.of(LocalDate.of(2026, 11, 20)), Optional.empty()), tables);
    assertEquals(1, forced.objectsRead());
    assertEquals(0, forced.eventsInserted());
    for (int i = 0; i < all.size(); i++) {
      assertSameRows(before.get(i), spark().table(all.get(i)));
    }
    try (Connection c = scenario.control(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT count(*) FROM dp_run WHERE table_id = 'clickstream.web_events' AND status = 'succeeded'")) {
      rs.next();
      assertTrue(rs.getInt(1) >= 3);
    }
  }

  private static SparkSession spark() {
    return platform.spark();
  }

  private static String factWebSession() {
    return scenario.dw() + ".fact_web_session";
  }

  private static String funnelDaily() {
    return scenario.rpt() + ".funnel_daily";
  }
}
