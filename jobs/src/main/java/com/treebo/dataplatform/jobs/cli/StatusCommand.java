package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.control.Nights;
import com.treebo.dataplatform.jobs.control.RunRecord;
import com.treebo.dataplatform.jobs.control.TableStatus;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code status}: per table, the last successful run, its watermark, lag and row counts, and any failure since. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "The last night's steps; per table: last successful run, watermark, lag, row counts, and any failure since.",
        "",
        "Reads the control database (control.jdbc-url) and prints the last night run (bin/dataplatform run): each",
        "step's latest attempt, its outcome, start, duration and error. Then one line per table: when its last successful run",
        "finished, the committed watermark, the lag (now minus the watermark for timestamp watermarks, else minus",
        "the last success), rows read and merged by that run, and the newest failure since it with its reason.",
        "Then the model's last published build (its tables, versions and rows, and its gates), the warehouse's last",
        "load, and the night's counts side by side: rows in the source now, live rows in the lake as the build read",
        "them, rows the model published, rows the warehouse holds; lake, model and warehouse must agree.",
        "Exit code 1 when the last night is incomplete, any table's latest run, build or load failed, or the counts disagree."})
final class StatusCommand extends PlatformCommand {
  @Override
  protected int run(Platform platform) {
    Map<String, TableStatus> byTable = new LinkedHashMap<>();
    for (TableConfig t : platform.config().tables()) {
      byTable.put(t.id(), new TableStatus(t.id(), Optional.empty(), Optional.empty(), Optional.empty()));
    }
    for (TableStatus s : platform.control().status().tables()) {
      if (!s.tableId().equals(com.treebo.dataplatform.jobs.night.NightRunner.UNIT)) { // the night has its own section above
        byTable.put(s.tableId(), s);
      }
    }
    int lastNight = printLastNight(platform.control().nights(), System.out);
    int tables = print(byTable.values(), platform.clock().instant(), System.out);
    int night = NightReport.print(platform.config(), platform.control(), System.out);
    return Math.max(lastNight, Math.max(tables, night));
  }

  /** The last night run: each step's latest attempt. Returns 1 when a step's latest attempt did not succeed. */
  static int printLastNight(Nights nights, PrintStream out) {
    Optional<LocalDate> night = nights.lastNight();
    if (night.isEmpty()) {
      out.println("no night run yet (bin/dataplatform run)\n");
      return 0;
    }
    Map<String, Nights.StepRecord> steps = nights.latest(night.get());
    boolean ok = steps.values().stream().allMatch(Nights.StepRecord::succeeded);
    out.printf("night %s: %s%n", night.get(), ok ? "every step run succeeded" : "INCOMPLETE (bin/dataplatform run resumes it)");
    for (Nights.StepRecord r : steps.values()) {
      out.printf("  %-12s %-10s %-20s %8s  %s%n", r.step(), r.status(), r.startedAt().toString().replace('T', ' ').substring(0, 19),
          r.durationMs().map(ms -> String.format("%.1f s", ms / 1000.0)).orElse("-"),
          r.error().map(e -> e.lines().findFirst().orElse("")).orElse(""));
    }
    out.println();
    return ok ? 0 : 1;
  }

  static int print(Iterable<TableStatus> statuses, Instant now, PrintStream out) {
    String format = "%-34s %-20s %-28s %10s %10s %10s  %s%n";
    out.printf(format, "table", "last success (UTC)", "watermark", "lag", "read", "merged", "state");
    int failing = 0;
    for (TableStatus s : statuses) {
      Optional<RunRecord> ok = s.lastSuccess();
      String state = s.lastFailure().map(f -> f.status() + " " + f.startedAt().toString().substring(0, 19) + ": "
          + f.error().orElse("").lines().findFirst().orElse("")).orElse(ok.isPresent() ? "ok" : "never run");
      if (s.lastFailure().isPresent()) {
        failing++;
      }
      out.printf(format, s.tableId(),
          ok.flatMap(RunRecord::finishedAt).map(t -> t.toString().replace('T', ' ').substring(0, 19)).orElse("-"),
          s.watermark().orElse("-"),
          lag(s, now).map(StatusCommand::human).orElse("-"),
          ok.map(r -> Long.toString(r.counts().rowsRead())).orElse("-"),
          ok.map(r -> Long.toString(r.counts().rowsMerged())).orElse("-"),
          state);
    }
    return failing == 0 ? 0 : 1;
  }

  private static Optional<Duration> lag(TableStatus s, Instant now) {
    Optional<Instant> watermarkTime = s.watermark().flatMap(w -> {
      try {
        return Optional.of(Instant.parse(w));
      } catch (DateTimeParseException notATime) {
        return Optional.empty();
      }
    });
    return watermarkTime.or(() -> s.lastSuccess().flatMap(RunRecord::finishedAt)).map(t -> Duration.between(t, now));
  }

  private static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s >= 86400) {
      return (s / 86400) + "d" + (s % 86400) / 3600 + "h";
    }
    return String.format("%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
  }
}
