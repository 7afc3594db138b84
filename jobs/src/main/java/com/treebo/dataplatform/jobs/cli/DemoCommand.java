package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.runtime.Platform;
import com.treebo.dataplatform.jobs.synthetic.SyntheticSources;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;

/**
 * {@code demo}: the whole extract on a laptop, from nothing: local runtime, generated sources, a
 * full load, one day of source changes, an incremental load, and how to look at the result.
 */
final class DemoCommand {
  static final Command COMMAND = new Command("demo",
      "Local end-to-end demo: generate sources, full extract, mutate 1%, incremental extract",
      """
      Usage: bin/dataplatform [--conf FILE] demo [--bookings N] [--seed S]

      Starts the local runtime (a PostgreSQL cluster under local.home, default
      .dataplatform-local/), resets the local source, control and lake state, generates the
      source databases (--bookings, default 20000), runs the extract (a first full load), applies
      one day of changes to about 1% of the rows (updates, new rows, hard deletes), runs the
      extract again (incremental), and prints what each run did and how to query the lake.
      Refuses to run unless local.enabled = true: it drops and recreates the local databases.
      """,
      Set.of("--bookings", "--seed"), Set.of(), DemoCommand::run);

  private DemoCommand() {}

  static int run(Platform platform, Args args) throws Exception {
    PlatformConfig config = platform.config();
    LocalSources.requireLocal(config, "demo");
    long bookings = Long.parseLong(args.option("--bookings").orElse("20000"));
    long seed = Long.parseLong(args.option("--seed").orElse("42"));

    step("Resetting local state under " + config.local().home());
    reset(platform);
    step("Generating the source databases (" + bookings + " bookings, seed " + seed + ")");
    try (Connection booking = LocalSources.connect(config, "booking"); Connection inventory = LocalSources.connect(config, "inventory")) {
      SyntheticSources.createSchema(booking, inventory);
      System.out.println(SyntheticSources.generate(booking, inventory, bookings, seed));
    }
    List<TableConfig> tables = ExtractJob.select(config, List.of());
    ExtractJob.validate(config, tables);
    step("Extract #1: first full load of " + tables.size() + " tables");
    List<TableResult> first = ExtractJob.run(platform, tables);

    step("One day of application activity: about 1% of bookings change, stays re-planned (hard deletes), new payments");
    try (Connection booking = LocalSources.connect(config, "booking"); Connection inventory = LocalSources.connect(config, "inventory")) {
      System.out.println(SyntheticSources.mutate(booking, inventory, 0.01, seed, 1));
    }
    step("Extract #2: incremental (with --reconcile-deletes, so the re-planned stays show up as deletes)");
    List<TableResult> second = ExtractJob.run(platform, tables, true);

    step("Status (bin/dataplatform status)");
    StatusCommand.run(platform, args);
    step("Bookings by status in the lake (bin/dataplatform sql ...)");
    platform.spark().sql("SELECT status, count(*) AS bookings, sum(total_amount) AS value FROM " + config.lake().qualified("crs_booking")
        + " WHERE NOT _deleted GROUP BY status ORDER BY bookings DESC").show(false);
    System.out.println("""
        The lake is in %s (raw Parquet slices under raw/, Delta tables under tables/).
        Query it with the same configuration, for example:
          bin/dataplatform sql "SELECT * FROM lake.crs_booking LIMIT 10"
          bin/dataplatform sql "SELECT count(*) FROM lake.crs_room_stay WHERE _deleted"
          bin/dataplatform sql "DESCRIBE HISTORY lake.crs_booking"
          bin/dataplatform status
        """.formatted(config.lake().root()));
    boolean ok = Stream.concat(first.stream(), second.stream()).allMatch(TableResult::succeeded);
    return ok ? 0 : 1;
  }

  private static void reset(Platform platform) throws Exception {
    PlatformConfig config = platform.config();
    LocalRuntime runtime = platform.runtime();
    LocalPostgres pg = runtime.postgres().orElseThrow();
    for (JdbcConfig jdbc : Stream.concat(Stream.of(config.control()), config.sources().stream().map(s -> s.jdbc())).toList()) {
      LocalRuntime.localDatabase(jdbc.url(), pg.port()).ifPresent(db -> {
        pg.dropDatabase(db);
        pg.ensureDatabase(db);
      });
    }
    platform.spark().sql("DROP DATABASE IF EXISTS " + config.lake().database() + " CASCADE");
    Path lake = new Path(config.lake().root());
    lake.getFileSystem(platform.spark().sparkContext().hadoopConfiguration()).delete(lake, true);
  }

  private static void step(String what) {
    System.out.printf("%n=== %s  [%s]%n", what, Instant.now().toString().substring(11, 19));
  }
}
