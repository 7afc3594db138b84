package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.Stage;
import com.treebo.dataplatform.jobs.stage.StageReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The extract as a {@link Stage}: the given tables (validated first), each a unit of its own. */
public final class ExtractStage implements Stage {
  /** The stage's name in the run log and in Spark's job groups. */
  public static final String NAME = "extract";

  private final List<TableConfig> tables;
  private final ExtractOptions options;

  public ExtractStage(List<TableConfig> tables, ExtractOptions options) {
    this.tables = List.copyOf(tables);
    this.options = options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageReport run(Platform platform) {
    List<StageReport.Unit> units = ExtractJob.run(platform, tables, options).stream().map(ExtractStage::unit).toList();
    return new StageReport(NAME, units);
  }

  static StageReport.Unit unit(TableResult r) {
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put("read", r.counts().rowsRead());
    metrics.put("merged", r.counts().rowsMerged());
    metrics.put("deleted", r.counts().rowsDeleted());
    return new StageReport.Unit(r.tableId(), Optional.empty(), metrics, r.duration(), r.error());
  }
}
