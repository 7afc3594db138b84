package com.treebo.dataplatform.bench;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.devtools.clickstream.SyntheticClickstream;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Landing to sessions on a synthetic clickstream, against the ceiling for the input format: Spark
 * reading and counting the same gzip JSON (parsing every record) — measured before and after the
 * job in the same JVM. Usage: {@code ClickstreamBench <events> <workdir>}; see bench/clickstream.sh.
 */
public final class ClickstreamBench {
  private ClickstreamBench() {}

  public static void main(String[] args) throws Exception {
    long events = Long.parseLong(args[0]);
    Path work = Path.of(args[1]).toAbsolutePath();
    if (Files.exists(work)) {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(work);
    PlatformConfig config = PlatformConfig.load(Optional.of("""
        local { enabled = true, home = "%s/home", postgres-port = %d, s3-port = %d }
        spark { master = "local[2]", shuffle-partitions = 4 }
        lake.root = "file:%s/lake"
        control.jdbc-url = "jdbc:postgresql://127.0.0.1:%d/control"
        pii.hash-key = "bench-only-pii-key"
        """.formatted(work, pg(), freePort(), work, pgPort)), "bench");
    LocalDate day = LocalDate.of(2026, 11, 20);
    try (Platform platform = Platform.start(config, "clickstream-bench")) {
      SparkSession spark = platform.spark();
      spark.sparkContext().setLogLevel("WARN");
      String landing = config.clickstream().landing();
      int users = SyntheticClickstream.usersFor(events, day);
      long t0 = System.nanoTime();
      SyntheticClickstream.Expected e = SyntheticClickstream.land(landing, spark.sparkContext().hadoopConfiguration(), day, users, 64L << 20);
      System.out.printf("generated %,d records (%,d distinct events, %,d users) = %,d bytes of JSON in %.1f s%n",
          e.records(), e.distinctEvents(), users, e.bytes(), seconds(t0));
      System.out.printf("gzip on disk: %,d bytes%n", du(Path.of(java.net.URI.create(landing))));

      StructType schema = new StructType();
      for (String f : new String[] {"type", "event", "name", "messageId", "anonymousId", "userId", "timestamp", "sentAt",
          "receivedAt", "properties", "traits", "context"}) {
        schema = schema.add(f, DataTypes.StringType);
      }
      StructType s = schema;
      LongSupplier baseline = () -> spark.read().schema(s).json(landing).where("messageId IS NOT NULL").count();
      double base1 = timed("baseline 1: spark.read.json(landing).where(messageId IS NOT NULL).count", baseline);
      double text = timed("floor: spark.read.text(landing).count (gunzip + line split only)", () -> spark.read().text(landing).count());
      // Context, in no ratio: what merely reading every field and writing it once costs. No job that
      // must land the events can be faster than this, whatever else it does.
      String copy = work.resolve("read-and-write").toUri().toString();
      double readWrite = timed("context: spark.read.json(landing) (all 12 fields) -> Parquet, no dedupe, no sessions", () -> {
        spark.read().schema(s).json(landing).write().parquet(copy);
        return spark.read().parquet(copy).count();
      });
      double inferred = timed("context: spark.read.json(landing).count with the schema inferred (Spark's default)",
          () -> spark.read().json(landing).count());

      JobTimeline timeline = JobTimeline.register(spark);
      resetPeaks();
      long fromMs = System.currentTimeMillis();
      long t = System.nanoTime();
      ClickstreamSummary summary = ClickstreamJob.run(
          platform.withClock(java.time.Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), java.time.ZoneOffset.UTC)),
          new ClickstreamJob.Request(Optional.of(day.minusDays(1)), Optional.of(day.plusDays(2))));
      double job = seconds(t);
      long toMs = System.currentTimeMillis();
      long heapPeak = heapPeak();
      Profile.print("clickstream job", fromMs, toMs, timeline);
      summary.print(System.out);
      double base2 = timed("baseline 2 (same, after the job)", baseline);
      double base = Math.min(base1, base2);
      System.out.printf("%nclickstream job, landing to sessions/fact/funnel: %.1f s = %,.0f records/s (%,d records)%n",
          job, summary.records() / job, summary.records());
      System.out.printf("baseline read+count: %.1f s and %.1f s (best %.1f s = %,.0f records/s); text floor %.1f s%n",
          base1, base2, base, e.records() / base, text);
      System.out.printf("job / baseline = %.2fx (target <= 2.0x)%n", job / base);
      System.out.printf("context: read all fields + write Parquet once = %.1f s = %.2fx the baseline; job / that = %.2fx;"
          + " read+count with an inferred schema = %.1f s (job / that = %.2fx)%n", readWrite, readWrite / base, job / readWrite,
          inferred, job / inferred);
      System.out.printf("peak heap during the job: %,d MB; peak RSS of the driver JVM (whole run): %s%n",
          heapPeak >> 20, vmHwm());
      check(summary.eventsInserted() == e.distinctEvents(), "events " + summary.eventsInserted() + " != " + e.distinctEvents());
      check(spark.table(config.lake().database() + ".web_sessions").count() == e.sessions(), "sessions differ from the script");
    }
  }

  private static int pgPort;

  private static int pg() throws IOException {
    pgPort = freePort();
    return pgPort;
  }

  private static double timed(String what, LongSupplier body) {
    long t = System.nanoTime();
    long n = body.getAsLong();
    double s = seconds(t);
    System.out.printf("%s: %,d rows in %.1f s%n", what, n, s);
    return s;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long heapPeak() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  private static String vmHwm() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("n/a");
  }

  private static long du(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark result is wrong: " + what);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
