package com.treebo.dataplatform.jobs.night;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.treebo.dataplatform.jobs.control.Nights;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.RunIds;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.stage.StageRun;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Runs a night: the {@link NightPlan}'s steps in order, in this Spark application.
 *
 * <ul>
 *   <li>One night runs at a time: the run holds the control database's {@code night} lock (waiting
 *       up to {@code control.lock-wait}), and a second run stops with a message naming the first
 *       before it writes anything.</li>
 *   <li>Each step's attempt is recorded in the night ledger ({@code dp_night_step}) when it starts
 *       and when it ends, with its summary; a step that throws is recorded failed with the reason.
 *       A step whose predecessor failed in this run does not start (the summary shows it blocked), so a
 *       rerun of the night resumes at the failed step: the steps that succeeded are skipped.</li>
 *   <li>Every step is itself resumable and idempotent (watermarks, the landed-object ledger, the
 *       model's publication, the load's audit table), so rerunning a step that failed half-way
 *       loses and duplicates nothing.</li>
 *   <li>The night's summary (per step: duration, units, rows, quarantined, errors) is printed, and
 *       written as JSON to {@code <lake.root>/_nights/night=<date>/<run id>.json}.</li>
 * </ul>
 */
public final class NightRunner {
  public static final String NAME = "run";
  /** The unit, and lock, of a night run in the run log. */
  public static final String UNIT = "night";

  private final Pipeline pipeline;
  private final PrintStream out;

  public NightRunner(Pipeline pipeline, PrintStream out) {
    this.pipeline = pipeline;
    this.out = out;
  }

  /** The plan of {@code night} for {@code selection}, from the ledger as it stands. */
  public NightPlan plan(Platform platform, LocalDate night, NightPlan.Selection selection) {
    Nights nights = platform.control().nights();
    return NightPlan.decide(pipeline, night, selection, nights.latest(night), nights::lastSuccess, platform.clock().instant());
  }

  /** What one step did in this run. */
  public record StepOutcome(String step, String status, Duration duration, Optional<StageReport> report, Optional<String> error) {}

  /** What the run did: per step of the plan, in order. */
  public record NightSummary(LocalDate night, String runId, Instant startedAt, Duration duration, List<StepOutcome> steps) {
    public boolean succeeded() {
      return steps.stream().allMatch(s -> !s.status().equals("failed") && !s.status().equals("blocked"));
    }
  }

  /** Runs the night; never throws for a step's failure (it is in the summary). */
  public NightSummary run(Platform platform, LocalDate night, NightPlan.Selection selection) {
    Instant start = platform.clock().instant();
    String runId = RunIds.next(NAME, start);
    try (StageRun nightRun = StageRun.open(platform, NAME, UNIT, runId)) {
      Nights nights = platform.control().nights();
      int abandoned = nights.abandonRunning(night, runId);
      if (abandoned > 0) {
        out.printf("night %s: %d step(s) of an earlier run were left running by a process that died; marked abandoned%n", night, abandoned);
      }
      NightPlan plan = plan(platform, night, selection);
      plan.print(out);
      List<StepOutcome> outcomes = new ArrayList<>();
      Set<String> failed = new HashSet<>();
      int n = 0;
      int total = plan.toRun().size();
      for (NightPlan.Planned p : plan.steps()) {
        Pipeline.Step step = p.step();
        if (p.decision() == NightPlan.Decision.WAITING) {
          failed.add(step.name());
          outcomes.add(new StepOutcome(step.name(), "blocked", Duration.ZERO, Optional.empty(),
              Optional.of("not run: waits for " + p.reason() + "; run the night again (bin/dataplatform run) to resume it")));
          continue;
        }
        if (p.decision() != NightPlan.Decision.RUN) {
          outcomes.add(new StepOutcome(step.name(), p.decision() == NightPlan.Decision.DONE ? "done" : "skipped", Duration.ZERO,
              Optional.empty(), Optional.empty()));
          continue;
        }
        n++;
        Optional<String> blockedBy = step.after().stream().filter(failed::contains).findFirst();
        if (blockedBy.isPresent()) {
          failed.add(step.name());
          out.printf("%n[%d/%d] %s: not run, %s failed%n", n, total, step.name(), blockedBy.get());
          outcomes.add(new StepOutcome(step.name(), "blocked", Duration.ZERO, Optional.empty(),
              Optional.of("not run: " + blockedBy.get() + " failed")));
          continue;
        }
        out.printf("%n[%d/%d] %s: %s (%s)%n", n, total, step.name(), step.description(), Instant.now());
        StepOutcome outcome = runStep(platform, nights, night, runId, step);
        outcomes.add(outcome);
        if (!outcome.status().equals("succeeded")) {
          failed.add(step.name());
        }
        out.printf("[%d/%d] %s %s in %.1f s%n", n, total, step.name(), outcome.status(), outcome.duration().toMillis() / 1000.0);
        outcome.report().ifPresent(r -> r.print(out));
        outcome.error().filter(e -> outcome.report().isEmpty()).ifPresent(e -> out.println("      " + e));
      }
      NightSummary summary = new NightSummary(night, runId, start, Duration.between(start, platform.clock().instant()), outcomes);
      String where = writeSummary(platform, summary);
      print(summary, out);
      out.println("summary: " + where);
      if (summary.succeeded()) {
        nightRun.succeed(RunCounts.of(0, 0), Optional.empty());
      } else {
        nightRun.fail(RunCounts.of(0, 0), "step(s) failed: " + String.join(", ", failed)
            + "; run again to resume at the first of them");
      }
      return summary;
    }
  }

