package com.treebo.dataplatform.jobs.control;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nightly runner's ledger ({@code dp_night_step}): per night (a date) and pipeline step, each
 * attempt with its run, outcome, duration and JSON summary. A rerun of a night skips the steps
 * this ledger shows succeeded for that night; {@code status} shows the last night from it.
 */
public final class Nights {
  private final ControlDatabase db;

  Nights(ControlDatabase db) {
    this.db = db;
  }

  /** One attempt at one step of one night. */
  public record StepRecord(LocalDate night, String step, String runId, String status, Instant startedAt,
      Optional<Instant> finishedAt, Optional<Long> durationMs, Optional<String> summaryJson, Optional<String> error) {
    public boolean succeeded() {
      return status.equals("succeeded");
    }
  }

  private static final String COLUMNS = "night, step, run_id, status, started_at, finished_at, duration_ms, summary, error";

  /** Records that {@code step} of {@code night} started under {@code runId}. */
  public void start(LocalDate night, String step, String runId, Instant startedAt) {
    db.update("record the start of step " + step + " of night " + night,
        "INSERT INTO dp_night_step (night, step, run_id, status, started_at) VALUES (?, ?, ?, 'running', ?)", ps -> {
          ps.setString(1, night.toString());
          ps.setString(2, step);
          ps.setString(3, runId);
          ControlDatabase.setInstant(ps, 4, startedAt);
        });
  }

  /** Records the outcome ({@code succeeded}, {@code failed} or {@code skipped}) of a started step. */
  public void finish(LocalDate night, String step, String runId, String status, Instant finishedAt, long durationMs,
      String summaryJson, Optional<String> error) {
    db.update("record the end of step " + step + " of night " + night,
        "UPDATE dp_night_step SET status = ?, finished_at = ?, duration_ms = ?, summary = ?, error = ?"
            + " WHERE night = ? AND step = ? AND run_id = ?", ps -> {
          ps.setString(1, status);
          ControlDatabase.setInstant(ps, 2, finishedAt);
          ps.setLong(3, durationMs);
          ps.setString(4, summaryJson);
          ps.setString(5, error.orElse(null));
          ps.setString(6, night.toString());
          ps.setString(7, step);
          ps.setString(8, runId);
        });
  }

  /**
   * Marks the steps of {@code night} still recorded as running as abandoned: called with the
   * night's lock held, so the process that started them is gone. Returns how many.
   */
  public int abandonRunning(LocalDate night, String byRunId) {
    return db.inTransaction("abandon the dead steps of night " + night, c -> ControlDatabase.update(c,
        "UPDATE dp_night_step SET status = 'abandoned', error = ? WHERE night = ? AND status = 'running'", ps -> {
          ps.setString(1, "the process running it stopped before it finished; found by run " + byRunId);
          ps.setString(2, night.toString());
        }));
  }

  /** Every attempt of {@code night}, oldest first. */
  public List<StepRecord> of(LocalDate night) {
    return db.query("list the steps of night " + night,
        "SELECT " + COLUMNS + " FROM dp_night_step WHERE night = ? ORDER BY started_at, step", ps -> ps.setString(1, night.toString()),
        Nights::record);
  }

  /** Per step, its latest attempt in {@code night}. */
  public Map<String, StepRecord> latest(LocalDate night) {
    Map<String, StepRecord> out = new LinkedHashMap<>();
    for (StepRecord r : of(night)) {
      out.put(r.step(), r);
    }
    return out;
  }

  /** The newest night recorded, if any. */
  public Optional<LocalDate> lastNight() {
    return db.query("find the last night", "SELECT max(night) FROM dp_night_step", ps -> {}, rs -> rs.getString(1)).stream()
        .filter(n -> n != null).findFirst().map(LocalDate::parse);
  }

  /** When {@code step} last succeeded in any night, if ever (scheduled steps: maintenance). */
  public Optional<Instant> lastSuccess(String step) {
    return db.query("find the last success of step " + step,
        "SELECT max(started_at) FROM dp_night_step WHERE step = ? AND status = 'succeeded'", ps -> ps.setString(1, step),
        rs -> ControlDatabase.instant(rs, 1)).stream().flatMap(Optional::stream).findFirst();
  }

  private static StepRecord record(java.sql.ResultSet rs) throws java.sql.SQLException {
    long duration = rs.getLong(7);
    Optional<Long> durationMs = rs.wasNull() ? Optional.empty() : Optional.of(duration);
    return new StepRecord(LocalDate.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
        ControlDatabase.instant(rs, 5).orElseThrow(), ControlDatabase.instant(rs, 6), durationMs,
        Optional.ofNullable(rs.getString(8)), Optional.ofNullable(rs.getString(9)));
  }
}
