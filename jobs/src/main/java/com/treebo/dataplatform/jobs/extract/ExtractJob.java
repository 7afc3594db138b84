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
   * order; each table is a run of its own (its lock, its record, its checkpoint). Prints progress.
   */
  public static List<TableResult> run(Platform platform, List<TableConfig> tables, ExtractOptions options) {
    String runId = RunIds.next(ExtractStage.NAME, platform.clock().instant());
    RawZone raw = new RawZone(platform.config().lake(), platform.spark());
    byte[] key = platform.piiKey().reveal().getBytes(StandardCharsets.UTF_8);
    TableExtract extract = new TableExtract(platform, raw, key, runId, options);
    List<TableResult> results = new ArrayList<>();
    int i = 0;
    for (TableConfig table : tables) {
      System.out.printf("[%d/%d] %s (%s) ...%n", ++i, tables.size(), table.id(), table.mode().configName());
      TableResult r = extract.run(table);
      System.out.printf("[%d/%d] %s %s in %.1f s: %d read, %d merged, %d flagged deleted%s%n", i, tables.size(), table.id(),
          r.succeeded() ? "done" : "FAILED", r.duration().toMillis() / 1000.0, r.counts().rowsRead(), r.counts().rowsMerged(),
          r.counts().rowsDeleted(), r.error().map(m -> "\n      " + m.replace("\n", "\n      ")).orElse(""));
      results.add(r);
    }
    return results;
  }
}
