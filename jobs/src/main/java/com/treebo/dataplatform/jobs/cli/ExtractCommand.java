package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.extract.ExtractException;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.runtime.Platform;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code extract}: source tables into the lake, incrementally. */
final class ExtractCommand {
  static final Command COMMAND = new Command("extract",
      "Extract source tables into the lake (incremental, snapshot or append, per table config)",
      """
      Usage: bin/dataplatform [--conf FILE] extract [--tables schema.table[,schema.table...]] [--reconcile-deletes]

      For each configured table (or only those given): reads the rows changed since its committed
      watermark (incremental), the new ids (append) or the whole table (snapshot) in one snapshot
      of the source, lands them as Parquet in the raw zone (<lake.root>/raw/<schema>_<table>/
      ingest_date=YYYY-MM-DD/run_id=<run>/), merges them by primary key into the Delta table
      lake.<schema>_<table>, flags hard deletes when due, and only then moves the watermark.
      Tables are checked against their sources first: a config problem stops the run before
      anything is written (exit 2). A failing table is reported and the others carry on (exit 1).
      Rerunning after any failure resumes from the last committed watermark, losing and
      duplicating nothing.
      --reconcile-deletes reconciles hard deletes now for the tables that have
      detect-deletes-every, instead of waiting for their interval.
      """,
      Set.of("--tables"), Set.of("--reconcile-deletes"), ExtractCommand::run);

  private ExtractCommand() {}

  static int run(Platform platform, Args args) {
    if (!args.positionals().isEmpty()) {
      throw new UsageException("extract: unexpected argument " + args.positionals().get(0));
    }
    List<String> names = args.option("--tables").map(t -> Arrays.stream(t.split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    List<TableConfig> tables;
    try {
      tables = ExtractJob.select(platform.config(), names);
      ExtractJob.validate(platform.config(), tables);
    } catch (ExtractException e) {
      System.err.println("dataplatform extract: " + e.getMessage());
      return 2;
    }
    List<TableResult> results = ExtractJob.run(platform, tables, args.flag("--reconcile-deletes"));
    long failed = results.stream().filter(r -> !r.succeeded()).count();
    System.out.printf("extract: %d table(s), %d succeeded, %d failed; %d rows read, %d merged, %d flagged deleted%n",
        results.size(), results.size() - failed, failed,
        results.stream().mapToLong(r -> r.counts().rowsRead()).sum(),
        results.stream().mapToLong(r -> r.counts().rowsMerged()).sum(),
        results.stream().mapToLong(r -> r.counts().rowsDeleted()).sum());
    return failed == 0 ? 0 : 1;
  }
}
