package com.treebo.dataplatform.jobs.model;

import com.treebo.dataplatform.jobs.control.Publications;
import com.treebo.dataplatform.jobs.control.RunCounts;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What one model build did: its inputs' marks, its gates, per table the rows it wrote, and its timings. */
final class ModelSummary {
  private final String runId;
  private final String mode;
  private final Map<String, ModelInput> inputs;
  private final List<String> notes = new ArrayList<>();
  private final List<ModelGates.Check> checks = new ArrayList<>();
  private final Map<String, long[]> written = new LinkedHashMap<>();
  private final List<Publications.Output> outputs = new ArrayList<>();
  private final Map<String, Double> steps = new LinkedHashMap<>();
  private final Map<String, Long> expected = new LinkedHashMap<>();

  ModelSummary(String runId, String mode, Map<String, ModelInput> inputs) {
    this.runId = runId;
    this.mode = mode;
    this.inputs = inputs;
  }

  List<String> notes() {
    return notes;
  }

  List<ModelGates.Check> checks() {
    return checks;
  }

  /** Per table: {inserted, updated, deleted}. */
  Map<String, long[]> written() {
    return written;
  }

  List<Publications.Output> outputs() {
    return outputs;
  }

  /** The facts' row counts the lake implied (the reconciliation gate's other side). */
  Map<String, Long> expected() {
    return expected;
  }

  long lap(String step, long since) {
    long now = System.nanoTime();
    steps.merge(step, (now - since) / 1e9, Double::sum);
    return now;
  }

  /** Why the build is not published: the gates that failed, with their counts; empty when all passed. */
  Optional<String> failure() {
    List<ModelGates.Check> failed = checks.stream().filter(c -> !c.passed()).toList();
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("The model build " + runId + " failed " + failed.size() + " quality gate(s) and published nothing"
        + " (the previous build stays published): " + failed.stream().map(c -> c.name() + " (" + c.failing() + " rows fail)")
        .collect(Collectors.joining("; ")) + ".");
  }

  /** Rows written over all tables, as the run log's counts. */
  RunCounts counts() {
    long inserted = written.values().stream().mapToLong(w -> w[0]).sum();
    long updated = written.values().stream().mapToLong(w -> w[1]).sum();
    long deleted = written.values().stream().mapToLong(w -> w[2]).sum();
    return new RunCounts(0, inserted + updated, deleted, 0);
  }

  /** Per table and gate, as named metrics of the run. */
  Map<String, Long> metrics() {
    Map<String, Long> m = new LinkedHashMap<>();
    written.forEach((t, w) -> {
      m.put(t + ".inserted", w[0]);
      m.put(t + ".updated", w[1]);
      m.put(t + ".deleted", w[2]);
    });
    for (int i = 0; i < checks.size(); i++) {
      m.put(String.format("gate.%02d.failing", i + 1), checks.get(i).failing());
    }
    outputs.forEach(o -> m.put(o.table() + ".rows", o.rows()));
    expected.forEach((t, n) -> m.put("lake." + t + ".expected", n));
    return m;
  }

  /** The totals a stage report shows. */
  Map<String, Long> totals() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("written", written.values().stream().mapToLong(w -> w[0] + w[1] + w[2]).sum());
    m.put("gates failed", checks.stream().filter(c -> !c.passed()).count());
    return m;
  }

  void print(PrintStream out) {
    out.printf("model build %s (%s)%n", runId, mode);
    inputs.values().forEach(i -> out.printf("  input  %-34s %s%n", i.qualified(), i.exists()
        ? "version " + i.version().orElseThrow() + ", runs up to " + i.highWater().map(Object::toString).orElse("-")
            + (i.changedSincePrevious() ? " (" + i.runs().size() + " new run(s))" : " (unchanged)")
        : "not in the lake"));
    notes.forEach(n -> out.println("  note   " + n));
    written.forEach((t, w) -> out.printf("  wrote  %-34s %d inserted, %d updated, %d deleted%n", t, w[0], w[1], w[2]));
    checks.forEach(c -> out.printf("  gate   %-6s %s%s%n", c.passed() ? "ok" : "FAILED", c.name(), c.passed() ? "" : ": "
        + c.failing() + " rows"));
    outputs.forEach(o -> out.printf("  published %-31s version %d, %d rows%n", o.table(), o.deltaVersion(), o.rows()));
    failure().ifPresent(f -> out.println("  " + f));
    out.printf("  seconds per step  %s%n", steps.entrySet().stream().map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ")));
  }
}
