package com.treebo.dataplatform.bench;

import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/** What the benchmarks on generated sources share: their local set-up, the untimed extract, and the figures every report ends with. */
final class Benches {
  private Benches() {}

  /**
   * The configuration overlay of a benchmark living under {@code home}: the local runtime on free
   * ports, the lake in {@code home/lake}, and a 1-second extract overlap (its nights are minutes
   * apart, not a day: the default 5 minutes would re-read what the generator just wrote).
   */
  static String localConfig(Path home, String name) {
    return """
        local { enabled = true, home = "%s", postgres-port = %d, s3-port = %d }
        pii.hash-key = "%s-only"
        lake.root = "file://%s"
        extract.overlap = 1 second
        """.formatted(home.resolve("local"), freePort(), freePort(), name, home.resolve("lake"));
  }

  /** The source contract's schemas and {@code bookings} generated bookings (seed 42) in the local sources. */
  static void generateSources(LocalPostgres pg, long bookings) throws SQLException {
    try (Connection b = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
        Connection i = DriverManager.getConnection(pg.jdbcUrl("inventory"), "postgres", "")) {
      SyntheticSources.createSchema(b, i);
      System.out.printf("generating %,d bookings (seed 42) ...%n", bookings);
      System.out.println(SyntheticSources.generate(b, i, bookings, 42));
    }
  }

  /** One day of source changes to about {@code fraction} of the rows (seed 42, round 1). */
  static void mutateSources(LocalPostgres pg, double fraction) throws SQLException {
    try (Connection b = DriverManager.getConnection(pg.jdbcUrl("booking"), "postgres", "");
        Connection i = DriverManager.getConnection(pg.jdbcUrl("inventory"), "postgres", "")) {
      System.out.println(SyntheticSources.mutate(b, i, fraction, 42, 1));
    }
  }

  /** Every configured table extracted (not timed); throws when a table failed. */
  static void extractAll(Platform platform) {
    List<TableResult> extracted = ExtractJob.run(platform, ExtractJob.select(platform.config(), List.of()));
    if (!extracted.stream().allMatch(TableResult::succeeded)) {
      throw new IllegalStateException("the extract failed: " + extracted);
    }
  }

  /** Prints a stage's report; throws when it failed. */
  static void require(StageReport r, String what) {
    r.print(System.out);
    if (!r.succeeded()) {
      throw new IllegalStateException(what + " failed");
    }
  }

  /** The peak resident memory of this JVM (VmHWM), in MB. */
  static String peakRss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MB").findFirst().orElse("?");
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
