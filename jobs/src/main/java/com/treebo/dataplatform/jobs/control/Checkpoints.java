package com.treebo.dataplatform.jobs.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Committed checkpoints, one per table id ({@code dp_checkpoint}): what the lake (or the stage's
 * output) holds of that table. A checkpoint is only ever written inside the transaction that marks
 * its run succeeded ({@link RunLog#succeed}).
 */
public final class Checkpoints {
  private final ControlDatabase db;

  Checkpoints(ControlDatabase db) {
    this.db = db;
  }

  /** The committed checkpoint of {@code tableId}, if any run of it ever succeeded. */
  public Optional<Checkpoint> get(String tableId) {
    return db.query("read the checkpoint of " + tableId,
        "SELECT watermark, pending_value, pending_clock, last_delete_check FROM dp_checkpoint WHERE table_id = ?",
        ps -> ps.setString(1, tableId),
        rs -> new Checkpoint(tableId, Optional.ofNullable(rs.getString(1)), Optional.ofNullable(rs.getString(2)),
            Optional.ofNullable(rs.getString(3)), ControlDatabase.instant(rs, 4)))
        .stream().findFirst();
  }

  /** Writes {@code next} on {@code c}, inside the caller's transaction. */
  static void upsert(Connection c, String runId, Checkpoint next) throws SQLException {
    Instant now = Instant.now();
    try (PreparedStatement update = c.prepareStatement("UPDATE dp_checkpoint SET watermark = ?, pending_value = ?,"
        + " pending_clock = ?, last_delete_check = ?, last_run_id = ?, updated_at = ? WHERE table_id = ?")) {
      update.setString(1, next.watermark().orElse(null));
      update.setString(2, next.pendingValue().orElse(null));
      update.setString(3, next.pendingClock().orElse(null));
      ControlDatabase.setInstant(update, 4, next.lastDeleteCheck().orElse(null));
      update.setString(5, runId);
      ControlDatabase.setInstant(update, 6, now);
      update.setString(7, next.tableId());
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO dp_checkpoint (table_id, watermark, pending_value,"
        + " pending_clock, last_delete_check, last_run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, next.tableId());
      insert.setString(2, next.watermark().orElse(null));
      insert.setString(3, next.pendingValue().orElse(null));
      insert.setString(4, next.pendingClock().orElse(null));
      ControlDatabase.setInstant(insert, 5, next.lastDeleteCheck().orElse(null));
      insert.setString(6, runId);
      ControlDatabase.setInstant(insert, 7, now);
      insert.executeUpdate();
    }
  }
}
