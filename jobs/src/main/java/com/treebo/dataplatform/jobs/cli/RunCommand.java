package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.night.NightPlan;
import com.treebo.dataplatform.jobs.night.NightRunner;
import com.treebo.dataplatform.jobs.night.Pipeline;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.time.LocalDate;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code run}: the whole night (extract, clickstream, model, load, maintenance) in one Spark application. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Run the night: extract and clickstream, then model, load (with the report views) and, when due, maintain.",
        "",
        "The steps and their order are the pipeline definition (Pipeline.java) that 'emr steps' and the Airflow DAG",
        "are generated from. A night is named by its date in night.time-zone (a run before noon belongs to the",
        "previous date's night). Every step's attempt is recorded in the control database (dp_night_step). A rerun",
        "of a night resumes: steps that succeeded that night are skipped, the failed step and the steps after it",
        "run again. A step whose predecessor failed does not run. Only one night runs at a time: a second run",
        "waits control.lock-wait, then stops with a message naming the first. Prints progress and a summary",
        "(per step: duration, units, rows in and out, quarantined, errors), also written as JSON to",
        "<lake.root>/_nights/night=<date>/<run id>.json. Exit 0 when every step it ran succeeded, 1 otherwise."})
final class RunCommand extends PlatformCommand {
  @Option(names = "--night", paramLabel = "DATE", description = "The night to run or resume (YYYY-MM-DD); default: the current night.")
  private LocalDate night;

  @Option(names = "--from", paramLabel = "STEP", description = "Run STEP and every step after it again, even if they succeeded this night.")
  private String from;

  @Option(names = "--only", paramLabel = "STEP", description = "Run STEP alone, whatever this night's ledger or its schedule says.")
  private String only;

  @Option(names = "--step", paramLabel = "STEP",
      description = "Run STEP as part of the night (what each EMR step does): skipped when it succeeded this night or is not"
          + " due; refused (exit 1) while a step it waits for has not succeeded this night.")
  private String step;

  @Option(names = "--dry-run", description = "Print the plan (each step, what it waits for, run or skip and why) and stop.")
  private boolean dryRun;

  private Pipeline pipeline;

  @Override
  protected void check(PlatformConfig config) {
    if ((from != null ? 1 : 0) + (only != null ? 1 : 0) + (step != null ? 1 : 0) > 1) {
      throw new ParameterException(spec.commandLine(), "--from, --only and --step exclude each other: give one");
    }
    pipeline = Pipeline.night(config.night());
    for (String[] option : new String[][] {{"--from", from}, {"--only", only}, {"--step", step}}) {
      if (option[1] != null && !pipeline.names().contains(option[1])) {
        throw new ParameterException(spec.commandLine(), option[0] + " " + option[1] + ": there is no such step; the steps are "
            + String.join(", ", pipeline.names()));
      }
    }
  }

  @Override
  protected int run(Platform platform) {
    LocalDate date = night != null ? night : NightPlan.nightOf(platform.clock().instant(), platform.config().night().timeZone());
    NightPlan.Selection selection = new NightPlan.Selection(Optional.ofNullable(from), Optional.ofNullable(only),
        Optional.ofNullable(step));
    NightRunner runner = new NightRunner(pipeline, System.out);
    if (dryRun) {
      runner.plan(platform, date, selection).print(System.out);
      return 0;
    }
    return runner.run(platform, date, selection).succeeded() ? 0 : 1;
  }
}
