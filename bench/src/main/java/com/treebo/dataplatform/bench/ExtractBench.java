package com.treebo.dataplatform.bench;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The extract benchmark, in one JVM against one local PostgreSQL: on a generated crs.booking, (a)
 * {@code psql \copy} to /dev/null (the ceiling), (b) Spark's stock JDBC reader to Parquet, (c) this
 * project's full extract, then incremental extracts after deltas of several sizes: (e) 1% of the
 * rows scattered over every key, (g) 1% on the newest keys, (i) 100 scattered rows (0.01% of 1M),
 * (j) nothing changed; each compared with the full extract of the same round. Then the floors of
 * a small delta: (k) the fixed cost of a Delta MERGE (one row into one row), (l) one read of every
 * column of the lake table (what a MERGE touching every file reads). With several rounds
 * the steps alternate, so host noise hits all of them alike; with several scales the whole
 * sequence runs at each, on sources generated afresh. Not a timed test: it prints figures and
 * PASS/MISS against the targets, it never fails on a miss.
 *
 * <p>Usage: {@code ExtractBench [bookings[,bookings...]] [rounds]} (default 1000000,5000000 and 1).
 * Everything lives under bench/target/extract-bench, removed at the start of every invocation.
 */
public final class ExtractBench {
  private static final String TABLE = "crs.booking";

  private ExtractBench() {}

  public static void main(String[] args) throws Exception {
    List<Long> scales = java.util.Arrays.stream((args.length > 0 ? args[0] : "1000000,5000000").split(","))
        .map(String::trim).map(Long::parseLong).toList();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Path home = Path.of("bench/target/extract-bench").toAbsolutePath();
    deleteTree(home);
    String base = """
        local { enabled = true, home = "%s", postgres-port = %d, s3-port = %d }
        pii.hash-key = "extract-bench-only"
        # The bench's runs are seconds apart, not a night: with the default 5-minute overlap each
        # incremental slice would also re-read the previous step's updated rows.
        extract.overlap = 1 second
        """.formatted(home.resolve("local"), freePort(), freePort());
    PlatformConfig setup = configWithLake(base, home.resolve("lake-0"));
    List<ExtractReport> reports = new java.util.ArrayList<>();
    try (LocalRuntime runtime = LocalRuntime.start(setup)) {
      LocalPostgres pg = runtime.postgres().orElseThrow();
      SparkSession spark = null;
      JobTimeline timeline = null;
      for (long bookings : scales) {
        ExtractReport report = new ExtractReport(String.format(Locale.ROOT, "%,d bookings", bookings));
        reports.add(report);
        report.note(String.format("machine: %d cores, load average at start %s", Runtime.getRuntime().availableProcessors(),
            loadAverage()));
        pg.dropDatabase("booking");
        pg.dropDatabase("inventory");
        pg.ensureDatabase("booking");
        pg.ensureDatabase("inventory");
        long rows = generate(pg, bookings, report);
        if (spark == null) {
          long t0 = System.nanoTime();
          try (Platform warm = new Platform(setup, runtime, "extract bench")) {
            spark = warm.spark();
            spark.sql("SHOW DATABASES").collectAsList(); // metastore start-up: session cost, not the extract's
          }
          report.add(0, "Spark session + metastore start (not compared)", seconds(t0), 0);
          timeline = JobTimeline.register(spark);
        }
        Bench bench = new Bench(pg, runtime, spark, timeline, base, home, rows, report);
        for (int round = 1; round <= rounds; round++) {
          bench.round(round, round == rounds);
        }
        report.note(String.format("peak RSS of this JVM (VmHWM): %s; load average at end %s", peakRss(), loadAverage()));
      }
      reports.forEach(r -> r.print(rounds));
      if (spark != null) {
        spark.stop();
      }
    }
  }

