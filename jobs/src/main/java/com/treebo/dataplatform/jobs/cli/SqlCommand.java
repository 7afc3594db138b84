package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.jobs.runtime.Platform;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@code sql}: one Spark SQL statement against the lake, results printed as a table. */
final class SqlCommand {
  static final Command COMMAND = new Command("sql",
      "Run one Spark SQL statement against the lake and print the result",
      """
      Usage: bin/dataplatform [--conf FILE] sql [--limit N] "SELECT ..."

      Runs the statement with the same configuration as the jobs (metastore, lake root, S3
      settings), so lake tables are reachable by name, e.g.
        bin/dataplatform sql "SELECT status, count(*) FROM lake.crs_booking GROUP BY status"
      Prints at most --limit rows (default 100), untruncated.
      """,
      Set.of("--limit"), Set.of(), SqlCommand::run);

  private SqlCommand() {}

  static int run(Platform platform, Args args) {
    if (args.positionals().size() != 1) {
      throw new UsageException("sql: give exactly one statement, quoted (got " + args.positionals().size() + " arguments)");
    }
    int limit;
    try {
      limit = Integer.parseInt(args.option("--limit").orElse("100"));
    } catch (NumberFormatException e) {
      throw new UsageException("sql: --limit must be a number");
    }
    platform.spark().sparkContext().setJobGroup("sql", "bin/dataplatform sql", false);
    Dataset<Row> result = platform.spark().sql(args.positionals().get(0));
    // Shows at most `limit` rows: the driver never collects more than that.
    result.show(limit, false);
    return 0;
  }
}
