package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.time.LocalDate;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code clickstream}: landed Segment events to the lake's web tables, the web-session fact and the daily funnel. */
@Command(name = "clickstream", mixinStandardHelpOptions = true,
    description = {
        "Load landed clickstream into lake.web_events and lake.web_sessions (the model builds the web-session fact).",
        "",
        "Reads every gzip object Kinesis Firehose landed under clickstream.landing (year=/month=/day=/hour=/, UTC",
        "hour of arrival) that no earlier run read, whatever its age: a run lists from the last hour the previous",
        "run listed, minus clickstream.late-arrival-window (for objects landing late into hours already read), up",
        "to now; the first run lists the whole landing zone. Objects already read (recorded in the control",
        "database) are skipped, so a rerun changes nothing. A long backlog is read in batches of about",
        "clickstream.batch-size, each committed on its own, with progress. --from/--to (YYYY-MM-DD, inclusive; one",
        "alone means that single day) also list every hour of those landed days.",
        "",
        "Writes lake.web_events (one row per distinct messageId, partitioned by event date in Asia/Kolkata),",
        "lake.web_events_quarantine (records that are not JSON or break the spec, with object, position and",
        "reason), lake.web_identities and lake.web_sessions (rebuilt for the devices that got events, on those events'",
        "dates and a day either side, and from the day before a late identity tie onward). The model then builds",
        "dw.fact_web_session and rpt.funnel_daily from lake.web_sessions, linking orders to bookings.",
        "Prints a summary; exit code 0 even when records were quarantined."})
final class ClickstreamCommand extends PlatformCommand {
  @Option(names = "--from", paramLabel = "DATE", description = "First landed day to list again (YYYY-MM-DD).")
  private LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last landed day to list again (YYYY-MM-DD).")
  private LocalDate to;

  @Override
  protected void check(PlatformConfig config) {
    if (from != null && to != null && to.isBefore(from)) {
      throw new ParameterException(spec.commandLine(), "--to " + to + " is before --from " + from);
    }
  }

  @Override
  protected int run(Platform platform) {
    ClickstreamSummary summary = ClickstreamJob.run(platform, new ClickstreamJob.Request(Optional.ofNullable(from), Optional.ofNullable(to)));
    summary.print(System.out);
    return 0;
  }
}
