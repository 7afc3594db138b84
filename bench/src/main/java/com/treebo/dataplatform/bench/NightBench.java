package com.treebo.dataplatform.bench;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.devtools.clickstream.SyntheticClickstream;
import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import com.treebo.dataplatform.jobs.night.NightPlan;
import com.treebo.dataplatform.jobs.night.NightRunner;
import com.treebo.dataplatform.jobs.night.Pipeline;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The nightly-run benchmark of the issue, in one JVM against one local PostgreSQL, on the extract
 * benchmark's generated sources (all eight tables) and a landed day of clickstream:
 * <ol>
 *   <li>(A) each step of the night run alone ({@code run --only STEP}), on fresh lake, control and
 *       warehouse databases; their sum is the baseline;</li>
 *   <li>(B) the whole night ({@code run}) on fresh ones: target within 1.2x of (A)'s sum;</li>
 *   <li>(C) 1% of the source rows changed, then the next night on (B)'s state: target at most
 *       0.25x of (B).</li>
 * </ol>
 * Not a timed test: it prints the figures and PASS or MISS, never fails on a miss. Usage:
 * {@code NightBench [bookings=200000] [HOCON]} (HOCON: settings layered over the bench's, e.g. to compare a
 * night with {@code catalog.spectrum.tables = []}); everything lives under bench/target/night-bench.
 */
public final class NightBench {
  private static final LocalDate NIGHT = LocalDate.of(2026, 11, 30);

  private NightBench() {}

  public static void main(String[] args) throws Exception {
    long bookings = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
    Path home = Path.of("bench/target/night-bench").toAbsolutePath();
    ExtractBench.deleteTree(home);
    String base = """
        local { enabled = true, home = "%s", postgres-port = %d, s3-port = %d }
        pii.hash-key = "night-bench-only"
        # The bench's nights are minutes apart, not a day: with the default 5-minute overlap the
        # second night's slices would also re-read the rows the generator wrote minutes before.
        extract.overlap = 1 second
        clickstream.landing = "file://%s"
        """.formatted(home.resolve("local"), freePort(), freePort(), home.resolve("landing"))
        + (args.length > 1 ? args[1] + "\n" : "");
    List<String> lines = new ArrayList<>();
    PlatformConfig setup = PlatformConfig.load(Optional.of(base), "night bench");
    try (LocalRuntime runtime = LocalRuntime.start(setup)) {
      LocalPostgres pg = runtime.postgres().orElseThrow();
      try (Connection b = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
          Connection i = DriverManager.getConnection(pg.jdbcUrl("inventory"), "postgres", "")) {
        SyntheticSources.createSchema(b, i);
        System.out.printf("generating %,d bookings (seed 42) ...%n", bookings);
        System.out.println(SyntheticSources.generate(b, i, bookings, 42));
      }
      try (Platform warm = new Platform(setup, runtime, "night bench")) {
        int users = (int) Math.max(100, bookings / 100);
        SyntheticClickstream.Expected web = SyntheticClickstream.land(setup.clickstream().landing(),
            warm.spark().sparkContext().hadoopConfiguration(), NIGHT, users, 8 << 20);
        lines.add(String.format("sources: %,d bookings; clickstream: %,d records of %,d users", bookings, web.records(), users));
        warm.spark().sql("SHOW DATABASES").collectAsList();
      }

      Pipeline pipeline = Pipeline.night(setup.night());
      Map<String, Double> alone = new LinkedHashMap<>();
      PlatformConfig a = phase(base, home, pg, "a");
      try (Platform platform = new Platform(a, runtime, "night bench A")) {
        platform.control();
        for (Pipeline.Step s : pipeline.steps()) {
          long t0 = System.nanoTime();
          NightRunner.NightSummary r = new NightRunner(pipeline, System.out).run(platform, NIGHT,
              new NightPlan.Selection(Optional.empty(), Optional.of(s.name()), Optional.empty()));
          require(r, "step " + s.name() + " alone");
          alone.put(s.name(), ExtractBench.seconds(t0));
        }
      }
      double sum = alone.values().stream().mapToDouble(Double::doubleValue).sum();

      PlatformConfig b = phase(base, home, pg, "b");
      double first;
      double second;
      NightRunner.NightSummary firstNight;
      NightRunner.NightSummary secondNight;
      try (Platform platform = new Platform(b, runtime, "night bench B")) {
        platform.control();
        long t0 = System.nanoTime();
        firstNight = new NightRunner(pipeline, System.out).run(platform, NIGHT, NightPlan.Selection.ALL);
        require(firstNight, "the first night");
        first = ExtractBench.seconds(t0);
        try (Connection bk = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
            Connection inv = DriverManager.getConnection(pg.jdbcUrl("inventory"), "postgres", "")) {
          System.out.println(SyntheticSources.mutate(bk, inv, 0.01, 42, 1));
        }
        // The next night runs a day later by the platform's clock, so that the deletes are reconciled
        // (daily) as on a real second night.
        Platform nextDay = platform.withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(1)));
        t0 = System.nanoTime();
        secondNight = new NightRunner(pipeline, System.out).run(nextDay, NIGHT.plusDays(1), NightPlan.Selection.ALL);
        require(secondNight, "the second night");
        second = ExtractBench.seconds(t0);
      }

