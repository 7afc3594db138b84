package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.EmrConfig;
import com.treebo.dataplatform.jobs.emr.AirflowDag;
import com.treebo.dataplatform.jobs.emr.EmrSteps;
import com.treebo.dataplatform.jobs.emr.EmrSubmitter;
import com.treebo.dataplatform.jobs.night.NightPlan;
import com.treebo.dataplatform.jobs.night.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code emr}: the night as EMR steps, submitted and followed; the Airflow DAG. */
@Command(name = "emr", mixinStandardHelpOptions = true,
    description = {
        "The night on Amazon EMR: its steps as 'aws emr add-steps' input, submitted and followed, or as an Airflow DAG.",
        "",
        "Reads only the emr and night blocks of --conf (conf/prod.conf: region, the s3:// jar and configuration the steps",
        "run), so the jobs' secrets are not needed here. One spark-submit step per step of the pipeline, each running",
        "'run --night DATE --step STEP': a step that succeeded that night is skipped, and one whose predecessor has not",
        "succeeded refuses to run, so submitting the night again after a failure resumes it."},
    subcommands = {EmrCommand.Steps.class, EmrCommand.Submit.class, EmrCommand.Airflow.class})
final class EmrCommand implements Runnable {
  @ParentCommand
  private Main root;

  @picocli.CommandLine.Spec
  private picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing command: give one of " + spec.subcommands().keySet());
  }

  EmrConfig config() {
    return root.emrConfig();
  }

  /** The cluster and the night a command adds steps for. */
  static final class Target {
    @Option(names = "--cluster-id", required = true, paramLabel = "ID", description = "The cluster (j-...).")
    private String clusterId;

    @Option(names = "--night", paramLabel = "DATE", description = "The night (YYYY-MM-DD); default: the current night.")
    private LocalDate night;

    LocalDate night(EmrConfig emr) {
      return night != null ? night : NightPlan.nightOf(Instant.now(), emr.night().timeZone());
    }
  }

  @Command(name = "steps", mixinStandardHelpOptions = true,
      description = {"Print the 'aws emr add-steps --cli-input-json' input of the night: one step per pipeline step.",
          "Use: bin/dataplatform --conf conf/prod.conf emr steps --cluster-id j-XXXX > steps.json;"
              + " aws emr add-steps --cli-input-json file://steps.json"})
  static final class Steps implements Callable<Integer> {
    @ParentCommand
    private EmrCommand emr;

    @Mixin
    private Target target;

    @Override
    public Integer call() {
      EmrConfig config = emr.config();
      LocalDate date = target.night(config);
      System.out.print(EmrSteps.addStepsJson(target.clusterId, EmrSteps.of(Pipeline.night(config.night()), config, date)));
      return 0;
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Add the night's steps to a running cluster (AWS SDK for Java v2, default credentials chain) and follow",
          "them, printing each step's state changes and a failed step's reason and log. Exit 0 when every step completed,",
          "1 otherwise (the output names them; submitting the night again resumes it)."})
  static final class Submit implements Callable<Integer> {
    @ParentCommand
    private EmrCommand emr;

    @Mixin
    private Target target;

    @Option(names = "--no-wait", description = "Add the steps and print their ids without following them.")
    private boolean noWait;

    @Override
    public Integer call() throws InterruptedException {
      EmrConfig config = emr.config();
      LocalDate date = target.night(config);
      List<EmrSteps.StepSpec> steps = EmrSteps.of(Pipeline.night(config.night()), config, date);
      try (EmrSubmitter submitter = new EmrSubmitter(config, System.out)) {
        List<String> ids = submitter.add(target.clusterId, steps);
        System.out.printf("night %s: added %d step(s) to %s: %s%n", date, ids.size(), target.clusterId, String.join(", ", ids));
        if (noWait) {
          return 0;
        }
        Map<String, software.amazon.awssdk.services.emr.model.Step> ended = submitter.follow(target.clusterId, ids);
        int code = EmrSubmitter.exitCode(ended);
        System.out.println(code == 0 ? "night " + date + ": every step completed"
            : "night " + date + ": not completed: " + String.join(", ", EmrSubmitter.notCompleted(ended))
                + " (fix the cause and submit the night again: it resumes)");
        return code;
      }
    }
  }

  @Command(name = "airflow", mixinStandardHelpOptions = true,
      description = {"Write the Airflow DAG of the night (EmrAddStepsOperator + EmrStepSensor per step), generated from the",
          "pipeline definition: bin/dataplatform --conf conf/prod.conf emr airflow --out emr/airflow/dataplatform_night.py"})
  static final class Airflow implements Callable<Integer> {
    @ParentCommand
    private EmrCommand emr;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the DAG; default: standard output.")
    private Path out;

    @Override
    public Integer call() throws Exception {
      EmrConfig config = emr.config();
      String dag = AirflowDag.render(Pipeline.night(config.night()), config);
      if (out == null) {
        System.out.print(dag);
      } else {
        Files.writeString(out, dag, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
      }
      return 0;
    }
  }
}
