package com.treebo.dataplatform.jobs.emr;

import com.treebo.dataplatform.conf.EmrConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.EmrClientBuilder;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.AddJobFlowStepsResponse;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * Adds the night's steps to a running EMR cluster through the AWS SDK for Java v2 and follows them
 * until each has ended, printing every change of state and, for a failed step, EMR's reason and
 * log location. Credentials come from the SDK's default chain (environment, profile, instance or
 * SSO role), never from the configuration.
 */
public final class EmrSubmitter implements AutoCloseable {
  private static final Set<StepState> ENDED = Set.of(StepState.COMPLETED, StepState.FAILED, StepState.CANCELLED,
      StepState.INTERRUPTED);

  private final EmrClient client;
  private final Duration poll;
  private final PrintStream out;

  public EmrSubmitter(EmrConfig emr, PrintStream out) {
    EmrClientBuilder builder = EmrClient.builder().region(Region.of(emr.region())).httpClientBuilder(UrlConnectionHttpClient.builder());
    emr.endpoint().ifPresent(builder::endpointOverride);
    this.client = builder.build();
    this.poll = emr.pollInterval();
    this.out = out;
  }

  /** Adds {@code steps} to {@code clusterId}; returns their step ids, in order. */
  public List<String> add(String clusterId, List<EmrSteps.StepSpec> steps) {
    List<StepConfig> configs = steps.stream().map(s -> StepConfig.builder().name(s.name())
        .actionOnFailure(ActionOnFailure.fromValue(s.actionOnFailure()))
        .hadoopJarStep(HadoopJarStepConfig.builder().jar(EmrSteps.COMMAND_RUNNER).args(s.args()).build()).build()).toList();
    try {
      AddJobFlowStepsResponse response = client.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(configs));
      return response.stepIds();
    } catch (SdkException e) {
      throw new EmrException("Cannot add the night's steps to EMR cluster " + clusterId + ": " + e.getMessage()
          + " (check the cluster id, the region emr.region, and that your credentials may call elasticmapreduce:AddJobFlowSteps)", e);
    }
  }

  /**
   * Follows {@code stepIds} on {@code clusterId} until every one has ended; prints each change of
   * state. Returns the final state of each step, by id.
   */
  public Map<String, Step> follow(String clusterId, List<String> stepIds) throws InterruptedException {
    Map<String, StepState> seen = new LinkedHashMap<>();
    Map<String, Step> last = new LinkedHashMap<>();
    while (true) {
      for (String id : stepIds) {
        if (last.containsKey(id) && ENDED.contains(last.get(id).status().state())) {
          continue;
        }
        Step step;
        try {
          step = client.describeStep(r -> r.clusterId(clusterId).stepId(id)).step();
        } catch (SdkException e) {
          throw new EmrException("Cannot read the state of step " + id + " of cluster " + clusterId + ": " + e.getMessage(), e);
        }
        last.put(id, step);
        StepState state = step.status().state();
        if (seen.put(id, state) != state) {
          StringBuilder line = new StringBuilder(String.format("%-16s %-40s %s", id, step.name(), state));
          if (state == StepState.FAILED && step.status().failureDetails() != null) {
            var f = step.status().failureDetails();
            line.append(": ").append(f.reason()).append(f.message() == null ? "" : " - " + f.message())
                .append(f.logFile() == null ? "" : " (log: " + f.logFile() + ")");
          }
          out.println(line);
        }
      }
      if (stepIds.stream().allMatch(id -> ENDED.contains(last.get(id).status().state()))) {
        return last;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /** 0 when every step completed, 1 otherwise. */
  public static int exitCode(Map<String, Step> ended) {
    return ended.values().stream().allMatch(s -> s.status().state() == StepState.COMPLETED) ? 0 : 1;
  }

  /** The steps that did not complete, for the summary line. */
  public static List<String> notCompleted(Map<String, Step> ended) {
    List<String> out = new ArrayList<>();
    ended.forEach((id, s) -> {
      if (s.status().state() != StepState.COMPLETED) {
        out.add(s.name() + " " + s.status().state());
      }
    });
    return out;
  }

  @Override
  public void close() {
    client.close();
  }

  /** A call to EMR failed; the message says which and what to check. */
  public static final class EmrException extends RuntimeException {
    EmrException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