      lines.add("");
      alone.forEach((step, s) -> lines.add(String.format(Locale.ROOT, "(A) %-12s alone        %8.1f s", step, s)));
      lines.add(String.format(Locale.ROOT, "(A) sum of the steps           %8.1f s", sum));
      lines.add(String.format(Locale.ROOT, "(B) the whole night            %8.1f s  %.2fx the sum   target <= 1.20x  %s", first, first / sum,
          first / sum <= 1.2 ? "PASS" : "MISS"));
      lines.add(String.format(Locale.ROOT, "(C) next night, 1%% changed     %8.1f s  %.2fx (B)       target <= 0.25x  %s", second,
          second / first, second / first <= 0.25 ? "PASS" : "MISS"));
      lines.add("");
      lines.add("per step, first night -> next night (the model's and the load's issues set <= 0.20x and <= 0.10x):");
      for (int k = 0; k < firstNight.steps().size(); k++) {
        NightRunner.StepOutcome f = firstNight.steps().get(k);
        NightRunner.StepOutcome n = secondNight.steps().get(k);
        double fs = f.duration().toMillis() / 1000.0;
        double ns = n.duration().toMillis() / 1000.0;
        lines.add(String.format(Locale.ROOT, "    %-12s %8.1f s -> %8.1f s  %s", f.step(), fs, ns,
            n.status().equals("skipped") ? "(" + n.status() + ")" : String.format(Locale.ROOT, "%.2fx", fs > 0 ? ns / fs : 0)));
      }
      lines.add(String.format(Locale.ROOT, "peak RSS of this JVM (VmHWM): %s", java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))
          .stream().filter(l -> l.startsWith("VmHWM:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MB").findFirst()
          .orElse("?")));
      System.out.println("\n=== night benchmark\n" + String.join("\n", lines));
    }
  }

  /** Fresh lake, control, warehouse and metastore databases for one phase. */
  private static PlatformConfig phase(String base, Path home, LocalPostgres pg, String tag) {
    pg.ensureDatabase("control_" + tag);
    pg.ensureDatabase("warehouse_" + tag);
    String url = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/";
    return PlatformConfig.load(Optional.of(base + """
        lake { root = "file://%s", database = "lake_%s" }
        control.jdbc-url = "%scontrol_%s"
        warehouse.jdbc-url = "%swarehouse_%s"
        model { database = "dw_%s", report-database = "rpt_%s" }
        """.formatted(home.resolve("lake-" + tag), tag, url, tag, url, tag, tag, tag)), "night bench " + tag);
  }

  private static void require(NightRunner.NightSummary s, String what) {
    if (!s.succeeded()) {
      throw new IllegalStateException(what + " failed: " + s);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
