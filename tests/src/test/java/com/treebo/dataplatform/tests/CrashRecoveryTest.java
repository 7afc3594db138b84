package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The extract process is killed (halted, as a lost node would be) at a point between its writes;
 * a rerun after more source changes must leave the lake holding exactly the source's rows, and the
 * raw zone only the slices of committed runs. Each run is a real launcher process.
 */
class CrashRecoveryTest {

  @ParameterizedTest
  @ValueSource(strings = {"after-raw-write", "after-lake-commit"})
  void killedRunThenRerunLeavesTheExactSourceRowSet(String faultPoint) throws Exception {
    Path home = Files.createDirectories(TestPlatform.get().home().resolve("crash-" + faultPoint));
    int port = TestPlatform.freePort();
    try (LocalPostgres pg = LocalPostgres.start(home.resolve("postgres"), port)) {
      for (String db : List.of("booking", "inventory", "dataplatform_control")) {
        pg.ensureDatabase(db);
      }
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "")) {
        Extracts.execute(c, Extracts.resource("contracts/source/booking.sql"));
        Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) SELECT g, 'G' || g FROM generate_series(1, 2000) g");
        Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
            + " checkout_date, total_amount, updated_at) SELECT b, 'TRB-' || b, b % 9, b, 'web', 'reserved', DATE '2026-12-01',"
            + " DATE '2026-12-02', b, now() - interval '2 days' FROM generate_series(1, 2000) b");
      }
      Path conf = home.resolve("crash.conf");
      Files.writeString(conf, """
          local { enabled = true, home = "%s", postgres-port = %d, s3-port = %d }
          spark.shuffle-partitions = 2
          lake.root = "file://%s/lake"
          pii.hash-key = "test-only-pii-key"
          extract.rows-per-partition = 700
          """.formatted(home, port, TestPlatform.freePort(), home));

      Launcher.Result killed = Launcher.run(home, List.of("-Ddataplatform.fault=" + faultPoint + ":booking.crs.booking"),
          "--conf", conf.toString(), "extract", "--tables", "crs.booking");
      assertEquals(137, killed.exitCode(), killed.output());
      assertEquals("[running]", runStatuses(pg));

      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "")) {
        Extracts.execute(c, "UPDATE crs.booking SET status = 'confirmed' WHERE booking_id % 10 = 0");
        Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
            + " checkout_date, total_amount) SELECT b, 'TRB-' || b, 1, 1, 'app', 'reserved', DATE '2026-12-05', DATE '2026-12-06', 1"
            + " FROM generate_series(2001, 2050) b");
      }
      Launcher.Result rerun = Launcher.run(home, List.of(), "--conf", conf.toString(), "extract", "--tables", "crs.booking");
      assertEquals(0, rerun.exitCode(), rerun.output());
      assertEquals("[abandoned, succeeded]", runStatuses(pg));

      SparkSession spark = TestPlatform.get().spark();
      Dataset<Row> lake = spark.read().format("delta").load("file://" + home + "/lake/tables/crs_booking")
          .selectExpr("booking_id", "status", "_deleted");
      assertSameRows(sourceRows(spark, pg), lake);
      try (Stream<Path> runs = Files.list(home.resolve("lake/raw/crs_booking")).flatMap(CrashRecoveryTest::list)) {
        assertEquals(1, runs.count(), "only the committed run's slice stays in the raw zone");
      }
    }
  }

  private static Dataset<Row> sourceRows(SparkSession spark, LocalPostgres pg) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
         ResultSet rs = c.createStatement().executeQuery("SELECT booking_id, status::text FROM crs.booking")) {
      while (rs.next()) {
        rows.add(RowFactory.create(rs.getLong(1), rs.getString(2), false));
      }
    }
    StructType schema = new StructType().add("booking_id", DataTypes.LongType).add("status", DataTypes.StringType)
        .add("_deleted", DataTypes.BooleanType);
    return spark.createDataFrame(rows, schema);
  }

  private static String runStatuses(LocalPostgres pg) throws Exception {
    List<String> statuses = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("dataplatform_control"), "postgres", "");
         ResultSet rs = c.createStatement().executeQuery("SELECT status FROM dp_run ORDER BY started_at")) {
      while (rs.next()) {
        statuses.add(rs.getString(1));
      }
    }
    return statuses.toString();
  }

  private static Stream<Path> list(Path dir) {
    try {
      return Files.list(dir).filter(Files::isDirectory).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
