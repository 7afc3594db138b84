package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code model}: the star schema, built incrementally from the lake and the raw zone. */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = {
        "Build the star schema (dimensional-model/BUS-MATRIX.md) into model.database (dw) and rpt.funnel_daily.",
        "",
        "Reads what the extract and the clickstream wrote since the last published build (each lake table",
        "pinned to one Delta version; the raw zone's slices for the type 2 history), computes the changes of every",
        "dimension and fact, checks them (keys unique, dimension keys found, measures within their declared",
        "bounds, fact rows reconciling with the lake), writes them, and publishes the build: the Delta version of",
        "every table is recorded in the control database in one transaction, and the warehouse load reads exactly",
        "those versions. A failed gate writes and publishes nothing and names the check and its failing rows",
        "(exit 1). One build at a time (control.lock-wait). The first build, and --rebuild, compute everything;",
        "--rebuild takes the type 2 history from the whole raw zone again and writes only what differs."})
final class ModelCommand extends PlatformCommand {
  @Option(names = "--rebuild", description = "Recompute every table from the whole raw zone and the lake, writing only what differs.")
  private boolean rebuild;

  @Override
  protected int run(Platform platform) {
    StageReport report = new ModelStage(rebuild).run(platform);
    if (!report.succeeded()) {
      report.print(System.err);
    }
    return report.exitCode();
  }
}
