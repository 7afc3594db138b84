package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.extract.ExtractException;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.ExtractOptions;
import com.treebo.dataplatform.jobs.extract.ExtractStage;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code extract}: source tables into the lake, incrementally. */
@Command(name = "extract", mixinStandardHelpOptions = true,
    description = {
        "Extract source tables into the lake (incremental, snapshot or append, per table config).",
        "",
        "For each configured table (or only those given): reads the rows changed since its committed watermark",
        "(incremental), the new ids (append) or the whole table (snapshot) in one snapshot of the source, lands them",
        "as Parquet in the raw zone (<lake.root>/raw/<schema>_<table>/ingest_date=YYYY-MM-DD/run_id=<run>/), merges",
        "them by primary key into the Delta table lake.<schema>_<table>, flags hard deletes when due, and only then",
        "moves the watermark. Tables are checked against their sources first: a config problem stops the run before",
        "anything is written (exit 2). A failing table is reported and the others carry on (exit 1). Rerunning after",
        "any failure resumes from the last committed watermark, losing and duplicating nothing. A table another run",
        "is extracting is skipped with a message naming that run (control.lock-wait).",
        "A run that would flag more than extract.mass-delete.max-share of a table's rows deleted stops that table",
        "(a truncated or rewritten source table looks like that) until confirmed with --confirm-deletes."})
final class ExtractCommand extends PlatformCommand {
  @Option(names = "--tables", split = ",", paramLabel = "schema.table",
      description = "Only these tables (schema.table or source.schema.table); default: every configured table.")
  private List<String> tables = List.of();

  @Option(names = "--reconcile-deletes",
      description = "Reconcile hard deletes now for the tables that have detect-deletes-every, instead of waiting for their interval.")
  private boolean reconcileDeletes;

  @Option(names = "--confirm-deletes",
      description = "Flag the deletions the mass-delete guard stopped: the rows really were deleted at the source.")
  private boolean confirmDeletes;

  private List<TableConfig> selected;

  @Override
  protected void check(PlatformConfig config) {
    try {
      selected = ExtractJob.select(config, tables.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
    } catch (ExtractException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  protected int run(Platform platform) {
    try {
      ExtractJob.validate(platform.config(), selected);
    } catch (ExtractException e) {
      System.err.println("dataplatform extract: " + e.getMessage());
      return Main.USAGE;
    }
    StageReport report = new ExtractStage(selected, new ExtractOptions(reconcileDeletes, confirmDeletes)).run(platform);
    System.out.printf("extract: %d table(s), %d succeeded, %d failed; %d rows read, %d merged, %d flagged deleted%n",
        report.units().size(), report.units().size() - report.failed(), report.failed(), report.total("read"),
        report.total("merged"), report.total("deleted"));
    return report.exitCode();
  }
}
