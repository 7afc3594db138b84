package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.SourceConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.lake.RawZone;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.RunIds;
import com.treebo.dataplatform.jobs.source.SourceCatalog;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The extract job: every selected table from its source database into the lake. All tables are
 * checked against their sources first (reachable, table and columns present); any problem stops
 * the job before anything is written. Then each table runs on its own: one failing table is
 * recorded and reported, the others carry on.
 */
public final class ExtractJob {
  private ExtractJob() {}

  /** The tables {@code names} select ({@code schema.table} or {@code source.schema.table}); all when empty. */
  public static List<TableConfig> select(PlatformConfig config, List<String> names) {
    if (names.isEmpty()) {
      return config.tables();
    }
    List<TableConfig> selected = new ArrayList<>();
    for (String name : names) {
      selected.add(config.table(name).orElseThrow(() -> new ExtractException("Cannot extract " + name
          + ": no such table in the configuration (configured: "
          + config.tables().stream().map(TableConfig::qualifiedName).collect(Collectors.joining(", "))
          + "). Add a block under sources.<database>.tables.\"" + name + "\"")));
    }
    return selected;
  }

  /** Checks every selected table against its source; throws one error listing every problem. */
  public static void validate(PlatformConfig config, List<TableConfig> tables) {
    List<String> problems = new ArrayList<>();
    Map<String, List<TableConfig>> bySource = tables.stream()
        .collect(Collectors.groupingBy(TableConfig::source, LinkedHashMap::new, Collectors.toList()));
    for (Map.Entry<String, List<TableConfig>> e : bySource.entrySet()) {
      SourceConfig source = config.sources().stream().filter(s -> s.name().equals(e.getKey())).findFirst().orElseThrow();
      try (Connection c = SourceSnapshot.connect(source.name(), source.jdbc())) {
        SourceSnapshot.requirePrimary(source.name(), c, source.jdbc().url());
        SourceSnapshot.requireActivityVisibility(source.name(), c, source.jdbc().user());
        for (TableConfig table : e.getValue()) {
          List<SourceColumn> columns = SourceCatalog.columns(c, table.schema(), table.table());
          problems.addAll(SourceChecks.problems(table, columns.stream()
              .collect(Collectors.toMap(SourceColumn::name, col -> col, (a, b) -> a, LinkedHashMap::new))));
        }
      } catch (ExtractException ex) {
        problems.add(ex.getMessage());
      } catch (SQLException ex) {
        problems.add("Cannot read the catalog of source database " + source.name() + " at " + source.jdbc().url() + ": " + ex.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ExtractException(String.join("\n", problems) + "\nNothing was extracted.");
    }
  }

  /** Runs the extract of {@code tables} (already validated) the way a scheduled run does. */
  public static List<TableResult> run(Platform platform, List<TableConfig> tables) {
    return run(platform, tables, ExtractOptions.DEFAULT);
  }

  /**
   * Runs the extract of {@code tables} (already validated) and returns one result per table, in
   * order; each table is a run of its own (its lock, its record, its checkpoint). Up to
   * {@code extract.parallel-tables} tables run at once, each worker on its own Spark session and
   * control-store connection ({@link Platform#worker}); one failing table does not stop the
   * others. Prints progress as each table starts and ends.
   */
  public static List<TableResult> run(Platform platform, List<TableConfig> tables, ExtractOptions options) {
    String runId = RunIds.next(ExtractStage.NAME, platform.clock().instant());
    byte[] key = platform.piiKey().reveal().getBytes(StandardCharsets.UTF_8);
    int workers = Math.min(platform.config().extract().parallelTables(), tables.size());
    TableResult[] results = new TableResult[tables.size()];
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    if (workers <= 1) {
      work(platform, tables, key, runId, options, next, done, results);
      return List.of(results);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers);
    try {
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        running.add(pool.submit(() -> {
          try (Platform worker = platform.worker()) {
            work(worker, tables, key, runId, options, next, done, results);
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExtractException("Interrupted while extracting; the tables that finished are recorded, the others run again next time", e);
    } catch (java.util.concurrent.ExecutionException e) {
      // A table's failure is its result; what escapes is a failure of the worker itself.
      throw new ExtractException("An extract worker failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdown();
    }
    return List.of(results);
  }

  /** One worker: takes the next table not yet taken until none is left. */
  private static void work(Platform platform, List<TableConfig> tables, byte[] key, String runId, ExtractOptions options,
      java.util.concurrent.atomic.AtomicInteger next, java.util.concurrent.atomic.AtomicInteger done, TableResult[] results) {
    // Code that asks for the active session (Delta's, for its settings) finds this worker's.
    org.apache.spark.sql.SparkSession.setActiveSession(platform.spark());
    TableExtract extract = new TableExtract(platform, new RawZone(platform.config().lake(), platform.spark()), key, runId, options);
    for (int i = next.getAndIncrement(); i < tables.size(); i = next.getAndIncrement()) {
      TableConfig table = tables.get(i);
      System.out.printf("[%d/%d] %s (%s) ...%n", i + 1, tables.size(), table.id(), table.mode().configName());
      TableResult r = extract.run(table);
      results[i] = r;
      System.out.printf("[%d/%d done] %s %s in %.1f s: %d read, %d merged, %d flagged deleted%s%n", done.incrementAndGet(),
          tables.size(), table.id(), r.succeeded() ? "done" : "FAILED", r.duration().toMillis() / 1000.0, r.counts().rowsRead(),
          r.counts().rowsMerged(), r.counts().rowsDeleted(), r.error().map(m -> "\n      " + m.replace("\n", "\n      ")).orElse(""));
    }
  }
}
