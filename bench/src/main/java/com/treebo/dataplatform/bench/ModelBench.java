package com.treebo.dataplatform.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sequence;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The star-schema benchmark of the issue, in one JVM against one local PostgreSQL, on the extract
 * benchmark's generated sources (extracted first, not timed):
 * <ol>
 *   <li>(a) the floor: the lake tables the facts need read (live rows) and the three booking facts'
 *       rows written once as Parquet: stays exploded over their nights with their booking's
 *       attributes, bookings with their room count, payments with their booking's hotel; no keys,
 *       no history, no comparison with what is stored;</li>
 *   <li>(b) the first, full model build: target at most 2x (a);</li>
 *   <li>(c) 1% of the source rows changed and extracted (not timed), then the incremental build:
 *       target at most 0.2x (b).</li>
 * </ol>
 * Prints rows/s (the facts' rows over each step's seconds), the peak RSS, and the profile (Spark
 * jobs and driver-only gaps) of both builds. Not a timed test: it prints PASS or MISS and never
 * fails on a miss. Usage: {@code ModelBench [bookings=5000000]}; everything lives under
 * bench/target/model-bench.
 */
public final class ModelBench {
  private ModelBench() {}

  public static void main(String[] args) throws Exception {
    long bookings = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
    Path home = Path.of("bench/target/model-bench").toAbsolutePath();
    ExtractBench.deleteTree(home);
    PlatformConfig config = PlatformConfig.load(Optional.of(Benches.localConfig(home, "model-bench")), "model bench");
    List<String> lines = new ArrayList<>();
    try (LocalRuntime runtime = LocalRuntime.start(config); Platform platform = new Platform(config, runtime, "model bench")) {
      LocalPostgres pg = runtime.postgres().orElseThrow();
      Benches.generateSources(pg, bookings);
      SparkSession spark = platform.spark();
      JobTimeline timeline = JobTimeline.register(spark);
      Benches.extractAll(platform);
      String lake = config.lake().database();
      String dw = config.model().database();

      // (a) the floor.
      long t0 = System.nanoTime();
      long from = System.currentTimeMillis();
      String floorOut = "file://" + home.resolve("floor");
      floor(spark, lake, floorOut);
      double floorSeconds = ExtractBench.seconds(t0);
      Profile.print("(a) the floor", from, System.currentTimeMillis(), timeline);
      long floorRows = 0;
      for (String fact : List.of("room_night", "booking", "payment")) {
        floorRows += spark.read().parquet(floorOut + "/" + fact).count();
      }

      // (b) the first build.
      t0 = System.nanoTime();
      from = System.currentTimeMillis();
      Benches.require(new ModelStage(false).run(platform), "the full build");
      double fullSeconds = ExtractBench.seconds(t0);
      long to = System.currentTimeMillis();
      long factRows = factRows(spark, dw);
      Profile.print("(b) the full build", from, to, timeline);

      // (c) a 1% night, then the incremental build.
      Benches.mutateSources(pg, 0.01);
      Benches.extractAll(platform);
      t0 = System.nanoTime();
      from = System.currentTimeMillis();
      StageReport nightly = new ModelStage(false).run(platform);
      Benches.require(nightly, "the incremental build");
      double nightlySeconds = ExtractBench.seconds(t0);
      Profile.print("(c) the incremental build after a 1% night", from, System.currentTimeMillis(), timeline);

      lines.add(String.format(Locale.ROOT, "sources: %,d bookings; facts (room nights, bookings, payments): %,d rows", bookings, factRows));
      lines.add(String.format(Locale.ROOT, "(a) floor: read the lake, write the facts once  %8.2f s  %,10.0f rows/s", floorSeconds,
          floorRows / floorSeconds));
      lines.add(String.format(Locale.ROOT, "(b) the full model build                      %8.2f s  %,10.0f rows/s", fullSeconds,
          factRows / fullSeconds));
      lines.add(String.format(Locale.ROOT, "(c) the incremental build after a 1%% night    %8.2f s  %s", nightlySeconds,
          nightly.units().get(0).metrics()));
      lines.add(String.format(Locale.ROOT, "(b) / (a)   %.2fx  target <= 2x    %s", fullSeconds / floorSeconds,
          fullSeconds / floorSeconds <= 2 ? "PASS" : "MISS"));
      lines.add(String.format(Locale.ROOT, "(c) / (b)   %.2fx  target <= 0.2x  %s", nightlySeconds / fullSeconds,
          nightlySeconds / fullSeconds <= 0.2 ? "PASS" : "MISS"));
      lines.add("peak RSS of this JVM (VmHWM): " + Benches.peakRss());
      System.out.println("\n=== model benchmark\n" + String.join("\n", lines));
    }
  }

  /** The floor's three fact row sets, written once as Parquet under {@code out}. */
  private static void floor(SparkSession spark, String lake, String out) {
    Dataset<Row> bookings = spark.table(lake + ".crs_booking").where(col("_deleted").equalTo(false));
    Dataset<Row> stays = spark.table(lake + ".crs_room_stay").where(col("_deleted").equalTo(false));
    Dataset<Row> payments = spark.table(lake + ".billing_payment").where(col("_deleted").equalTo(false));
    Dataset<Row> nights = stays.withColumn("stay_date", explode(sequence(col("checkin_date"), date_sub(col("checkout_date"), 1))))
        .join(bookings.select("booking_id", "hotel_id", "guest_id", "channel", "status"), "booking_id")
        .select("room_stay_id", "booking_id", "stay_date", "hotel_id", "guest_id", "room_type_id", "channel", "status", "nightly_rate");
    Dataset<Row> rooms = stays.groupBy("booking_id").count().withColumnRenamed("count", "rooms");
    Dataset<Row> bookingFacts = bookings.join(rooms, new String[] {"booking_id"}, "left")
        .select("booking_id", "hotel_id", "guest_id", "channel", "status", "created_at", "checkin_date", "checkout_date", "cancelled_at",
            "total_amount", "rooms");
    Dataset<Row> paymentFacts = payments.join(bookings.select("booking_id", "hotel_id"), new String[] {"booking_id"}, "left")
        .select("payment_id", "booking_id", "hotel_id", "amount", "method", "paid_at");
    nights.write().mode(SaveMode.Overwrite).parquet(out + "/room_night");
    bookingFacts.write().mode(SaveMode.Overwrite).parquet(out + "/booking");
    paymentFacts.write().mode(SaveMode.Overwrite).parquet(out + "/payment");
  }

  private static long factRows(SparkSession spark, String dw) {
    long rows = 0;
    for (String t : List.of("fact_room_night", "fact_booking", "fact_payment")) {
      rows += spark.table(dw + "." + t).count();
    }
    return rows;
  }
}