  /** Creates the contract's schemas, generates the sources, and analyses crs.booking; returns its row count. */
  private static long generate(LocalPostgres pg, long bookings, ExtractReport report) throws Exception {
    try (Connection b = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
         Connection i = DriverManager.getConnection(pg.jdbcUrl("inventory"), "postgres", "")) {
      SyntheticSources.createSchema(b, i);
      System.out.printf("generating %,d bookings (seed 42) ...%n", bookings);
      long t0 = System.nanoTime();
      SyntheticSources.Summary summary = SyntheticSources.generate(b, i, bookings, 42);
      report.add(0, "generate sources (not compared)", seconds(t0), summary.rowsByTable().values().stream().mapToLong(Long::longValue).sum());
      System.out.println(summary);
      t0 = System.nanoTime();
      try (Statement s = b.createStatement()) {
        s.execute("VACUUM ANALYZE crs.booking");
        report.add(0, "VACUUM ANALYZE crs.booking (not compared)", seconds(t0), 0);
        try (ResultSet rs = s.executeQuery("SELECT count(*), pg_size_pretty(pg_relation_size('crs.booking')),"
            + " pg_size_pretty(pg_total_relation_size('crs.booking')) FROM crs.booking")) {
          rs.next();
          report.note(String.format("crs.booking: %,d rows, heap %s, with indexes %s", rs.getLong(1), rs.getString(2), rs.getString(3)));
          return rs.getLong(1);
        }
      }
    }
  }

