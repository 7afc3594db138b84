package com.treebo.dataplatform.jobs.stage;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stage run did: one line per unit (table, model, warehouse) with its counts and, when it
 * failed, why. A stage's command prints it; the nightly runner records it.
 *
 * @param stage the stage's name
 * @param units per unit, in the order run
 */
public record StageReport(String stage, List<Unit> units) {
  public StageReport {
    units = List.copyOf(units);
  }

  /**
   * One unit's outcome.
   *
   * @param id the unit's id in the run log (e.g. {@code booking.crs.booking})
   * @param runId its run, if one was recorded
   * @param metrics named counts (rows read, merged, deleted, quarantined, ...), in display order
   * @param error why it failed; empty when it succeeded
   */
  public record Unit(String id, Optional<String> runId, Map<String, Long> metrics, Duration duration, Optional<String> error) {
    public boolean succeeded() {
      return error.isEmpty();
    }
  }

  public boolean succeeded() {
    return units.stream().allMatch(Unit::succeeded);
  }

  public long failed() {
    return units.stream().filter(u -> !u.succeeded()).count();
  }

  /** The sum of one metric over the units. */
  public long total(String metric) {
    return units.stream().mapToLong(u -> u.metrics().getOrDefault(metric, 0L)).sum();
  }

  /** Exit code of a stage command: 0 when every unit succeeded, else 1. */
  public int exitCode() {
    return succeeded() ? 0 : 1;
  }

  public void print(PrintStream out) {
    for (Unit u : units) {
      StringBuilder line = new StringBuilder(String.format("  %-34s %-9s %7.1f s", u.id(), u.succeeded() ? "ok" : "FAILED",
          u.duration().toMillis() / 1000.0));
      u.metrics().forEach((k, v) -> line.append(String.format("  %s %d", k, v)));
      out.println(line);
      u.error().ifPresent(e -> out.println("      " + e.replace("\n", "\n      ")));
    }
  }
}
