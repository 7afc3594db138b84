package com.treebo.dataplatform.jobs.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What each published build of the model read and wrote: per input, the high-water mark it read up
 * to ({@code dp_build_input}), and per output table, the Delta version it published and its row
 * count ({@code dp_build_output}). Recorded in the transaction that marks the build's run succeeded,
 * so a build is published whole or not at all; readers (the warehouse load, status) take the last
 * succeeded build and read exactly those table versions (Delta time travel), never a half-written
 * state.
 */
public final class Publications {
  private final ControlDatabase db;

  Publications(ControlDatabase db) {
    this.db = db;
  }

  /** One input of a build: the lake table (or stage) it read, up to which run start, at which version. */
  public record Input(String name, Optional<Instant> highWater, Optional<Long> deltaVersion) {}

  /** One published table: its Delta version and rows. */
  public record Output(String table, long deltaVersion, long rows) {}

  /** A published build. */
  public record Publication(String runId, Instant startedAt, Optional<Instant> finishedAt, Map<String, Input> inputs,
      Map<String, Output> outputs) {}

  /** Writes a build's inputs and outputs on {@code c}, inside the transaction that marks its run succeeded. */
  public static Void record(Connection c, String runId, Iterable<Input> inputs, Iterable<Output> outputs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO dp_build_input (run_id, input_name, high_water, delta_version) VALUES (?, ?, ?, ?)")) {
      for (Input i : inputs) {
        ps.setString(1, runId);
        ps.setString(2, i.name());
        ControlDatabase.setInstant(ps, 3, i.highWater().orElse(null));
        ControlDatabase.setLongOrNull(ps, 4, i.deltaVersion().orElse(null));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO dp_build_output (run_id, table_name, delta_version, row_count) VALUES (?, ?, ?, ?)")) {
      for (Output o : outputs) {
        ps.setString(1, runId);
        ps.setString(2, o.table());
        ps.setLong(3, o.deltaVersion());
        ps.setLong(4, o.rows());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return null;
  }

  /** The newest succeeded build of {@code job} on {@code unit} (e.g. model, {@code model.dw}), if any. */
  public Optional<Publication> last(String job, String unit) {
    Optional<String[]> run = db.query("find the last published build of " + unit,
        "SELECT run_id FROM dp_run WHERE job = ? AND table_id = ? AND status = 'succeeded' ORDER BY started_at DESC, run_id DESC LIMIT 1",
        ps -> {
          ps.setString(1, job);
          ps.setString(2, unit);
        }, rs -> new String[] {rs.getString(1)}).stream().findFirst();
    return run.map(r -> of(r[0], unit));
  }

  /** The build recorded by {@code runId}. */
  public Publication of(String runId, String unit) {
    Instant[] times = db.query("read build " + runId, "SELECT started_at, finished_at FROM dp_run WHERE run_id = ? AND table_id = ?",
        ps -> {
          ps.setString(1, runId);
          ps.setString(2, unit);
        }, rs -> new Instant[] {ControlDatabase.instant(rs, 1).orElseThrow(), ControlDatabase.instant(rs, 2).orElse(null)})
        .stream().findFirst().orElseThrow(() -> new ControlStoreException("no build " + runId + " of " + unit + " in the control database",
            null));
    Map<String, Input> inputs = new LinkedHashMap<>();
    db.query("read the inputs of build " + runId,
        "SELECT input_name, high_water, delta_version FROM dp_build_input WHERE run_id = ? ORDER BY input_name",
        ps -> ps.setString(1, runId), rs -> {
          long v = rs.getLong(3);
          Optional<Long> version = rs.wasNull() ? Optional.empty() : Optional.of(v);
          return inputs.put(rs.getString(1), new Input(rs.getString(1), ControlDatabase.instant(rs, 2), version));
        });
    Map<String, Output> outputs = new LinkedHashMap<>();
    db.query("read the outputs of build " + runId,
        "SELECT table_name, delta_version, row_count FROM dp_build_output WHERE run_id = ? ORDER BY table_name",
        ps -> ps.setString(1, runId), rs -> outputs.put(rs.getString(1), new Output(rs.getString(1), rs.getLong(2), rs.getLong(3))));
    return new Publication(runId, times[0], Optional.ofNullable(times[1]), inputs, outputs);
  }
}
