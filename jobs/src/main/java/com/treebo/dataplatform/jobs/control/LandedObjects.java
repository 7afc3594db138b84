package com.treebo.dataplatform.jobs.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The ledger of landed clickstream objects already in the lake: one row per object (keyed by the
 * SHA-256 of its URI, as URIs can exceed index key limits), with its landed hour, size and the run
 * that read it. A run reads the objects of the hours it lists that are not here, and records them
 * only after the lake commits that hold their events: a crash in between leaves them unrecorded,
 * and the rerun's merges by message id make the second read change nothing.
 *
 * <p>Plain SQL on PostgreSQL and MySQL/MariaDB. Two statements per run: one range query, one
 * batched insert.
 */
public final class LandedObjects {
  private final ControlDatabase db;

  LandedObjects(ControlDatabase db) {
    this.db = db;
  }

  /** Keys of the objects recorded for landed hours {@code firstHour..lastHour} ({@code yyyy-MM-ddTHH}, inclusive). */
  public Set<String> recorded(String firstHour, String lastHour) {
    return new HashSet<>(db.query("read the landed objects of hours " + firstHour + " to " + lastHour,
        "SELECT object_key FROM dp_landed_object WHERE landed_hour >= ? AND landed_hour <= ?",
        ps -> {
          ps.setString(1, firstHour);
          ps.setString(2, lastHour);
        },
        (ResultSet rs) -> rs.getString(1)));
  }

  /** Records {@code objects} ({@code key, landed hour, size}) as read by {@code runId}, in one transaction. */
  public void record(String runId, List<Entry> objects) {
    db.inTransaction("record " + objects.size() + " landed objects of run " + runId, c -> record(c, runId, objects));
  }

  /**
   * Records {@code objects} on {@code c}, inside the caller's transaction (the run's own commit:
   * see {@link RunLog#succeed}). Batched, a thousand rows a round trip.
   */
  public static Void record(Connection c, String runId, List<Entry> objects) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dp_landed_object"
        + " (object_sha256, object_key, landed_hour, size_bytes, run_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      int pending = 0;
      Instant now = Instant.now();
      for (Entry o : objects) {
        ps.setString(1, sha256(o.key()));
        ps.setString(2, o.key());
        ps.setString(3, o.landedHour());
        ps.setLong(4, o.size());
        ps.setString(5, runId);
        ControlDatabase.setInstant(ps, 6, now);
        ps.addBatch();
        if (++pending == 1000) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
    return null;
  }

  /** One landed object. */
  public record Entry(String key, String landedHour, long size) {}

  static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
