package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.jobs.stage.Platform;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sql}: one Spark SQL statement against the lake, results printed as a table. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {
        "Run one Spark SQL statement against the lake and print the result.",
        "",
        "Runs the statement with the same configuration as the jobs (metastore, lake root, S3 settings), so lake",
        "and model tables are reachable by name, e.g.",
        "  bin/dataplatform sql \"SELECT status, count(*) FROM lake.crs_booking GROUP BY status\""})
final class SqlCommand extends PlatformCommand {
  @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows, untruncated (default: ${DEFAULT-VALUE}).")
  private int limit = 100;

  @Parameters(index = "0", paramLabel = "STATEMENT", description = "The statement, quoted.")
  private String statement;

  @Override
  protected int run(Platform platform) {
    platform.spark().sparkContext().setJobGroup("sql", "bin/dataplatform sql", false);
    Dataset<Row> result = platform.spark().sql(statement);
    // Shows at most `limit` rows: the driver never collects more than that.
    result.show(limit, false);
    return 0;
  }
}
