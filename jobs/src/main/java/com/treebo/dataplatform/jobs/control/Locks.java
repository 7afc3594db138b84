package com.treebo.dataplatform.jobs.control;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named locks held in the control database for the length of a run, so that two runs of one table
 * (an EMR step retried while its first attempt still runs, two operators) never interleave. They
 * are the engines' session locks (PostgreSQL advisory locks, MySQL {@code GET_LOCK}): tied to this
 * store's connection, so a process that dies releases its locks with its connection, and a lock
 * can never be left behind. Within one process a held name is refused as well.
 */
public final class Locks {
  private static final Duration POLL = Duration.ofMillis(500);

  private final ControlDatabase db;
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  Locks(ControlDatabase db) {
    this.db = db;
  }

  /** A held lock; {@link #close()} releases it. */
  public final class Lock implements AutoCloseable {
    private final String name;
    private boolean released;

    private Lock(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        release(name);
      }
    }
  }

  /**
   * Takes the lock {@code name}, waiting up to {@code wait} for another holder to let go; empty
   * when it is still held by then.
   */
  public Optional<Lock> tryAcquire(String name, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (held.add(name)) {
        boolean taken;
        try {
          taken = trySessionLock(name);
        } catch (RuntimeException e) {
          held.remove(name);
          throw e;
        }
        if (taken) {
          return Optional.of(new Lock(name));
        }
        held.remove(name);
      }
      if (System.nanoTime() >= deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  private boolean trySessionLock(String name) {
    String sql = db.dialect() == Dialect.POSTGRESQL ? "SELECT pg_try_advisory_lock(?)" : "SELECT GET_LOCK(?, 0)";
    return db.onSession("take the lock " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, name);
        try (ResultSet rs = ps.executeQuery()) {
          // PostgreSQL answers a boolean, MySQL 1 (taken), 0 (held elsewhere) or NULL.
          Object taken = rs.next() ? rs.getObject(1) : null;
          return taken instanceof Boolean b ? b : taken instanceof Number n && n.intValue() == 1;
        }
      }
    });
  }

  private void release(String name) {
    String sql = db.dialect() == Dialect.POSTGRESQL ? "SELECT pg_advisory_unlock(?)" : "SELECT RELEASE_LOCK(?)";
    try {
      db.onSession("release the lock " + name, c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          bind(ps, name);
          ps.executeQuery().close();
        }
        return null;
      });
    } finally {
      held.remove(name);
    }
  }

  private void bind(PreparedStatement ps, String name) throws java.sql.SQLException {
    byte[] digest = sha256("dataplatform:" + db.url() + ":" + name);
    if (db.dialect() == Dialect.POSTGRESQL) {
      ps.setLong(1, ByteBuffer.wrap(digest).getLong());
    } else {
      // MySQL lock names are at most 64 characters and server-wide: prefixed and hashed.
      ps.setString(1, "dp:" + HexFormat.of().formatHex(digest).substring(0, 40));
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
