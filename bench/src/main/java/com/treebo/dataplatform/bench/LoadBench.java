package com.treebo.dataplatform.bench;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.control.Publications;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.warehouse.LoadStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The warehouse-load benchmark of the issue, in one JVM against one local PostgreSQL standing in
 * for Redshift: the published build's {@code fact_room_night} rows (about 4.3 per generated
 * booking) loaded (a) by {@code psql \copy} from a CSV file (the ceiling), (b) by Spark's stock
 * JDBC writer with default options, (c) by this loader, the whole build, into an empty warehouse,
 * and (d) by this loader after a 1% night (extract and model not timed). Targets: (c) at least 5x
 * faster than (b) per row and at least 0.5x the rate of (a); (d) at most 0.1x of (c). Not a timed
 * test: it prints the figures and PASS or MISS. Usage: {@code LoadBench [bookings=232000]};
 * everything lives under bench/target/load-bench.
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    long bookings = args.length > 0 ? Long.parseLong(args[0]) : 232_000;
    Path home = Path.of("bench/target/load-bench").toAbsolutePath();
    ExtractBench.deleteTree(home);
    PlatformConfig config = PlatformConfig.load(Optional.of(Benches.localConfig(home, "load-bench")), "load bench");
    List<String> lines = new ArrayList<>();
    try (LocalRuntime runtime = LocalRuntime.start(config); Platform platform = new Platform(config, runtime, "load bench")) {
      LocalPostgres pg = runtime.postgres().orElseThrow();
      Benches.generateSources(pg, bookings);
      SparkSession spark = platform.spark();
      extractAndModel(platform);
      pg.ensureDatabase("warehouse");

      long t0 = System.nanoTime();
      StageReport full = new LoadStage().run(platform);
      double fullSeconds = ExtractBench.seconds(t0);
      Benches.require(full, "the full load");
      long fullRows = full.total("upserted");
      Dataset<Row> facts = published(platform, "fact_room_night");
      long factRows = facts.count();

      // (a) psql \copy of the same fact rows from a CSV file, into a table like the loaded one.
      Path csv = home.resolve("fact_room_night.csv");
      facts.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "false").csv("file://" + home.resolve("csv"));
      try (var files = Files.list(home.resolve("csv"))) {
        Files.move(files.filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow(), csv);
      }
      String columns = String.join(", ", facts.columns());
      try (Connection w = DriverManager.getConnection(pg.jdbcUrl("warehouse"), "postgres", ""); Statement s = w.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS bench");
        s.execute("CREATE TABLE bench.fact_copy (LIKE dw.fact_room_night)");
      }
      t0 = System.nanoTime();
      long copied = psqlCopy(pg, "\\copy bench.fact_copy (" + columns + ") FROM '" + csv + "' CSV");
      double copySeconds = ExtractBench.seconds(t0);

      // (b) Spark's stock JDBC writer, default options.
      Properties p = new Properties();
      p.setProperty("user", "postgres");
      p.setProperty("password", "");
      t0 = System.nanoTime();
      facts.write().jdbc(pg.jdbcUrl("warehouse"), "bench.fact_jdbc", p);
      double jdbcSeconds = ExtractBench.seconds(t0);

      // (d) a 1% night, then the load of its build.
      Benches.mutateSources(pg, 0.01);
      extractAndModel(platform);
      t0 = System.nanoTime();
      StageReport nightly = new LoadStage().run(platform);
      double nightlySeconds = ExtractBench.seconds(t0);
      Benches.require(nightly, "the 1% load");

      lines.add(String.format(Locale.ROOT, "fact_room_night: %,d rows; the whole build: %,d rows in 10 tables", factRows, fullRows));
      lines.add(String.format(Locale.ROOT, "(a) psql \\copy fact_room_night from CSV     %8.2f s  %,10.0f rows/s", copySeconds,
          copied / copySeconds));
      lines.add(String.format(Locale.ROOT, "(b) stock JDBC writer, fact_room_night       %8.2f s  %,10.0f rows/s", jdbcSeconds,
          factRows / jdbcSeconds));
      lines.add(String.format(Locale.ROOT, "(c) this loader, the whole build (full)      %8.2f s  %,10.0f rows/s", fullSeconds,
          fullRows / fullSeconds));
      lines.add(String.format(Locale.ROOT, "(d) this loader after a 1%% night             %8.2f s  %,d rows upserted, %,d deleted", nightlySeconds,
          nightly.total("upserted"), nightly.total("deleted")));
      double vsJdbc = (fullRows / fullSeconds) / (factRows / jdbcSeconds);
      double vsCopy = (fullRows / fullSeconds) / (copied / copySeconds);
      lines.add(String.format(Locale.ROOT, "(c) rate / (b) rate   %.2fx  target >= 5x    %s", vsJdbc, vsJdbc >= 5 ? "PASS" : "MISS"));
      lines.add(String.format(Locale.ROOT, "(c) rate / (a) rate   %.2fx  target >= 0.5x  %s", vsCopy, vsCopy >= 0.5 ? "PASS" : "MISS"));
      lines.add(String.format(Locale.ROOT, "(d) time / (c) time   %.2fx  target <= 0.1x  %s", nightlySeconds / fullSeconds,
          nightlySeconds / fullSeconds <= 0.1 ? "PASS" : "MISS"));
      lines.add("peak RSS of this JVM (VmHWM): " + Benches.peakRss());
      System.out.println("\n=== load benchmark\n" + String.join("\n", lines));
    }
  }

  /** The night's extract and model build, not timed. */
  private static void extractAndModel(Platform platform) {
    Benches.extractAll(platform);
    Benches.require(new ModelStage(false).run(platform), "the model build");
  }

  /** {@code table} of the model as its last published build holds it. */
  private static Dataset<Row> published(Platform platform, String table) {
    String qualified = platform.config().model().database() + "." + table;
    Publications.Publication build = platform.control().publications().last(ModelStage.NAME, ModelStage.unit(platform.config()))
        .orElseThrow();
    long version = build.outputs().get(qualified).deltaVersion();
    return platform.spark().read().option("versionAsOf", version).table(qualified);
  }

  private static long psqlCopy(LocalPostgres pg, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(pg.binary("psql").toString(), "-X", "-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", "postgres",
        "-d", "warehouse", "-c", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql failed: " + out);
    }
    Matcher m = Pattern.compile("COPY (\\d+)").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("psql printed no row count: " + out);
    }
    return Long.parseLong(m.group(1));
  }
}
