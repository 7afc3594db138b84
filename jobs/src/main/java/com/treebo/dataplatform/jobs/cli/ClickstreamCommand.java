package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.jobs.runtime.Platform;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/** {@code clickstream}: landed Segment events to the lake's web tables, the web-session fact and the daily funnel. */
final class ClickstreamCommand {
  static final Command COMMAND = new Command("clickstream",
      "Load landed clickstream into lake.web_events/web_sessions, dw.fact_web_session, rpt.funnel_daily",
      """
      Usage: bin/dataplatform [--conf FILE] clickstream [--from DATE] [--to DATE]

      Reads the gzip objects Kinesis Firehose landed under clickstream.landing
      (year=/month=/day=/hour=/, UTC hour of arrival) that no earlier run read: those of the
      hours within clickstream.late-arrival-window before now, plus, with --from/--to
      (YYYY-MM-DD, inclusive; one alone means that single day), every hour of those landed
      days. Objects already read (recorded in the control database) are skipped, so a rerun
      changes nothing.

      Writes lake.web_events (one row per distinct messageId, partitioned by event date in
      Asia/Kolkata), lake.web_events_quarantine (records that are not JSON or break the spec,
      with object, position and reason), lake.web_identities, lake.web_sessions (rebuilt for the
      devices that got events, on those events' dates and a day either side),
      dw.fact_web_session and rpt.funnel_daily (replaced for the affected dates). Orders whose
      booking reached lake.crs_booking after their date was built are linked again, within
      clickstream.relink-window, even when nothing new landed. Prints a summary; exit code 0
      even when records were quarantined.
      """,
      Set.of("--from", "--to"), Set.of(), ClickstreamCommand::run);

  private ClickstreamCommand() {}

  static int run(Platform platform, Args args) {
    Optional<LocalDate> from = date(args, "--from");
    Optional<LocalDate> to = date(args, "--to");
    if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
      throw new UsageException("clickstream: --to " + to.get() + " is before --from " + from.get());
    }
    if (!args.positionals().isEmpty()) {
      throw new UsageException("clickstream: unexpected argument " + args.positionals().get(0));
    }
    ClickstreamSummary summary = ClickstreamJob.run(platform, new ClickstreamJob.Request(from, to, Instant.now()));
    summary.print(System.out);
    return 0;
  }

  private static Optional<LocalDate> date(Args args, String option) {
    try {
      return args.option(option).map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      throw new UsageException("clickstream: " + option + " must be a date YYYY-MM-DD (got '" + args.option(option).orElse("") + "')");
    }
  }
}
