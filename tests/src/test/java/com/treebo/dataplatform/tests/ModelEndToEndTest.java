package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.extract.ExtractOptions;
import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.warehouse.RedshiftStandIn;
import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import java.sql.Connection;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The model and the warehouse load night by night over generated sources, each night compared with
 * figures computed here from the source databases themselves (not from the lake, the model or the
 * warehouse): a first build and load, a night of application activity (bookings moving on, stays
 * re-planned, hotels changing category and rooms, a city renamed) with a new channel and a booking
 * for a hotel the inventory has not published yet, the night that hotel arrives, a rebuild from the
 * raw zone into a second database that must equal the night-by-night one row for row and key for
 * key, a night with nothing new, a load killed before its commit, a column the model gained, a text
 * too long for its column, and a night whose data breaks a declared bound. Each night's build is
 * loaded into two warehouses: the local PostgreSQL one, and the same PostgreSQL reached as Redshift
 * through the Redshift driver ({@link RedshiftStandIn}); the report views of both must equal the
 * independent figures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelEndToEndTest {
  private static Scenario scenario;
  private static String dw;
  private static StartupParameterProxy proxy;
  private static IndependentKpis kpis;
  private static Dataset<Row>[] firstInventory;

  @BeforeAll
  static void generate() throws Exception {
    scenario = TestPlatform.get().newScenario("model_e2e");
    dw = "dw_" + scenario.id();
    try (Connection b = scenario.booking(); Connection i = scenario.inventory()) {
      SyntheticSources.createSchema(b, i);
      SyntheticSources.generate(b, i, 600, 11);
    }
    TestPlatform.get().postgres().ensureDatabase(redshiftDb());
    proxy = StartupParameterProxy.start(TestPlatform.get().postgres().port());
    kpis = new IndependentKpis(scenario);
  }

  @org.junit.jupiter.api.AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  private static String redshiftDb() {
    return scenario.id() + "_redshift";
  }

  /** The same model, its warehouse reached as Redshift (driver, COPY from S3 manifests, DDL clauses) on the local PostgreSQL. */
  private static PlatformConfig redshiftConfig() {
    return scenario.config(hocon() + "\nwarehouse { jdbc-url = \"jdbc:redshift://127.0.0.1:" + proxy.port() + "/" + redshiftDb()
        + "?ssl=false\", iam-role = \"arn:aws:iam::123456789012:role/dataplatform-copy\", staging = \"" + scenario.lakeRoot() + "/staging\" }");
  }

  private static StageReport load(PlatformConfig config) {
    try (Platform platform = new Platform(config, TestPlatform.get().runtime(), "test load")) {
      StageReport report = new com.treebo.dataplatform.jobs.warehouse.LoadStage().run(platform);
      report.print(System.out);
      return report;
    }
  }

  private static RedshiftStandIn loadAsRedshift() {
    try (Platform platform = new Platform(redshiftConfig(), TestPlatform.get().runtime(), "test load")) {
      StageReport[] report = new StageReport[1];
      RedshiftStandIn standIn = RedshiftStandIn.load(platform, report);
      report[0].print(System.out);
      assertTrue(report[0].succeeded(), report[0].toString());
      return standIn;
    }
  }

  /** Both warehouses' report views equal the figures computed from the sources. */
  private static void assertViewsEqualTheSources(Dataset<Row>[] before, LocalDate boundary) {
    Dataset<Row> expectedDaily = kpis.hotelDaily(before, kpis.inventorySnapshot(), boundary).localCheckpoint();
    Dataset<Row> expectedMonthly = kpis.channelMonthly().localCheckpoint();
    for (String db : List.of(scenario.warehouseDb(), redshiftDb())) {
      assertSameRows(expectedDaily, kpis.view(db, "hotel_daily_kpis").where("hotel_code IS NOT NULL"));
      assertSameRows(expectedMonthly, kpis.view(db, "channel_monthly"));
    }
  }

  /**
   * Every model table is in the metastore with its real columns for Athena; each (dw.* is listed for
   * Spectrum by default) keeps a manifest of exactly its snapshot, and Spectrum holds it with the
   * table's columns.
   */
  private static void assertCatalogAndSpectrum(RedshiftStandIn redshift) throws Exception {
    SparkSession spark = TestPlatform.get().spark();
    Map<String, List<String>> external;
    try (Connection w = java.sql.DriverManager.getConnection(TestPlatform.get().postgres().jdbcUrl(redshiftDb()), "postgres", "")) {
      external = RedshiftStandIn.spectrumColumns(w, "spectrum");
    }
    List<String> tables = spark.sql("SHOW TABLES IN " + dw).where("NOT isTemporary").collectAsList().stream().map(r -> r.getString(1)).sorted().toList();
    assertTrue(tables.contains("fact_room_night"), tables.toString());
    for (String t : tables) {
      String q = dw + "." + t;
      CatalogTest.assertReadableByAthena(q);
      CatalogTest.assertManifestIsTheSnapshot(q);
      List<String> names = external.getOrDefault(dw + "_" + t, List.of()).stream().map(c -> c.substring(0, c.indexOf(' '))).toList();
      assertEquals(List.of(spark.table(q).columns()), names, q + " in Spectrum");
    }
    for (Row r : spark.sql("SHOW TABLES IN lake_" + scenario.id()).where("NOT isTemporary").collectAsList()) {
      CatalogTest.assertReadableByAthena("lake_" + scenario.id() + "." + r.getString(1));
    }
    assertTrue(redshift.statements().stream().anyMatch(q -> q.equals("CREATE EXTERNAL SCHEMA IF NOT EXISTS \"spectrum\" FROM DATA CATALOG"
        + " DATABASE 'spectrum' IAM_ROLE 'arn:aws:iam::123456789012:role/dataplatform-copy' CREATE EXTERNAL DATABASE IF NOT EXISTS")));
  }

  private static String hocon() {
    return "model { database = \"" + dw + "\", report-database = \"rpt_" + scenario.id() + "\" }";
  }

  private static PlatformConfig config() {
    return scenario.config(hocon());
  }

  private static void extract() {
    List<TableResult> results = Extracts.run(scenario, hocon(), Clock.systemUTC(), new ExtractOptions(true, false));
    assertTrue(results.stream().allMatch(TableResult::succeeded), results.toString());
  }

  private static StageReport model(PlatformConfig config, boolean rebuild) {
    return Models.build(config, rebuild);
  }

  private static Dataset<Row> warehouseTable(String name) {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", "");
    return spark().read().jdbc(TestPlatform.get().postgres().jdbcUrl(scenario.warehouseDb()), "dw." + name, p);
  }

  private static long auditRows() {
    return warehouseTable("dp_load_audit").count();
  }

  /** The code of a hotel as the local warehouse holds it. */
  private static String warehouseHotelCode(long hotelId) {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", "");
    return spark().read().jdbc(TestPlatform.get().postgres().jdbcUrl(scenario.warehouseDb()),
        "(SELECT hotel_code FROM dw.dim_hotel WHERE hotel_id = " + hotelId + ") q", p).collectAsList().toString();
  }

  private static SparkSession spark() {
    return TestPlatform.get().spark();
  }

  /** A query on a source database, read through Spark's JDBC reader (the test's independent view). */
  private static Dataset<Row> source(String database, String sql) {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", "");
    return spark().read().jdbc(TestPlatform.get().postgres().jdbcUrl(database), "(" + sql + ") q", p);
  }

  private static Dataset<Row> booking(String sql) {
    return source(scenario.bookingDb(), sql);
  }

  private static Dataset<Row> table(String name) {
    return spark().table(dw + "." + name);
  }

  /** Every lake table holds exactly the source's keys live, and the keys the source lost flagged deleted. */
  private static void assertLakeHoldsTheSourcesKeys() {
    Map<String, String> keys = Map.of("crm.guest", "guest_id", "crs.booking", "booking_id", "crs.room_stay", "room_stay_id",
        "billing.payment", "payment_id", "catalog.city", "city_id", "catalog.hotel", "hotel_id", "catalog.room_type", "room_type_id",
        "catalog.hotel_room_type", "hotel_id * 100000 + room_type_id");
    keys.forEach((table, key) -> assertSameRows(
        source(table.startsWith("catalog.") ? scenario.inventoryDb() : scenario.bookingDb(), "SELECT (" + key + ")::bigint AS k FROM " + table),
        Extracts.lake(scenario, table.replace('.', '_')).where("NOT _deleted").selectExpr("CAST(" + key + " AS BIGINT) AS k")));
    assertTrue(Extracts.lake(scenario, "crs_room_stay").where("_deleted").count() > 0, "the day re-planned some stays");
  }

  /** The facts hold exactly the source's rows, with the measures and natural keys it holds. */
  private static void assertFactsEqualTheSource() {
    assertSameRows(booking("SELECT s.room_stay_id, d::date AS stay_date, s.booking_id, s.nightly_rate FROM crs.room_stay s,"
            + " generate_series(s.checkin_date, s.checkout_date - 1, interval '1 day') d"),
        table("fact_room_night").select("room_stay_id", "stay_date", "booking_id", "nightly_rate"));
    assertSameRows(booking("SELECT booking_id, (checkout_date - checkin_date) AS nights, total_amount,"
            + " (checkin_date - (created_at AT TIME ZONE 'Asia/Kolkata')::date) AS lead_time_days FROM crs.booking"),
        table("fact_booking").select("booking_id", "nights", "total_amount", "lead_time_days"));
    assertSameRows(booking("SELECT payment_id, amount, to_char(paid_at AT TIME ZONE 'Asia/Kolkata', 'YYYYMMDD')::int AS date_key"
            + " FROM billing.payment"),
        table("fact_payment").select("payment_id", "amount", "date_key"));
    // Status and channel through their dimensions, as a report joins them.
    assertSameRows(booking("SELECT booking_id, status::text AS status, channel FROM crs.booking"),
        table("fact_booking").join(table("dim_booking_status"), "booking_status_key").join(table("dim_channel"), "channel_key")
            .select("booking_id", "status", "channel"));
    // Every room night's hotel: the hotel's current version for stay dates from today on.
    Dataset<Row> hotelOfNight = table("fact_room_night").join(table("dim_hotel"), "hotel_key").select("room_stay_id", "hotel_id");
    assertSameRows(booking("SELECT DISTINCT s.room_stay_id, b.hotel_id FROM crs.room_stay s JOIN crs.booking b USING (booking_id)"),
        hotelOfNight.distinct());
  }

  @Test
  @Order(1)
  void theFirstBuildHoldsTheSourcesFactsAndDimensions() throws Exception {
    extract();
    StageReport first = model(config(), false);
    assertTrue(first.succeeded(), first.toString());
    assertFactsEqualTheSource();
    assertSameRows(source(scenario.inventoryDb(), "SELECT h.hotel_id, h.category::text AS category, c.city_name"
            + " FROM catalog.hotel h JOIN catalog.city c USING (city_id)"),
        table("dim_hotel").where("is_current AND NOT is_inferred AND hotel_id IS NOT NULL").select("hotel_id", "category", "city_name"));
    assertEquals(0, table("dim_hotel").where("NOT is_current AND hotel_id IS NOT NULL").count(), "one version each so far");

    firstInventory = kpis.inventorySnapshot();
    assertTrue(load(config()).succeeded());
    RedshiftStandIn redshift = loadAsRedshift();
    assertTrue(redshift.statements().stream().anyMatch(q -> q.startsWith("CREATE TABLE IF NOT EXISTS \"dw\".\"fact_room_night\"")
        && q.endsWith(" DISTSTYLE KEY DISTKEY (\"booking_id\") SORTKEY (\"date_key\")")), "Redshift layouts were sent");
    assertCatalogAndSpectrum(redshift);
    assertViewsEqualTheSources(firstInventory, LocalDate.of(9999, 1, 1));

    // A warehouse whose hotel names were made narrower than the model's: the load stops before touching anything.
    String narrow = scenario.id() + "_narrow";
    TestPlatform.get().postgres().ensureDatabase(narrow);
    try (Connection w = java.sql.DriverManager.getConnection(TestPlatform.get().postgres().jdbcUrl(narrow), "postgres", "")) {
      Extracts.execute(w, "CREATE SCHEMA dw; CREATE TABLE dw.dim_hotel (hotel_key bigint, hotel_name varchar(8))");
    }
    StageReport tooLong = load(scenario.config(hocon() + "\nwarehouse.jdbc-url = \"" + TestPlatform.get().postgres().jdbcUrl(narrow)
        + "\""));
    assertFalse(tooLong.succeeded());
    String error = tooLong.units().get(0).error().orElseThrow();
    assertTrue(error.matches("Cannot load build \\S+: dim_hotel\\.hotel_name holds VARCHAR\\(8\\) but a value to load is \\d+ bytes"
        + " long \\(UTF-8 bytes, as Redshift counts\\)\\. Nothing was loaded: widen the column .*"), error);
    try (Connection w = java.sql.DriverManager.getConnection(TestPlatform.get().postgres().jdbcUrl(narrow), "postgres", "");
         var rs = w.createStatement().executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'dw'"
             + " AND table_name <> 'dp_load_audit'")) {
      rs.next();
      assertEquals(1, rs.getInt(1), "no table was created, nothing loaded");
    }
  }

  @Test
  @Order(2)
  void aNightOfActivityWithANewChannelAndAHotelNotPublishedYet() throws Exception {
    try (Connection b = scenario.booking(); Connection i = scenario.inventory()) {
      SyntheticSources.mutate(b, i, 0.03, 11, 1);
      Extracts.execute(b, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
          + " checkout_date, total_amount) VALUES (900001, 'TRB-NEWHOTEL', 9999, 1, 'b2b_portal', 'confirmed', DATE '2026-06-01',"
          + " DATE '2026-06-03', 5000)");
      Extracts.execute(b, "INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date, adults,"
          + " nightly_rate) VALUES (900001, 900001, 1, DATE '2026-06-01', DATE '2026-06-03', 2, 2500)");
    }
    extract();
    assertLakeHoldsTheSourcesKeys();
    StageReport second = model(config(), false);
    assertTrue(second.succeeded(), second.toString());
    assertFactsEqualTheSource();
    // The hotels that changed category have a second version, current, and the first one closed.
    Dataset<Row> changed = source(scenario.inventoryDb(), "SELECT hotel_id, category::text AS category FROM catalog.hotel")
        .join(table("dim_hotel").where("version = 1").select("hotel_id", "category").withColumnRenamed("category", "first"),
            "hotel_id").where("category <> first");
    assertTrue(changed.count() > 0, "the day of activity changed some categories");
    assertEquals(changed.count(), table("dim_hotel").join(changed.select("hotel_id"), "hotel_id").where("is_current AND version >= 2").count());
    // The hotel not published yet: an inferred member, the booking's facts point to it.
    Row inferred = table("dim_hotel").where("hotel_id = 9999").select("hotel_key", "is_inferred").first();
    assertTrue(inferred.getBoolean(1));
    assertEquals(inferred.getLong(0), table("fact_booking").where("booking_id = 900001").select("hotel_key").first().getLong(0));
    assertEquals(1, table("dim_channel").where("channel = 'b2b_portal'").count(), "a new channel value becomes a member");

    assertTrue(load(config()).succeeded());
    RedshiftStandIn redshift = loadAsRedshift();
    assertCatalogAndSpectrum(redshift);
    assertTrue(redshift.statements().stream().noneMatch(q -> q.startsWith("CREATE EXTERNAL TABLE")),
        "Spectrum's tables stand: " + redshift.statements().stream().filter(q -> q.contains("EXTERNAL")).toList());
    // The night's hotel changes count from the hotel-local date the extract first saw them.
    LocalDate seen;
    try (ControlStore control = ControlStore.open(config().control().jdbc())) {
      seen = TimeZones.kolkataDate(control.runs().recent("inventory.catalog.hotel", 1).get(0).startedAt());
    }
    assertViewsEqualTheSources(firstInventory, seen);
  }

  @Test
  @Order(3)
  void theLateHotelFillsInItsInferredMemberUnderTheSameKey() throws Exception {
    long key = table("dim_hotel").where("hotel_id = 9999").select("hotel_key").first().getLong(0);
    try (Connection i = scenario.inventory()) {
      Extracts.execute(i, "INSERT INTO catalog.hotel (hotel_id, hotel_code, hotel_name, city_id, category) VALUES"
          + " (9999, 'BLR-LATE-999', 'Treebo Late', 1, 'premium')");
    }
    extract();
    assertTrue(model(config(), false).succeeded());
    Row filled = table("dim_hotel").where("hotel_id = 9999").select("hotel_key", "is_inferred", "hotel_code", "category").first();
    assertEquals(List.of(key, false, "BLR-LATE-999", "premium"), List.of(filled.getLong(0), filled.getBoolean(1), filled.getString(2),
        filled.getString(3)));
    assertFactsEqualTheSource();

    // The night's load is killed after its stages are merged, before its commit: the warehouse is as it was.
    long audited = auditRows();
    StageReport killed = com.treebo.dataplatform.jobs.warehouse.Interrupted.loadKilledAt(
        new Platform(config(), TestPlatform.get().runtime(), "test load"), "INSERT INTO \"dw\".\"dim_hotel\"");
    assertFalse(killed.succeeded());
    assertEquals(audited, auditRows(), "nothing of the build committed");
    assertEquals("[[null]]", warehouseHotelCode(9999));
    // The rerun loads the build exactly.
    assertTrue(load(config()).succeeded());
    assertEquals("[[BLR-LATE-999]]", warehouseHotelCode(9999));
    for (String t : List.of("dim_hotel", "fact_room_night", "fact_booking", "fact_payment")) {
      assertSameRows(table(t), warehouseTable(t));
    }
  }

  @Test
  @Order(4)
  void aRebuildFromTheRawZoneEqualsTheNightByNightModelRowForRowAndKeyForKey() {
    String other = dw + "_rebuilt";
    PlatformConfig rebuilt = scenario.config("model { database = \"" + other + "\", report-database = \"rpt2_" + scenario.id() + "\" }");
    StageReport r = model(rebuilt, true);
    assertTrue(r.succeeded(), r.toString());
    for (String t : List.of("dim_date", "dim_hotel", "dim_hotel_room_type", "dim_guest", "dim_room_type", "dim_channel",
        "dim_booking_status", "fact_room_night", "fact_booking", "fact_payment", "hist_catalog_hotel", "hist_catalog_city",
        "hist_catalog_hotel_room_type")) {
      assertSameRows(table(t), spark().table(other + "." + t));
    }
  }

  @Test
  @Order(5)
  void aNightWithNothingNewWritesNothingAndABuildLoadsOnce() {
    StageReport again = model(config(), false);
    assertTrue(again.succeeded(), again.toString());
    assertEquals(0L, again.units().get(0).metrics().get("written"), again.toString());
    assertTrue(load(config()).succeeded());
    Dataset<Row> before = warehouseTable("fact_room_night").localCheckpoint();
    StageReport twice = load(config());
    assertTrue(twice.succeeded());
    assertEquals(0L, twice.units().get(0).metrics().get("upserted"), "the build is in the warehouse already");
    assertSameRows(before, warehouseTable("fact_room_night"));
  }

  @Test
  @Order(6)
  void aColumnTheModelGainsIsAddedInTheWarehouseAndTheViewsStand() throws Exception {
    spark().sql("ALTER TABLE " + dw + ".dim_channel ADD COLUMNS (channel_group STRING)");
    spark().sql("UPDATE " + dw + ".dim_channel SET channel_group = 'online' WHERE channel IN ('web', 'app')");
    assertTrue(model(config(), false).succeeded());
    Dataset<Row> monthly = kpis.view(scenario.warehouseDb(), "channel_monthly").localCheckpoint();
    // The build waited for its load beyond the retention, and VACUUM removed the change files of
    // dim_channel's versions since the last load: the table is loaded whole instead, not failed.
    org.apache.hadoop.fs.Path feed = new org.apache.hadoop.fs.Path(scenario.lakeRoot() + "/" + dw + "/dim_channel/_change_data");
    org.apache.hadoop.fs.FileSystem fs = feed.getFileSystem(spark().sparkContext().hadoopConfiguration());
    assertTrue(fs.exists(feed) && fs.delete(feed, true), "the night's updates of dim_channel wrote change files");
    StageReport loaded = load(config());
    assertTrue(loaded.succeeded(), loaded.toString());
    assertTrue(loaded.units().get(0).metrics().get("upserted") >= table("dim_channel").count(), "dim_channel loaded whole");
    assertSameRows(table("dim_channel"), warehouseTable("dim_channel"));
    assertSameRows(spark().sql("SELECT * FROM VALUES ('app', 'online'), ('web', 'online') AS t(channel, channel_group)"),
        warehouseTable("dim_channel").where("channel_group IS NOT NULL").select("channel", "channel_group"));
    assertSameRows(monthly, kpis.view(scenario.warehouseDb(), "channel_monthly"));
  }

  @Test
  @Order(7)
  void aRateBeyondItsDeclaredBoundStopsTheBuildAndPublishesNothing() throws Exception {
    try (ControlStore control = ControlStore.open(config().control().jdbc())) {
      String published = control.publications().last("model", ModelStage.unit(config())).orElseThrow().runId();
      long version = spark().sql("DESCRIBE HISTORY " + dw + ".fact_room_night LIMIT 1").first().getLong(0);
      try (Connection b = scenario.booking()) {
        Extracts.execute(b, "UPDATE crs.room_stay SET nightly_rate = 5000000 WHERE room_stay_id = 900001");
      }
      extract();
      StageReport failed = model(config(), false);
      assertFalse(failed.succeeded());
      String error = failed.units().get(0).error().orElseThrow();
      assertTrue(error.contains("fact_room_night.nightly_rate in [-1000000, 1000000] (2 rows fail)"), error);
      assertTrue(error.contains("published nothing"), error);
      assertEquals(published, control.publications().last("model", ModelStage.unit(config())).orElseThrow().runId());
      assertEquals(version, spark().sql("DESCRIBE HISTORY " + dw + ".fact_room_night LIMIT 1").first().getLong(0), "nothing written");
    }
  }
}
