package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.warehouse.LoadStage;
import picocli.CommandLine.Command;

/** {@code load}: the model's last published build into the warehouse, and the report views. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = {
        "Load the model's last published build into the warehouse (warehouse.jdbc-url: Redshift, or a local PostgreSQL).",
        "",
        "Per table, the rows that changed between the version last loaded and the published one (the Delta change",
        "feed; a table never loaded goes whole) are staged in parallel from the executors (Redshift: Parquet and a",
        "manifest under warehouse.staging, read by COPY; PostgreSQL: COPY FROM STDIN), then merged in one",
        "transaction for the whole build (delete the replaced rows, insert the new ones, record the build in the",
        "audit table). A build is loaded exactly once: a rerun after a crash at any point loads it from the start,",
        "and a build already recorded is skipped. Tables are created, and columns the model gained added, by the",
        "load; a text longer than its column stops the load before anything is written. Then the report views",
        "(rpt.hotel_daily_kpis, rpt.channel_monthly, rpt.funnel_daily) are replaced. Exit 1 when the load failed."})
final class LoadCommand extends PlatformCommand {
  @Override
  protected int run(Platform platform) {
    StageReport report = new LoadStage().run(platform);
    report.print(report.succeeded() ? System.out : System.err);
    return report.exitCode();
  }
}
