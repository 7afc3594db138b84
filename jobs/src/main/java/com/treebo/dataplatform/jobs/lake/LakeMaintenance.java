package com.treebo.dataplatform.jobs.lake;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.WebTables;
import com.treebo.dataplatform.jobs.control.Locks;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.Stage;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.stage.StageRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Lake maintenance: every Delta table the platform writes is compacted ({@code OPTIMIZE}, Z-ordered
 * by its key where it has one) and vacuumed ({@code VACUUM ... RETAIN night.vacuum-retention}).
 * Each table is maintained while holding the lock of the job that writes it (the table's extract,
 * the clickstream, the model), so maintenance never races a write. The retention is never shorter
 * than Delta's safe default (checked when the configuration is parsed), and the night runs this
 * step only after the load, so the versions the next build and load read are within it.
 *
 * <p>Keys: a lake table is Z-ordered by its primary key (the extract merges by it); a model table by
 * {@code date_key} when it has one (facts, read by date), else by its first {@code *_key} column
 * (dimensions); a partitioned table (the web tables, by date) is compacted without Z-order.
 */
public final class LakeMaintenance implements Stage {
  public static final String NAME = "maintain";

  /** One table to maintain: its name, the lock of its writer, and its Z-order columns (may be empty). */
  record Target(String table, String lock, List<String> zorder) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageReport run(Platform platform) {
    SparkSession spark = platform.spark();
    // VACUUM lists a table's files with this many tasks; Spark's default (10000) makes even a small
    // table's VACUUM launch thousands of empty tasks. One wave of the cluster's cores is enough.
    String listing = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    String before = spark.conf().get(listing, null);
    spark.conf().set(listing, Integer.toString(Math.max(1, spark.sparkContext().defaultParallelism())));
    try {
      List<StageReport.Unit> units = new ArrayList<>();
      for (Target t : targets(platform.config(), spark)) {
        units.add(maintain(platform, t));
      }
      return new StageReport(NAME, units);
    } finally {
      if (before == null) {
        spark.conf().unset(listing);
      } else {
        spark.conf().set(listing, before);
      }
    }
  }

  static List<Target> targets(PlatformConfig config, SparkSession spark) {
    List<Target> out = new ArrayList<>();
    for (TableConfig t : config.tables()) {
      String name = config.lake().qualified(t.lakeName());
      if (spark.catalog().tableExists(name)) {
        out.add(new Target(name, t.id(), t.primaryKey()));
      }
    }
    WebTables web = WebTables.of(config);
    for (String name : List.of(web.events(), web.quarantine(), web.identities(), web.sessions())) {
      if (spark.catalog().tableExists(name)) {
        out.add(new Target(name, ClickstreamJob.TABLE_ID, List.of()));
      }
    }
    for (String db : List.of(config.model().database(), config.model().reportDatabase())) {
      if (!spark.catalog().databaseExists(db)) {
        continue;
      }
      for (Row r : spark.sql("SHOW TABLES IN " + db).collectAsList()) {
        if (r.getBoolean(r.fieldIndex("isTemporary"))) {
          continue;
        }
        String name = db + "." + r.getString(r.fieldIndex("tableName"));
        Row detail = spark.sql("DESCRIBE DETAIL " + name).first();
        if ("delta".equalsIgnoreCase(detail.getString(detail.fieldIndex("format")))) {
          out.add(new Target(name, ModelStage.unit(config), modelKey(spark, name, detail)));
        }
      }
    }
    return out;
  }

  /** A model table's Z-order key; empty when it is partitioned. */
  private static List<String> modelKey(SparkSession spark, String table, Row detail) {
    if (!detail.getList(detail.fieldIndex("partitionColumns")).isEmpty()) {
      return List.of();
    }
    List<String> columns = Arrays.asList(spark.table(table).columns());
    if (columns.contains("date_key")) {
      return List.of("date_key");
    }
    return columns.stream().filter(c -> c.endsWith("_key")).findFirst().map(List::of).orElse(List.of());
  }

  private static StageReport.Unit maintain(Platform platform, Target t) {
    Instant start = Instant.now();
    Duration wait = platform.config().control().lockWait();
    Optional<Locks.Lock> lock = platform.control().locks().tryAcquire(t.lock(), wait);
    if (lock.isEmpty()) {
      return new StageReport.Unit(t.table(), Optional.empty(), Map.of(), Duration.between(start, Instant.now()),
          Optional.of("not maintained: " + t.lock() + " is being written by another run (control.lock-wait); the next night does it"));
    }
    try (Locks.Lock held = lock.get()) {
      SparkSession spark = platform.spark();
      spark.sparkContext().setJobGroup(NAME + " " + t.table(), NAME + " " + t.table(), false);
      String optimize = "OPTIMIZE " + t.table() + (t.zorder().isEmpty() ? ""
          : " ZORDER BY (" + String.join(", ", t.zorder().stream().map(c -> "`" + c + "`").toList()) + ")");
      Row o = spark.sql(optimize).first();
      Map<String, Long> metrics = new LinkedHashMap<>();
      Row m = o.getStruct(o.fieldIndex("metrics"));
      metrics.put("files_removed", m.getLong(m.fieldIndex("numFilesRemoved")));
      metrics.put("files_added", m.getLong(m.fieldIndex("numFilesAdded")));
      long hours = platform.config().night().vacuumRetention().toHours();
      spark.sql("VACUUM " + t.table() + " RETAIN " + hours + " HOURS");
      return new StageReport.Unit(t.table(), Optional.empty(), metrics, Duration.between(start, Instant.now()), Optional.empty());
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, yet thrown
      return new StageReport.Unit(t.table(), Optional.empty(), Map.of(), Duration.between(start, Instant.now()),
          Optional.of("maintenance of " + t.table() + " failed: " + StageRun.message(e)));
    } finally {
      platform.spark().sparkContext().clearJobGroup();
    }
  }
}
