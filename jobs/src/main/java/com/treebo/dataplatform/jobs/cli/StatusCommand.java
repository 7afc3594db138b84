package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.control.RunRecord;
import com.treebo.dataplatform.jobs.control.TableStatus;
import com.treebo.dataplatform.jobs.runtime.Platform;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code status}: per table, the last successful run, its watermark, lag and row counts, and any failure since. */
final class StatusCommand {
  static final Command COMMAND = new Command("status",
      "Per table: last successful run, watermark, lag, row counts, and any failure since",
      """
      Usage: bin/dataplatform [--conf FILE] status

      Reads the control database (control.jdbc-url) and prints one line per table: when its last
      successful run finished, the committed watermark, the lag (now minus the watermark for
      timestamp watermarks, else minus the last success), rows read and merged by that run, and
      the newest failure since it with its reason. Exit code 1 when any table's latest run failed.
      """,
      Set.of(), Set.of(), StatusCommand::run);

  private StatusCommand() {}

  static int run(Platform platform, Args args) {
    Map<String, TableStatus> byTable = new LinkedHashMap<>();
    for (TableConfig t : platform.config().tables()) {
      byTable.put(t.id(), new TableStatus(t.id(), Optional.empty(), Optional.empty(), Optional.empty()));
    }
    for (TableStatus s : platform.control().status()) {
      byTable.put(s.tableId(), s);
    }
    return print(byTable.values(), Instant.now(), System.out);
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
