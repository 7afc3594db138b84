package com.treebo.dataplatform.devtools.cli;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.cli.PlatformCommand;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.devtools.clickstream.SyntheticClickstream;
import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import com.treebo.dataplatform.jobs.night.NightPlan;
import com.treebo.dataplatform.jobs.night.NightRunner;
import com.treebo.dataplatform.jobs.night.Pipeline;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;

/**
 * {@code demo}: the whole night on a laptop, from nothing: local runtime, generated sources and
 * clickstream, a first night, one day of source changes, the next night, and how to look at the result.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Local end-to-end demo: two nights of the whole pipeline (bin/dataplatform run) over generated data.",
        "",
        "Starts the local runtime (a PostgreSQL cluster under local.home, default .dataplatform-local/), resets the",
        "local source, control, warehouse and lake state, generates the source databases and a day of clickstream",
        "landed as Kinesis Firehose lands it, and runs the night: extract, clickstream, model, load (the local",
        "warehouse and its report views), maintenance. Then applies one day of changes to about 1% of the rows",
        "(updates, new rows, hard deletes) and runs the next night. Prints what each step did, the busiest",
        "hotel-days' KPIs from the warehouse, and how to query the lake, the model and the warehouse.",
        "Refuses to run unless local.enabled = true: it drops and recreates the local databases."})
public final class DemoCommand extends PlatformCommand {
  @Option(names = "--bookings", paramLabel = "N", description = "Bookings to generate (default: ${DEFAULT-VALUE}).")
  private long bookings = 20_000;

  @Option(names = "--web-users", paramLabel = "N", description = "Website users whose day of clickstream lands (default: ${DEFAULT-VALUE}).")
  private int webUsers = 500;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of every generated value (default: ${DEFAULT-VALUE}).")
  private long seed = 42;

  @Override
  protected void check(PlatformConfig config) {
    LocalSources.requireLocal(config, "demo");
  }

  @Override
  protected int run(Platform platform) throws Exception {
    PlatformConfig config = platform.config();
    step("Resetting local state under " + config.local().home());
    reset(platform);
    step("Generating the source databases (" + bookings + " bookings, seed " + seed + ")");
    try (Connection booking = LocalSources.connect(config, "booking"); Connection inventory = LocalSources.connect(config, "inventory")) {
      SyntheticSources.createSchema(booking, inventory);
      System.out.println(SyntheticSources.generate(booking, inventory, bookings, seed));
    }
    LocalDate today = NightPlan.nightOf(platform.clock().instant(), config.night().timeZone());
    step("Landing a day of website clickstream (" + webUsers + " users) under " + config.clickstream().landing());
    SyntheticClickstream.Expected web = SyntheticClickstream.land(config.clickstream().landing(),
        platform.spark().sparkContext().hadoopConfiguration(), today.minusDays(1), webUsers, 4 << 20);
    System.out.println("  " + web.records() + " records, " + web.distinctEvents() + " distinct events, " + web.sessions() + " sessions");

    Pipeline pipeline = Pipeline.night(config.night());
    NightRunner runner = new NightRunner(pipeline, System.out);
    step("Night " + today.minusDays(1) + ": the first night, a full load (bin/dataplatform run)");
    NightRunner.NightSummary first = runner.run(platform, today.minusDays(1), NightPlan.Selection.ALL);

    step("One day of application activity: about 1% of bookings change, stays re-planned (hard deletes), new payments");
    try (Connection booking = LocalSources.connect(config, "booking"); Connection inventory = LocalSources.connect(config, "inventory")) {
      System.out.println(SyntheticSources.mutate(booking, inventory, 0.01, seed, 1));
    }
    step("Night " + today + ": incremental (deletes are reconciled on their own schedule, daily by default)");
    NightRunner.NightSummary second = runner.run(platform, today, NightPlan.Selection.ALL);
    if (second.succeeded()) {
      step("The warehouse, as a dashboard reads it");
      printKpis(config);
    }

    step("Status (bin/dataplatform status)");
    for (var s : platform.control().status().tables()) {
      System.out.println("  " + s.tableId() + ": watermark " + s.watermark().orElse("-"));
    }
    step("Bookings by status in the lake (bin/dataplatform sql ...)");
    platform.spark().sql("SELECT status, count(*) AS bookings, sum(total_amount) AS value FROM " + config.lake().qualified("crs_booking")
        + " WHERE NOT _deleted GROUP BY status ORDER BY bookings DESC").show(false);
    System.out.println("""
        The lake is in %s (raw Parquet slices under raw/, Delta tables under tables/, night summaries under _nights/).
        Query it with the same configuration, for example:
          bin/dataplatform sql "SELECT * FROM lake.crs_booking LIMIT 10"
          bin/dataplatform sql "SELECT count(*) FROM lake.crs_room_stay WHERE _deleted"
          bin/dataplatform sql "DESCRIBE HISTORY lake.crs_booking"
          bin/dataplatform sql "SELECT * FROM rpt.funnel_daily"
          bin/dataplatform status
        """.formatted(config.lake().root()));
    System.out.println("""
        The star schema is in the metastore database %s (bin/dataplatform sql "SELECT * FROM %s.fact_room_night LIMIT 10"),
        and the warehouse in %s (schemas %s and %s):
          bin/dataplatform psql warehouse -- -c "SELECT * FROM %s.channel_monthly"
        """.formatted(config.model().database(), config.model().database(), config.warehouse().jdbc().url(),
        config.warehouse().schema(), config.warehouse().reportSchema(), config.warehouse().reportSchema()));
    return first.succeeded() && second.succeeded() ? 0 : 1;
  }

  /** The first rows of the hotel KPI view, read from the warehouse the way a dashboard reads it. */
  private static void printKpis(PlatformConfig config) throws Exception {
    JdbcConfig jdbc = config.warehouse().jdbc();
    String view = config.warehouse().reportSchema() + ".hotel_daily_kpis";
    System.out.println("  " + view + ", the busiest hotel-days:");
    try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password().reveal());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + view + " ORDER BY room_nights_sold DESC, hotel_code, stay_date LIMIT 5")) {
      int n = rs.getMetaData().getColumnCount();
      StringBuilder header = new StringBuilder("   ");
      for (int i = 1; i <= n; i++) {
        header.append(' ').append(rs.getMetaData().getColumnLabel(i));
      }
      System.out.println(header);
      while (rs.next()) {
        StringBuilder row = new StringBuilder("   ");
        for (int i = 1; i <= n; i++) {
          row.append(' ').append(rs.getString(i));
        }
        System.out.println(row);
      }
    }
  }

  private static void reset(Platform platform) throws Exception {
    PlatformConfig config = platform.config();
    LocalRuntime runtime = platform.runtime();
    LocalPostgres pg = runtime.postgres().orElseThrow();
    for (JdbcConfig jdbc : Stream.concat(Stream.of(config.control().jdbc(), config.warehouse().jdbc()), config.sources().stream().map(s -> s.jdbc())).toList()) {
      LocalRuntime.localDatabase(jdbc.url(), pg.port()).ifPresent(db -> {
        pg.dropDatabase(db);
        pg.ensureDatabase(db);
      });
    }
    for (String database : List.of(config.lake().database(), config.model().database(), config.model().reportDatabase())) {
      platform.spark().sql("DROP DATABASE IF EXISTS " + database + " CASCADE");
    }
    Path lake = new Path(config.lake().root());
    lake.getFileSystem(platform.spark().sparkContext().hadoopConfiguration()).delete(lake, true);
  }

  private static void step(String what) {
    System.out.printf("%n=== %s  [%s]%n", what, Instant.now().toString().substring(11, 19));
  }
}
