package com.treebo.dataplatform.jobs.emr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.treebo.dataplatform.conf.EmrConfig;
import com.treebo.dataplatform.jobs.night.Pipeline;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The night as EMR steps: one {@code spark-submit} step per step of the {@link Pipeline}, in its
 * order, each running {@code run --night DATE --step STEP} (the night's date fixed when the steps
 * are made, so steps that cross noon still belong to one night). A step that lets the night go on
 * after it fails ({@link Pipeline.Step#continueOnFailure()}) is {@code CONTINUE}; the others are
 * {@code CANCEL_AND_WAIT}, which cancels the steps after them and leaves the cluster up. A step
 * whose predecessor failed refuses to run on its own ({@code --step}), so what {@code CONTINUE}
 * lets through still cannot read a half-done night.
 */
public final class EmrSteps {
  /** The jar every step names: EMR's {@code command-runner.jar} runs {@code spark-submit}. */
  public static final String COMMAND_RUNNER = "command-runner.jar";
  public static final String MAIN_CLASS = "com.treebo.dataplatform.jobs.cli.Main";

  private EmrSteps() {}

  /** One EMR step. */
  public record StepSpec(String name, String actionOnFailure, List<String> args) {
    public StepSpec {
      args = List.copyOf(args);
    }
  }

  /** The steps of {@code night}. */
  public static List<StepSpec> of(Pipeline pipeline, EmrConfig emr, LocalDate night) {
    List<StepSpec> out = new ArrayList<>();
    for (Pipeline.Step s : pipeline.steps()) {
      List<String> args = new ArrayList<>();
      args.add("spark-submit");
      args.addAll(emr.sparkSubmitArgs());
      args.addAll(List.of("--class", MAIN_CLASS, emr.jar(), "--conf", emr.conf(), "run", "--night", night.toString(), "--step", s.name()));
      out.add(new StepSpec(stepName(night, s.name()), s.continueOnFailure() ? "CONTINUE" : "CANCEL_AND_WAIT", args));
    }
    return out;
  }

  /** The EMR step's name: the night and the pipeline step, as the EMR console lists it. */
  public static String stepName(LocalDate night, String step) {
    return "dataplatform " + night + " " + step;
  }

  /** The input of {@code aws emr add-steps --cli-input-json}: the cluster and its steps. */
  public static String addStepsJson(String clusterId, List<StepSpec> steps) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("ClusterId", clusterId);
    List<Map<String, Object>> list = new ArrayList<>();
    for (StepSpec s : steps) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("Name", s.name());
      step.put("ActionOnFailure", s.actionOnFailure());
      Map<String, Object> jar = new LinkedHashMap<>();
      jar.put("Jar", COMMAND_RUNNER);
      jar.put("Args", s.args());
      step.put("HadoopJarStep", jar);
      list.add(step);
    }
    request.put("Steps", list);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(request) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the steps as JSON: " + e.getMessage(), e);
    }
  }
}