  private StepOutcome runStep(Platform platform, Nights nights, LocalDate night, String nightRunId, Pipeline.Step step) {
    Instant started = platform.clock().instant();
    nights.start(night, step.name(), nightRunId, started);
    Optional<StageReport> report = Optional.empty();
    Optional<String> error;
    try {
      StageReport r = step.action().apply(platform);
      report = Optional.of(r);
      error = r.succeeded() ? Optional.empty()
          : Optional.of(r.failed() + " of " + r.units().size() + " unit(s) failed: " + String.join("; ",
              r.units().stream().filter(u -> !u.succeeded())
                  .map(u -> u.id() + ": " + u.error().orElse("").lines().findFirst().orElse("")).toList()));
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, yet thrown
      error = Optional.of(StageRun.message(e));
    }
    Duration took = Duration.between(started, platform.clock().instant());
    String status = error.isEmpty() ? "succeeded" : "failed";
    StepOutcome outcome = new StepOutcome(step.name(), status, took, report, error);
    nights.finish(night, step.name(), nightRunId, status, platform.clock().instant(), took.toMillis(), json(stepMap(outcome)), error);
    return outcome;
  }

  /** Prints the run's summary: one line per step, then its totals. */
  public static void print(NightSummary s, PrintStream out) {
    out.printf("%nnight %s, run %s: %s in %.1f s%n", s.night(), s.runId(), s.succeeded() ? "succeeded" : "FAILED",
        s.duration().toMillis() / 1000.0);
    out.printf("  %-12s %-10s %9s %6s %12s %12s %12s%n", "step", "status", "seconds", "units", "rows in", "rows out", "quarantined");
    for (StepOutcome o : s.steps()) {
      Map<String, Long> t = totals(o);
      out.printf("  %-12s %-10s %9.1f %6s %12s %12s %12s%s%n", o.step(), o.status(), o.duration().toMillis() / 1000.0,
          o.report().map(r -> Integer.toString(r.units().size())).orElse("-"), show(t.get("in")), show(t.get("out")),
          show(t.get("quarantined")), o.error().map(e -> "  " + e.lines().findFirst().orElse("")).orElse(""));
    }
  }

  /** Rows in (read), out (merged, written, upserted) and quarantined over a step's units. */
  static Map<String, Long> totals(StepOutcome o) {
    Map<String, Long> t = new LinkedHashMap<>();
    o.report().ifPresent(r -> {
      t.put("in", r.total("read"));
      t.put("out", r.total("merged") + r.total("written") + r.total("upserted") + r.total("events"));
      t.put("quarantined", r.total("quarantined"));
    });
    return t;
  }

  private static String show(Long n) {
    return n == null ? "-" : Long.toString(n);
  }

  private static Map<String, Object> stepMap(StepOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", o.step());
    m.put("status", o.status());
    m.put("seconds", o.duration().toMillis() / 1000.0);
    m.putAll(totals(o));
    o.error().ifPresent(e -> m.put("error", e));
    o.report().ifPresent(r -> {
      List<Map<String, Object>> units = new ArrayList<>();
      for (StageReport.Unit u : r.units()) {
        Map<String, Object> um = new LinkedHashMap<>();
        um.put("unit", u.id());
        u.runId().ifPresent(id -> um.put("run_id", id));
        um.put("status", u.succeeded() ? "succeeded" : "failed");
        um.put("seconds", u.duration().toMillis() / 1000.0);
        um.put("metrics", u.metrics());
        u.error().ifPresent(e -> um.put("error", e));
        units.add(um);
      }
      m.put("units", units);
    });
    return m;
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the night summary as JSON: " + e.getMessage(), e);
    }
  }

  /** Where a night's JSON summaries go: {@code <lake.root>/_nights/night=<date>/}. */
  public static String summaryFolder(String lakeRoot, LocalDate night) {
    return lakeRoot + "/_nights/night=" + night;
  }

  private static String writeSummary(Platform platform, NightSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("night", s.night().toString());
    m.put("run_id", s.runId());
    m.put("started_at", s.startedAt().toString());
    m.put("seconds", s.duration().toMillis() / 1000.0);
    m.put("status", s.succeeded() ? "succeeded" : "failed");
    m.put("steps", s.steps().stream().map(NightRunner::stepMap).toList());
    Path path = new Path(summaryFolder(platform.config().lake().root(), s.night()) + "/" + s.runId() + ".json");
    try {
      FileSystem fs = path.getFileSystem(platform.spark().sparkContext().hadoopConfiguration());
      try (OutputStream o = fs.create(path, true)) {
        o.write(json(m).getBytes(StandardCharsets.UTF_8));
      }
      return path.toString();
    } catch (IOException e) {
      return "not written to " + path + ": " + e.getMessage() + " (the control database's dp_night_step has it)";
    }
  }
}
