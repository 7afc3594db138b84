package com.treebo.dataplatform.jobs.clickstream;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one clickstream run did, printed at its end and the basis of its control-store record.
 *
 * @param hours the landed hours listed, {@code first..last} (UTC)
 * @param objectsListed objects found in those hours
 * @param objectsRead objects not read by an earlier run, read now
 * @param records records read from them
 * @param quarantinedByReason records quarantined, per reason
 * @param eventsInserted new distinct events (a duplicate of an event already in the lake adds none)
 * @param sessionsUpserted sessions written (new or changed) for the batch's devices and dates
 * @param sessionsDeleted stored sessions replaced by a rebuilt one (merged, or started earlier now)
 * @param bookingLink empty when lake.crs_booking was found; else why bookings are not linked
 * @param relinkedDates session dates of earlier runs whose orders' bookings have reached the lake
 *     since, and whose fact rows were rebuilt to link them
 * @param stepSeconds wall-clock seconds per step, in order
 */
public record ClickstreamSummary(
    String runId,
    String hours,
    int objectsListed,
    int objectsRead,
    long records,
    Map<String, Long> quarantinedByReason,
    long eventsInserted,
    long sessionsUpserted,
    long sessionsDeleted,
    Optional<String> bookingLink,
    List<LocalDate> relinkedDates,
    Map<String, Double> stepSeconds) {

  /** This summary with {@code dates} as the relinked dates. */
  public ClickstreamSummary withRelinked(List<LocalDate> dates) {
    return new ClickstreamSummary(runId, hours, objectsListed, objectsRead, records, quarantinedByReason, eventsInserted,
        sessionsUpserted, sessionsDeleted, bookingLink, List.copyOf(dates), stepSeconds);
  }

  public long quarantined() {
    return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The run summary, as the command prints it. */
  public void print(PrintStream out) {
    out.printf("clickstream run %s%n", runId);
    out.printf("  landed hours      %s: %d objects, %d not read before%n", hours, objectsListed, objectsRead);
    out.printf("  records read      %d%n", records);
    out.printf("  quarantined       %d%n", quarantined());
    quarantinedByReason.forEach((reason, n) -> out.printf("    %-40s %d%n", reason, n));
    out.printf("  events inserted   %d (duplicates and already-loaded events: %d)%n", eventsInserted,
        records - quarantined() - eventsInserted);
    out.printf("  sessions          %d written, %d replaced%n", sessionsUpserted, sessionsDeleted);
    out.printf("  booking link      %s%n", bookingLink.orElse("linked through lake.crs_booking"));
    if (!relinkedDates.isEmpty()) {
      out.printf("  linked late       orders of %s (their bookings reached the lake since)%n", relinkedDates);
    }
    out.printf("  seconds per step  %s%n", stepSeconds.entrySet().stream()
        .map(e -> String.format("%s %.1f", e.getKey(), e.getValue())).collect(java.util.stream.Collectors.joining(", ")));
  }
}