  /** The steps of one round, and what they need between rounds. */
  private record Bench(LocalPostgres pg, LocalRuntime runtime, SparkSession spark, JobTimeline timeline, String base,
      Path home, long rows, ExtractReport report) {

    void round(int round, boolean profile) throws Exception {
      System.out.printf("%n=== round %d%n", round);
      long t0 = System.nanoTime();
      long copied = psqlCopy();
      report.add(round, ExtractReport.COPY, seconds(t0), requireRows(copied, "psql \\copy"));

      String stockOut = "file://" + home.resolve("stock-parquet-" + round);
      t0 = System.nanoTime();
      stockRead(stockOut);
      double stockSeconds = seconds(t0);
      report.add(round, ExtractReport.STOCK, stockSeconds, requireRows(spark.read().parquet(stockOut).count(), "stock reader"));
      deleteTree(home.resolve("stock-parquet-" + round));

      // The job a data engineer would write instead of this extract: the same reader, the same rows
      // written into a Delta table registered in the metastore (no raw zone, no checkpoint, no snapshot).
      t0 = System.nanoTime();
      stockToDelta(round);
      report.add(round, ExtractReport.STOCK_DELTA, seconds(t0),
          requireRows(spark.table("bench_stock.crs_booking_" + round).count(), "stock reader -> Delta"));
      spark.sql("DROP TABLE bench_stock.crs_booking_" + round);
      deleteTree(home.resolve("stock-delta-" + round));

      PlatformConfig config = configWithLake(base, home.resolve("lake-" + round));
      resetLake(round);
      try (Platform platform = new Platform(config, runtime, "extract bench")) {
        List<TableConfig> tables = ExtractJob.select(config, List.of(TABLE));
        ExtractJob.validate(config, tables);
        platform.spark();
        platform.control(); // opens the fresh control database and creates its tables: setup, not the run
        Timed full = extract(platform, tables);
        report.add(round, ExtractReport.FULL, full.seconds, requireRows(full.result.counts().rowsRead(), "full extract"));

        Timed incremental = updateThenExtract(platform, tables, round, ExtractReport.UPDATE, ExtractReport.INCREMENTAL,
            "UPDATE crs.booking SET status = 'confirmed' WHERE booking_id % 100 = 7");
        // 1% again, the newest bookings this time: in a hotel chain's booking system most changes
        // (modifications, cancellations, check-ins) fall on recent bookings, whose keys are the highest.
        Timed recentRun = updateThenExtract(platform, tables, round, ExtractReport.RECENT_UPDATE,
            ExtractReport.RECENT_INCREMENTAL, "UPDATE crs.booking SET status = 'confirmed'"
                + " WHERE booking_id > (SELECT max(booking_id) FROM crs.booking) - " + rows / 100);
        // 100 rows scattered over the whole key range: a quiet table's night.
        Timed tiny = updateThenExtract(platform, tables, round, ExtractReport.TINY_UPDATE, ExtractReport.TINY_INCREMENTAL,
            "UPDATE crs.booking SET status = 'confirmed' WHERE booking_id IN (SELECT booking_id FROM crs.booking"
                + " WHERE booking_id % " + Math.max(1, rows / 100) + " = 3 ORDER BY booking_id LIMIT 100)");
        // Nothing changed since the last run.
        Timed empty = extract(platform, tables);
        report.add(round, ExtractReport.EMPTY_INCREMENTAL, empty.seconds, empty.result.counts().rowsRead());
        // The floors a small delta's MERGE cannot go below, in the same JVM and round.
        report.add(round, ExtractReport.FLOOR_MERGE, floorMerge(round), 1);
        t0 = System.nanoTime();
        // Every column decoded (a hash of each row: Delta's scan refuses the "noop" writer).
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> lake = spark.table("lake.crs_booking");
        lake.agg(org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.xxhash64(
            java.util.Arrays.stream(lake.columns()).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
            .bitwiseAND(1L))).collectAsList();
        report.add(round, ExtractReport.FLOOR_SCAN, seconds(t0), rows);
        if (profile) {
          Profile.print("full extract, round " + round, full.fromMs, full.toMs, timeline);
          Profile.print("incremental extract after a 1% scattered update, round " + round, incremental.fromMs, incremental.toMs,
              timeline);
          Profile.print("incremental extract after the newest-bookings update, round " + round, recentRun.fromMs,
              recentRun.toMs, timeline);
          Profile.print("incremental extract after 100 scattered rows, round " + round, tiny.fromMs, tiny.toMs, timeline);
          Profile.print("incremental extract of an empty delta, round " + round, empty.fromMs, empty.toMs, timeline);
        }
      }
      vacuum(); // every round starts from the same, vacuumed table; not timed
    }

    private long psqlCopy() throws IOException, InterruptedException {
      Process p = new ProcessBuilder("/usr/bin/psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U",
          "postgres", "-d", "booking", "-c", "\\copy crs.booking to '/dev/null'").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("psql \\copy failed: " + out);
      }
      Matcher m = Pattern.compile("COPY (\\d+)").matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("psql \\copy printed no row count: " + out);
      }
      return Long.parseLong(m.group(1));
    }

    /**
     * The fixed cost of a Delta MERGE here: one row merged by key into a one-row table with deletion
     * vectors (as the lake's), the source not copied first (as the extract's); seconds.
     */
    private double floorMerge(int round) throws IOException {
      deleteTree(home.resolve("floor-merge-" + round)); // a previous scale's
      String table = "bench_stock.floor_merge_" + round;
      spark.sql("CREATE DATABASE IF NOT EXISTS bench_stock");
      spark.sql("CREATE TABLE " + table + " USING delta LOCATION 'file://" + home.resolve("floor-merge-" + round) + "'"
          + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true') AS SELECT CAST(1 AS BIGINT) AS id, 'x' AS v");
      spark.range(1, 2).selectExpr("id", "'y' AS v").createOrReplaceTempView("floor_source");
      spark.conf().set("spark.databricks.delta.merge.materializeSource", "none");
      long t0 = System.nanoTime();
      spark.sql("MERGE INTO " + table + " t USING floor_source s ON t.id = s.id"
          + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *").collectAsList();
      double s = seconds(t0);
      spark.conf().unset("spark.databricks.delta.merge.materializeSource");
      if (!"y".equals(spark.table(table).first().getString(1))) {
        throw new IllegalStateException("the floor MERGE did not update its row");
      }
      spark.sql("DROP TABLE " + table);
      return s;
    }

    /** Spark's own JDBC source, as its documentation suggests, written as Parquet. */
    private void stockRead(String out) throws Exception {
      spark.sparkContext().setJobGroup("bench stock jdbc", "stock JDBC reader -> Parquet", false);
      stockReader().write().mode(SaveMode.ErrorIfExists).parquet(out);
      spark.sparkContext().clearJobGroup();
    }

    /** Spark's own JDBC source: bounds from min/max of the key, 2 partitions, fetchsize 10,000. */
    private org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> stockReader() throws Exception {
      long min;
      long max;
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
           ResultSet rs = c.createStatement().executeQuery("SELECT min(booking_id), max(booking_id) FROM crs.booking")) {
        rs.next();
        min = rs.getLong(1);
        max = rs.getLong(2);
      }
      return spark.read().format("jdbc").option("url", pg.jdbcUrl("booking")).option("user", "postgres").option("password", "")
          .option("dbtable", TABLE).option("partitionColumn", "booking_id").option("lowerBound", min)
          .option("upperBound", max).option("numPartitions", 2).option("fetchsize", 10000).load();
    }

    /** {@link #stockRead}'s reader, written with {@code saveAsTable} as a Delta table (bench_stock.crs_booking_<round>). */
    private void stockToDelta(int round) throws Exception {
      spark.sparkContext().setJobGroup("bench stock jdbc delta", "stock JDBC reader -> Delta saveAsTable", false);
      spark.sql("CREATE DATABASE IF NOT EXISTS bench_stock");
      stockReader().write().format("delta").option("path", "file://" + home.resolve("stock-delta-" + round))
          .saveAsTable("bench_stock.crs_booking_" + round);
      spark.sparkContext().clearJobGroup();
    }

    /** A fresh control database, no lake database in the metastore, no previous lake folder. */
    private void resetLake(int round) throws IOException {
      pg.dropDatabase("dataplatform_control");
      pg.ensureDatabase("dataplatform_control");
      spark.sql("DROP DATABASE IF EXISTS lake CASCADE");
      deleteTree(home.resolve("lake-" + (round - 1)));
      // The previous scale's lake of the same round: left there, the extract would find its Delta
      // table at the path, register it again and merge into it instead of loading afresh.
      deleteTree(home.resolve("lake-" + round));
    }

    private record Timed(TableResult result, double seconds, long fromMs, long toMs) {}

    private Timed extract(Platform platform, List<TableConfig> tables) {
      long fromMs = System.currentTimeMillis();
      long t0 = System.nanoTime();
      TableResult r = ExtractJob.run(platform, tables).get(0);
      double s = seconds(t0);
      if (!r.succeeded()) {
        throw new IllegalStateException("the extract of " + TABLE + " failed: " + r.error().orElse("?"));
      }
      return new Timed(r, s, fromMs, System.currentTimeMillis());
    }

    /**
     * Runs {@code update} at the source (the application saving rows: the trigger stamps
     * updated_at), then the incremental extract; both timed. The scattered update hits the same rows
     * every round, so that a slice's overlap reaching back to the previous round's update still holds
     * exactly those rows.
     */
    private Timed updateThenExtract(Platform platform, List<TableConfig> tables, int round, String updateStep,
        String extractStep, String update) throws Exception {
      long t0 = System.nanoTime();
      long updated;
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
           Statement s = c.createStatement()) {
        updated = s.executeUpdate(update);
      }
      report.add(round, updateStep, seconds(t0), updated);
      // The extract's watermark must pass this update by more than the bench's 1-second overlap, or
      // the next step's slice re-reads this update's rows too (a night apart, they never meet).
      Thread.sleep(1500);
      Timed run = extract(platform, tables);
      long read = run.result.counts().rowsRead();
      report.add(round, extractStep, run.seconds, read);
      if (read < updated) {
        throw new IllegalStateException(extractStep + " read " + read + " rows, fewer than the " + updated + " updated");
      }
      return run;
    }

    private void vacuum() throws Exception {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
           Statement s = c.createStatement()) {
        s.execute("VACUUM ANALYZE crs.booking");
      }
    }

    private long requireRows(long n, String what) {
      if (n != rows) {
        throw new IllegalStateException(what + " gave " + n + " rows, expected " + rows);
      }
      return n;
    }
  }

  private static PlatformConfig configWithLake(String base, Path lake) {
    return PlatformConfig.load(Optional.of(base + "lake.root = \"file://" + lake + "\"\n"), "extract bench");
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String peakRss() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
        .map(l -> String.format("%,d MB", Long.parseLong(l.replaceAll("\\D", "")) / 1024)).findFirst().orElse("?");
  }

  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
