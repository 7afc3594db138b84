package com.treebo.dataplatform.jobs.runtime;

import com.treebo.dataplatform.conf.Identifiers;
import com.treebo.dataplatform.conf.InvalidConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL cluster started from the machine's own server binaries (development and
 * tests only). PostgreSQL refuses to run as root, so when we are root the cluster is owned by, and
 * run as, the {@code postgres} system user through {@code runuser}. The cluster listens on
 * 127.0.0.1 only and trusts local connections; it is tuned for speed, not durability.
 *
 * <p>Starting an existing data folder reuses it, which is how {@code status} and {@code sql} see
 * what {@code demo} left behind. A cluster this object did not start is never stopped by it.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final String RUN_AS = "postgres";

  private final Path dataDir;
  private final int port;
  private final Path bin;
  private final boolean startedHere;

  private LocalPostgres(Path dataDir, int port, Path bin, boolean startedHere) {
    this.dataDir = dataDir;
    this.port = port;
    this.bin = bin;
    this.startedHere = startedHere;
  }

  /** Starts (creating if needed) the cluster in {@code dataDir} on {@code port}, or reuses a running one. */
  public static LocalPostgres start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * As {@link #start(Path, int)}, with extra environment for the server process (tests use it to
   * run a server on a skewed clock through libfaketime).
   */
  public static LocalPostgres start(Path dataDir, int port, Map<String, String> serverEnvironment) {
    Path bin = serverBinaries();
    try {
      Files.createDirectories(dataDir.getParent());
      if (Files.exists(dataDir.resolve("PG_VERSION")) && isRunning(bin, dataDir)) {
        LocalPostgres existing = new LocalPostgres(dataDir, port, bin, false);
        existing.awaitConnections();
        return existing;
      }
      requireFreePort(port, dataDir);
      if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
        Files.createDirectories(dataDir);
        handToRunUser(dataDir);
        run(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), dataDir.resolveSibling(dataDir.getFileName() + "-initdb.log"));
      }
      String options = "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
          + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
          + " -c shared_buffers=256MB -c max_wal_size=4GB -c timezone=UTC";
      Path serverLog = dataDir.resolve("server.log");
      int exit = exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-o", options,
          "-l", serverLog.toString(), "-w", "-t", "60", "start"),
          dataDir.resolveSibling(dataDir.getFileName() + "-pg_ctl.log"), true, serverEnvironment);
      if (exit != 0) {
        throw new IllegalStateException("Cannot start the local PostgreSQL (local runtime) in " + dataDir + " on 127.0.0.1:" + port
            + ": pg_ctl exited with " + exit + ". The server's log says:\n" + tail(serverLog, 15)
            + "\n(full log: " + serverLog + "; the port is set by local.postgres-port, the folder by local.home)");
      }
      LocalPostgres started = new LocalPostgres(dataDir, port, bin, true);
      started.awaitConnections();
      return started;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the local PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fails, naming the port, the setting and the log, when something else listens on {@code port}:
   * pg_ctl would only say "could not start server".
   */
  private static void requireFreePort(int port, Path dataDir) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
    } catch (IOException inUse) {
      throw new InvalidConfigException("local.postgres-port", "port " + port + " on 127.0.0.1 is already in use by another"
          + " process (another checkout's local PostgreSQL?), so the local PostgreSQL of " + dataDir + " cannot start there."
          + " Set local.postgres-port to a free port in a --conf file (or stop the other process); the server log would be "
          + dataDir.resolve("server.log"));
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** JDBC URL of {@code database} on this cluster. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** A client program of the same PostgreSQL installation as the server ({@code psql}, {@code pg_dump}). */
  public Path binary(String name) {
    return bin.resolve(name);
  }

  /** Creates {@code database} unless it exists. */
  public void ensureDatabase(String database) {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
         Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = " + Identifiers.literal(database));
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + Identifiers.quote(database));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + database + " on the local PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Drops {@code database} (and its connections) if it exists. */
  public void dropDatabase(String database) {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(database) + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot drop database " + database + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (!startedHere) {
      return;
    }
    try {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"),
          dataDir.resolveSibling(dataDir.getFileName() + "-pg_ctl.log"));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot stop the local PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitConnections() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "")) {
        return;
      } catch (SQLException e) {
        last = e;
        sleep(100);
      }
    }
    throw new IllegalStateException("The local PostgreSQL in " + dataDir + " does not accept connections on port "
        + port + " (is another server using it? see " + dataDir.resolve("server.log") + ")", last);
  }

  /** The newest PostgreSQL server binaries on this machine: $PG_BIN, else /usr/lib/postgresql/N/bin. */
  static Path serverBinaries() {
    String fromEnv = System.getenv("PG_BIN");
    if (fromEnv != null && Files.isExecutable(Path.of(fromEnv, "pg_ctl"))) {
      return Path.of(fromEnv);
    }
    Path root = Path.of("/usr/lib/postgresql");
    Optional<Path> newest = Optional.empty();
    if (Files.isDirectory(root)) {
      try (var versions = Files.list(root)) {
        newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")) && Files.isExecutable(v.resolve("bin/postgres")))
            .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString())))
            .map(v -> v.resolve("bin"));
      } catch (IOException e) {
        throw new IllegalStateException("Cannot list " + root + ": " + e.getMessage(), e);
      }
    }
    return newest.orElseThrow(() -> new IllegalStateException(
        "No PostgreSQL server binaries found (looked in $PG_BIN and /usr/lib/postgresql/*/bin). "
            + "Install them (Debian: apt-get install postgresql) or set PG_BIN."));
  }

  private static int parseVersion(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRunning(Path bin, Path dataDir) throws IOException {
    if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
      return false;
    }
    return exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "status"), null) == 0;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void handToRunUser(Path dataDir) throws IOException {
    if (!isRoot()) {
      return;
    }
    if (exec(List.of("chown", "-R", RUN_AS + ":" + RUN_AS, dataDir.toString()), null, false) != 0) {
      throw new IOException("chown of " + dataDir + " to " + RUN_AS + " failed (does the user exist?)");
    }
    // The server must be able to reach its data folder through every parent.
    for (Path p = dataDir.getParent(); p != null; p = p.getParent()) {
      p.toFile().setExecutable(true, false);
    }
  }

  private static void run(List<String> command, Path log) throws IOException {
    run(command, log, true, Map.of());
  }

  private static void run(List<String> command, Path log, boolean asServerUser, Map<String, String> env) throws IOException {
    int exit = exec(command, log, asServerUser, env);
    if (exit != 0) {
      String tail = log != null && Files.exists(log) ? Files.readString(log) : "";
      throw new IOException(String.join(" ", command) + " exited with " + exit + (tail.isBlank() ? "" : ":\n" + tail));
    }
  }

  private static int exec(List<String> command, Path log) throws IOException {
    return exec(command, log, true, Map.of());
  }

  private static int exec(List<String> command, Path log, boolean asServerUser) throws IOException {
    return exec(command, log, asServerUser, Map.of());
  }

  private static int exec(List<String> command, Path log, boolean asServerUser, Map<String, String> env) throws IOException {
    List<String> full = new ArrayList<>();
    if (asServerUser && isRoot()) {
      full.addAll(Arrays.asList("runuser", "-u", RUN_AS, "--"));
    }
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().putAll(env);
    if (log != null) {
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 120 s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
