package com.treebo.dataplatform.jobs.clickstream;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one clickstream run did, printed at its end and recorded with its run (counts and metrics).
 * Every count is what this run changed, so a rerun after a crash adds nothing twice: events,
 * quarantined records and sessions count only rows new to, or changed in, their tables.
 *
 * @param hours the landed hours listed, {@code first..last} (UTC)
 * @param objectsListed objects found in those hours
 * @param objectsRead objects not read by an earlier run, read now
 * @param records records read from them
 * @param quarantinedByReason records read that are quarantined, per reason
 * @param quarantined quarantined records new to the quarantine table
 * @param eventsInserted new distinct events (a duplicate of an event already in the lake adds none)
 * @param sessionsNew sessions written that were not stored before
 * @param sessionsChanged stored sessions rewritten because something in them changed
 * @param sessionsReplaced stored sessions removed: merged into another, or started earlier now
 * @param stepSeconds wall-clock seconds per step, summed over batches, in order
 */
public record ClickstreamSummary(
    String runId,
    String hours,
    int objectsListed,
    int objectsRead,
    long records,
    Map<String, Long> quarantinedByReason,
    long quarantined,
    long eventsInserted,
    long sessionsNew,
    long sessionsChanged,
    long sessionsReplaced,
    Map<String, Double> stepSeconds) {

  public ClickstreamSummary {
    quarantinedByReason = Map.copyOf(quarantinedByReason);
    stepSeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stepSeconds));
  }

  /** A run that has read nothing yet. */
  static ClickstreamSummary empty(String runId, String hours, int objectsListed) {
    return new ClickstreamSummary(runId, hours, objectsListed, 0, 0, Map.of(), 0, 0, 0, 0, 0, Map.of());
  }

  /** This summary with one more batch's counts added. */
  ClickstreamSummary plus(ClickstreamSummary batch) {
    Map<String, Long> reasons = new TreeMap<>(quarantinedByReason);
    batch.quarantinedByReason.forEach((k, v) -> reasons.merge(k, v, Long::sum));
    Map<String, Double> steps = new LinkedHashMap<>(stepSeconds);
    batch.stepSeconds.forEach((k, v) -> steps.merge(k, v, Double::sum));
    return new ClickstreamSummary(runId, hours, objectsListed, objectsRead + batch.objectsRead, records + batch.records, reasons,
        quarantined + batch.quarantined, eventsInserted + batch.eventsInserted, sessionsNew + batch.sessionsNew,
        sessionsChanged + batch.sessionsChanged, sessionsReplaced + batch.sessionsReplaced, steps);
  }

  /** The counts as named metrics, as the run log keeps them. */
  public Map<String, Long> metrics() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("objects_listed", (long) objectsListed);
    m.put("objects_read", (long) objectsRead);
    m.put("records", records);
    m.put("quarantined", quarantined);
    m.put("events_inserted", eventsInserted);
    m.put("sessions_new", sessionsNew);
    m.put("sessions_changed", sessionsChanged);
    m.put("sessions_replaced", sessionsReplaced);
    return m;
  }

  /** The run summary, as the command prints it. */
  public void print(PrintStream out) {
    out.printf("clickstream run %s%n", runId);
    out.printf("  landed hours      %s: %d objects, %d not read before%n", hours, objectsListed, objectsRead);
    out.printf("  records read      %d%n", records);
    out.printf("  quarantined       %d read, %d new to the quarantine table%n",
        quarantinedByReason.values().stream().mapToLong(Long::longValue).sum(), quarantined);
    new TreeMap<>(quarantinedByReason).forEach((reason, n) -> out.printf("    %-40s %d%n", reason, n));
    out.printf("  events inserted   %d%n", eventsInserted);
    out.printf("  sessions          %d new, %d changed, %d replaced%n", sessionsNew, sessionsChanged, sessionsReplaced);
    out.printf("  seconds per step  %s%n", stepSeconds.entrySet().stream()
        .map(e -> String.format("%s %.1f", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
  }
}
