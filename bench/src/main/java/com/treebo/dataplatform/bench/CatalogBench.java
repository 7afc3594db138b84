package com.treebo.dataplatform.bench;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.catalog.Publication;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What keeping the model readable by Redshift Spectrum costs a night, measured three ways on the
 * same lake in one JVM (each variant its own model database, built fully, then incrementally after
 * the same 1% night):
 * <ul>
 *   <li>none: no table listed for Spectrum (deletion vectors on, no manifests): the baseline;</li>
 *   <li>no-dv: the model's tables listed, as shipped (no deletion vectors; Delta rewrites the
 *       manifest after each commit);</li>
 *   <li>purge: deletion vectors kept, and after each build every table's deletion vectors purged
 *       ({@code REORG TABLE ... APPLY (PURGE)}) and its manifest generated.</li>
 * </ul>
 * It also times publishing every table's metastore entry when the entries are already current (what
 * every write pays from now on). Usage: bench/catalog.sh [bookings=1000000].
 */
public final class CatalogBench {
  private CatalogBench() {}

  public static void main(String[] args) throws Exception {
    long bookings = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    Path home = Path.of("bench/target/catalog-bench").toAbsolutePath();
    ExtractBench.deleteTree(home);
    String base = Benches.localConfig(home, "catalog-bench");
    PlatformConfig config = PlatformConfig.load(Optional.of(base), "catalog bench");
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("none", "catalog.spectrum.tables = []");
    variants.put("no-dv", "");
    variants.put("purge", "catalog.spectrum.tables = []");
    Map<String, double[]> seconds = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    try (LocalRuntime runtime = LocalRuntime.start(config); Platform platform = new Platform(config, runtime, "catalog bench")) {
      LocalPostgres pg = runtime.postgres().orElseThrow();
      Benches.generateSources(pg, bookings);
      SparkSession spark = platform.spark();
      Benches.extractAll(platform);
      for (int round = 0; round < 2; round++) {
        if (round == 1) {
          Benches.mutateSources(pg, 0.01);
          Benches.extractAll(platform);
        }
        for (Map.Entry<String, String> v : variants.entrySet()) {
          String db = "dw_" + v.getKey().replace("-", "");
          PlatformConfig vc = PlatformConfig.load(Optional.of(base + "\nmodel { database = " + db + ", report-database = rpt_"
              + v.getKey().replace("-", "") + " }\n" + v.getValue()), "catalog bench " + v.getKey());
          try (Platform p = new Platform(vc, runtime, "catalog bench " + v.getKey())) {
            long t0 = System.nanoTime();
            Benches.require(new ModelStage(false).run(p), v.getKey() + " build " + round);
            double build = ExtractBench.seconds(t0);
            double purge = 0;
            if (v.getKey().equals("purge")) {
              long t1 = System.nanoTime();
              for (String t : tables(spark, db)) {
                spark.sql("REORG TABLE " + t + " APPLY (PURGE)");
                io.delta.tables.DeltaTable.forName(spark, t).generate("symlink_format_manifest");
              }
              purge = ExtractBench.seconds(t1);
            }
            seconds.computeIfAbsent(v.getKey(), k -> new double[4]);
            seconds.get(v.getKey())[round * 2] = build;
            seconds.get(v.getKey())[round * 2 + 1] = purge;
            System.out.printf(Locale.ROOT, "%s, %s build: %.2f s (+ purge and manifests %.2f s)%n", v.getKey(),
                round == 0 ? "full" : "incremental", build, purge);
          }
        }
      }
      // Publishing entries that are already current: what every table's write pays each night.
      List<String> all = new ArrayList<>();
      for (String db : List.of(config.lake().database(), "dw_nodv")) {
        all.addAll(tables(spark, db));
      }
      long t0 = System.nanoTime();
      for (String t : all) {
        Publication.publish(spark, PlatformConfig.load(Optional.of(base + "\nmodel.database = dw_nodv"), "x").catalog(), t);
      }
      double publish = ExtractBench.seconds(t0);

      lines.add(String.format(Locale.ROOT, "sources: %,d bookings", bookings));
      lines.add("variant   full build (s)   incremental build (s)   vs none (incremental)");
      double baseline = seconds.get("none")[2] + seconds.get("none")[3];
      for (Map.Entry<String, double[]> e : seconds.entrySet()) {
        double[] s = e.getValue();
        lines.add(String.format(Locale.ROOT, "%-8s  %8.2f%s   %8.2f%s   %.2fx", e.getKey(), s[0] + s[1],
            s[1] > 0 ? String.format(Locale.ROOT, " (%.2f purge)", s[1]) : "            ", s[2] + s[3],
            s[3] > 0 ? String.format(Locale.ROOT, " (%.2f purge)", s[3]) : "            ", (s[2] + s[3]) / baseline));
      }
      lines.add(String.format(Locale.ROOT, "publishing %d current metastore entries (lake and dw): %.2f s, %.3f s a table", all.size(),
          publish, publish / all.size()));
      System.out.println("\n=== catalog benchmark\n" + String.join("\n", lines));
    }
  }

  private static List<String> tables(SparkSession spark, String db) {
    return spark.sql("SHOW TABLES IN " + db).where("NOT isTemporary").collectAsList().stream()
        .map(r -> db + "." + r.getString(1)).sorted().toList();
  }
}
