package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.devtools.clickstream.SyntheticClickstream;
import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import com.treebo.dataplatform.jobs.cli.Main;
import com.treebo.dataplatform.jobs.control.Locks;
import com.treebo.dataplatform.jobs.control.Nights;
import com.treebo.dataplatform.jobs.night.NightPlan;
import com.treebo.dataplatform.jobs.night.NightRunner;
import com.treebo.dataplatform.jobs.night.Pipeline;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bin/dataplatform run} over generated sources: a first night whose load fails (its
 * warehouse unreachable, a fault injected through the configuration) and stops the steps after it;
 * the same night run again resumes at the load, skips what succeeded, and ends with the warehouse's
 * report views equal to figures computed from the sources; a rerun of a finished night does
 * nothing; a second night of new bookings; two runs at once; the plan printed by {@code --dry-run}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NightRunTest {
  private static final LocalDate NIGHT_1 = LocalDate.of(2026, 11, 30);
  private static final LocalDate NIGHT_2 = LocalDate.of(2026, 12, 1);
  private static Scenario scenario;
  private static IndependentKpis kpis;
  private static Dataset<Row>[] inventory;
  private static SyntheticClickstream.Expected web;

  @BeforeAll
  static void generate() throws Exception {
    scenario = TestPlatform.get().newScenario("night");
    try (Connection b = scenario.booking(); Connection i = scenario.inventory()) {
      SyntheticSources.createSchema(b, i);
      SyntheticSources.generate(b, i, 300, 5);
    }
    kpis = new IndependentKpis(scenario);
    inventory = kpis.inventorySnapshot();
    // A day of website clickstream; its signed-in users (guest ids 100000 and up) are not in crm.guest.
    web = SyntheticClickstream.land(scenario.config().clickstream().landing(),
        TestPlatform.get().spark().sparkContext().hadoopConfiguration(), NIGHT_1.minusDays(1), 20, 1 << 20);
  }

  private static NightRunner.NightSummary run(PlatformConfig config, LocalDate night, NightPlan.Selection selection) {
    try (Platform platform = new Platform(config, TestPlatform.get().runtime(), "test night")) {
      return new NightRunner(Pipeline.night(config.night()), System.out).run(platform, night, selection);
    }
  }

  private static Map<String, String> statuses(NightRunner.NightSummary s) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    s.steps().forEach(o -> out.put(o.step(), o.status()));
    return out;
  }

  private static Map<String, Nights.StepRecord> ledger(LocalDate night) {
    try (Platform platform = new Platform(scenario.config(), TestPlatform.get().runtime(), "test ledger")) {
      return platform.control().nights().latest(night);
    }
  }

  private static void assertViewsEqualTheSources() {
    assertSameRows(kpis.hotelDaily(inventory, inventory, LocalDate.of(9999, 1, 1)).localCheckpoint(),
        kpis.view(scenario.warehouseDb(), "hotel_daily_kpis").where("hotel_code IS NOT NULL"));
    assertSameRows(kpis.channelMonthly().localCheckpoint(), kpis.view(scenario.warehouseDb(), "channel_monthly"));
  }

  @Test
  @Order(1)
  void aLoadThatFailsStopsTheNightAndTheRerunResumesThereWithTheSameData() throws Exception {
    PlatformConfig unreachable = scenario.config("warehouse.jdbc-url = \"jdbc:postgresql://127.0.0.1:1/warehouse\"");
    NightRunner.NightSummary failed = run(unreachable, NIGHT_1, NightPlan.Selection.ALL);
    assertFalse(failed.succeeded());
    assertEquals(Map.of("extract", "succeeded", "clickstream", "succeeded", "model", "succeeded", "load", "failed",
        "maintain", "blocked"), statuses(failed));
    assertTrue(failed.steps().get(3).error().orElseThrow().contains("127.0.0.1:1"), failed.steps().get(3).error().toString());
    Map<String, Nights.StepRecord> afterFailure = ledger(NIGHT_1);
    assertEquals("failed", afterFailure.get("load").status());
    assertFalse(afterFailure.containsKey("maintain"), "a blocked step never started");

    NightRunner.NightSummary resumed = run(scenario.config(), NIGHT_1, NightPlan.Selection.ALL);
    assertTrue(resumed.succeeded(), resumed.toString());
    assertEquals(Map.of("extract", "done", "clickstream", "done", "model", "done", "load", "succeeded", "maintain", "succeeded"),
        statuses(resumed));
    assertViewsEqualTheSources();
    // The web sessions are modelled; those of signed-in users the guest table does not hold yet point
    // to inferred guests, never to a missing key.
    Dataset<Row> sessions = TestPlatform.get().spark().table(scenario.dw() + ".fact_web_session");
    assertEquals(web.sessions(), sessions.count());
    assertEquals(web.stitchedSessions(), sessions.join(TestPlatform.get().spark().table(scenario.dw() + ".dim_guest")
        .where("is_inferred AND guest_id >= 100000"), "guest_key").count());
    // The extract ran once: the lake was not read again.
    assertEquals(afterFailure.get("extract").runId(), ledger(NIGHT_1).get("extract").runId());

    // The summary is beside the lake, as JSON naming every step.
    org.apache.hadoop.fs.Path summary = new org.apache.hadoop.fs.Path(NightRunner.summaryFolder(scenario.lakeRoot(), NIGHT_1)
        + "/" + resumed.runId() + ".json");
    FileSystem fs = summary.getFileSystem(TestPlatform.get().spark().sparkContext().hadoopConfiguration());
    String json = new String(fs.open(summary).readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"night\" : \"2026-11-30\"") && json.contains("\"step\" : \"load\"") && json.contains("\"units\""), json);
  }

  @Test
  @Order(2)
  void aFinishedNightRunAgainDoesNothingAndANewNightCatchesUp() throws Exception {
    NightRunner.NightSummary again = run(scenario.config(), NIGHT_1, NightPlan.Selection.ALL);
    assertTrue(again.succeeded());
    assertTrue(again.steps().stream().allMatch(s -> s.status().equals("done")), again.toString());

    try (Connection b = scenario.booking()) {
      Extracts.execute(b, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
          + " checkout_date, total_amount) SELECT 800000 + booking_id, 'TRB-N2-' || booking_id, hotel_id, guest_id, channel, 'confirmed',"
          + " checkin_date + 7, checkout_date + 7, total_amount FROM crs.booking ORDER BY booking_id LIMIT 5");
      Extracts.execute(b, "INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date, adults,"
          + " nightly_rate) SELECT 800000 + room_stay_id, 800000 + booking_id, room_type_id, checkin_date + 7, checkout_date + 7, adults,"
          + " nightly_rate FROM crs.room_stay WHERE booking_id IN (SELECT booking_id - 800000 FROM crs.booking WHERE booking_id > 800000)");
    }
    NightRunner.NightSummary second = run(scenario.config(), NIGHT_2, NightPlan.Selection.ALL);
    assertTrue(second.succeeded(), second.toString());
    assertEquals(Map.of("extract", "succeeded", "clickstream", "succeeded", "model", "succeeded", "load", "succeeded",
        "maintain", "skipped"), statuses(second), "maintenance ran the night before: not due");
    assertViewsEqualTheSources();
  }

  @Test
  @Order(3)
  void aSecondRunWhileANightRunsStopsNamingItAndWritesNothing() {
    PlatformConfig noWait = scenario.config("control.lock-wait = 0s");
    try (Platform platform = new Platform(noWait, TestPlatform.get().runtime(), "test other night")) {
      Optional<Locks.Lock> held = platform.control().locks().tryAcquire(NightRunner.UNIT, Duration.ZERO);
      assertTrue(held.isPresent());
      try (Locks.Lock lock = held.get()) {
        LocalDate night3 = NIGHT_2.plusDays(1);
        StageException e = assertThrows(StageException.class,
            () -> new NightRunner(Pipeline.night(noWait.night()), System.out).run(platform, night3, NightPlan.Selection.ALL));
        assertTrue(e.getMessage().startsWith("Cannot run run of night: another run holds it"), e.getMessage());
        assertTrue(platform.control().nights().of(night3).isEmpty());
      }
    }
  }

  @Test
  @Order(4)
  void theDryRunPrintsThePlanOfTheDagAndRunsNothing() throws Exception {
    Path conf = Files.createTempFile(TestPlatform.get().home(), "night-", ".conf");
    Files.writeString(conf, scenario.overlay() + "\nlocal.enabled = false\n");
    Map<String, Nights.StepRecord> before = ledger(NIGHT_2);
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    int badStep;
    try {
      code = Main.run(List.of("--conf", conf.toString(), "run", "--night", NIGHT_2.toString(), "--from", "model", "--dry-run"));
      badStep = Main.run(List.of("--conf", conf.toString(), "run", "--only", "modle"));
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code);
    assertEquals(2, badStep, "an unknown step is a usage error");
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    int at = lines.indexOf("night 2026-12-01: 2 of 5 step(s) to run");
    assertTrue(at >= 0, lines.toString());
    List<String> plan = lines.subList(at + 1, at + 6).stream().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
    assertEquals(List.of("extract skip: not selected before --from model",
        "clickstream skip: not selected before --from model",
        "model after extract, clickstream run",
        "load after model run"), plan.subList(0, 4));
    assertTrue(plan.get(4).startsWith("maintain after load skip: not due last "), plan.get(4));
    assertEquals(before, ledger(NIGHT_2), "a dry run runs nothing");
  }
}
