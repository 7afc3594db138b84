package com.treebo.dataplatform.jobs.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * <p>Its table is created on first use; plain SQL on PostgreSQL and MySQL/MariaDB. Two statements
 * per run: one range query, one batched insert.
 */
public final class LandedObjects {
  private final ControlStore store;

  public LandedObjects(ControlStore store) {
    this.store = store;
    store.inTransaction("create the landed-objects ledger", c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS dp_landed_object ("
            + " object_sha256 char(64) NOT NULL PRIMARY KEY,"
            + " object_key " + (store.dialect() == Dialect.MYSQL ? "varchar(2048)" : "text") + " NOT NULL,"
            + " landed_hour varchar(13) NOT NULL,"
            + " size_bytes bigint NOT NULL,"
            + " run_id varchar(64) NOT NULL,"
            + " recorded_at " + (store.dialect() == Dialect.MYSQL ? "datetime(6)" : "timestamp(6)") + " NOT NULL)"
            + (store.dialect() == Dialect.MYSQL ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : ""));
        try {
          s.execute("CREATE INDEX " + (store.dialect() == Dialect.POSTGRESQL ? "IF NOT EXISTS " : "")
              + "dp_landed_object_hour ON dp_landed_object (landed_hour)");
        } catch (java.sql.SQLException e) {
          if (!store.dialect().isDuplicateIndex(e)) {
            throw e;
          }
        }
      }
      return null;
    });
  }

  /** Keys of the objects recorded for landed hours {@code firstHour..lastHour} ({@code yyyy-MM-ddTHH}, inclusive). */
  public Set<String> recorded(String firstHour, String lastHour) {
    return new HashSet<>(store.query("read the landed objects of hours " + firstHour + " to " + lastHour,
        "SELECT object_key FROM dp_landed_object WHERE landed_hour >= ? AND landed_hour <= ?",
        ps -> {
          ps.setString(1, firstHour);
          ps.setString(2, lastHour);
        },
        (ResultSet rs) -> rs.getString(1)));
  }

  /** Records {@code objects} ({@code key, landed hour, size}) as read by {@code runId}, in one transaction. */
  public void record(String runId, List<Entry> objects) {
    store.inTransaction("record " + objects.size() + " landed objects of run " + runId, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO dp_landed_object"
          + " (object_sha256, object_key, landed_hour, size_bytes, run_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        int pending = 0;
        for (Entry o : objects) {
          ps.setString(1, sha256(o.key()));
          ps.setString(2, o.key());
          ps.setString(3, o.landedHour());
          ps.setLong(4, o.size());
          ps.setString(5, runId);
          ControlStore.setInstant(ps, 6, Instant.now());
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
    });
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
