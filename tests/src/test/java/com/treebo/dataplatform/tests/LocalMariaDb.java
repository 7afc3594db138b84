package com.treebo.dataplatform.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one throwaway MariaDB server of this test JVM (the control store's MySQL-compatible
 * production engine), started from the machine's own binaries on first use and stopped by a
 * shutdown hook. Tests never stop it; each takes its own database through {@link #newDatabase}.
 *
 * <p>It runs with {@code --no-defaults} (so no {@code /etc/mysql} setting leaks in, and the server
 * character set is MariaDB's own default, latin1, as on a stock RDS parameter group), listens on a
 * free 127.0.0.1 port, and is tuned for speed, not durability. Grant tables are on: {@code root}
 * connects over TCP with an empty password, and a wrong password is refused as in production.
 * As root, the server runs as root ({@code --user=root}); MariaDB, unlike PostgreSQL, allows it.
 * Startup (install of the system tables, then the server) takes 1-5 s on a busy 2-core machine.
 */
final class LocalMariaDb {
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9_]{1,64}");
  private static final long START_TIMEOUT_SECONDS = 60;
  private static LocalMariaDb instance;

  private final Path home;
  private final int port;
  private final Process server;
  private final long startupMillis;

  private LocalMariaDb(Path home, int port, Process server, long startupMillis) {
    this.home = home;
    this.port = port;
    this.server = server;
    this.startupMillis = startupMillis;
  }

  /** The server of this JVM, started on first call. */
  static synchronized LocalMariaDb get() {
    if (instance == null) {
      String tmp = System.getProperty("dataplatform.test.tmp", "target/test-tmp");
      Path home = Path.of(tmp, "mariadb-" + ProcessHandle.current().pid()).toAbsolutePath();
      instance = start(home);
      LocalMariaDb started = instance;
      System.out.println("Local MariaDB on 127.0.0.1:" + started.port + " (" + home + ") started in " + started.startupMillis + " ms");
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-local-mariadb"));
    }
    return instance;
  }

  /** A fresh, empty database {@code name} (dropped first if a previous test left it), as a JDBC URL. */
  String newDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("MariaDB test database name must match " + DATABASE_NAME + " (got '" + name + "')");
    }
    try (Connection c = DriverManager.getConnection(serverUrl(), user(), password());
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + name + "`");
      s.execute("CREATE DATABASE `" + name + "`");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + name + " on the local MariaDB at " + serverUrl()
          + ": " + e.getMessage() + logTail(home), e);
    }
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
  }

  String user() {
    return "root";
  }

  String password() {
    return "";
  }

  int port() {
    return port;
  }

  /** Wall-clock time from the start of the system-table install to the first accepted connection. */
  long startupMillis() {
    return startupMillis;
  }

  private String serverUrl() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/";
  }

  private static LocalMariaDb start(Path home) {
    long t0 = System.nanoTime();
    Path data = home.resolve("data");
    try {
      deleteRecursively(home);
      Files.createDirectories(home);
      List<String> install = new ArrayList<>(List.of(binary("mariadb-install-db").toString(), "--no-defaults",
          "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"));
      asRootUser(install);
      exec(install, home.resolve("install.log"));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the local MariaDB in " + home + ": " + e.getMessage(), e);
    }
    int port = TestPlatform.freePort();
    List<String> command = new ArrayList<>(List.of(binary("mariadbd").toString(), "--no-defaults",
        "--datadir=" + data, "--socket=" + home.resolve("mariadbd.sock"), "--pid-file=" + home.resolve("mariadbd.pid"),
        "--port=" + port, "--bind-address=127.0.0.1", "--skip-name-resolve", "--skip-log-bin",
        "--log-error=" + home.resolve("server.log"), "--innodb-buffer-pool-size=32M",
        "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--skip-performance-schema"));
    asRootUser(command);
    Process server;
    try {
      server = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.out").toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    awaitConnections(home, port, server);
    return new LocalMariaDb(home, port, server, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private static void awaitConnections(Path home, int port, Process server) {
    String url = "jdbc:mariadb://127.0.0.1:" + port + "/";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("The local MariaDB in " + home + " exited with " + server.exitValue()
            + " before accepting connections on 127.0.0.1:" + port + logTail(home));
      }
      try (Connection c = DriverManager.getConnection(url, "root", "")) {
        return;
      } catch (SQLException e) {
        last = e;
        sleep(50);
      }
    }
    server.destroyForcibly();
    throw new IllegalStateException("The local MariaDB in " + home + " does not accept connections on 127.0.0.1:"
        + port + " after " + START_TIMEOUT_SECONDS + " s (last error: " + (last == null ? "none" : last.getMessage()) + ")"
        + logTail(home), last);
  }

  /** Stops the server (SIGTERM: a clean shutdown) and removes its data, keeping the logs. */
  private void stop() {
    server.destroy();
    try {
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      deleteRecursively(home.resolve("data"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove the local MariaDB data in " + home, e);
    }
  }

  /** The last lines of the server's error log, for failure messages. */
  private static String logTail(Path home) {
    Path log = home.resolve("server.log");
    try {
      if (!Files.exists(log)) {
        return " (no server log at " + log + ")";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "\nlast lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return " (cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** {@code name} from $MARIADB_BIN, /usr/sbin, /usr/bin or the PATH; else says how to install it. */
  private static Path binary(String name) {
    List<String> dirs = new ArrayList<>();
    if (System.getenv("MARIADB_BIN") != null) {
      dirs.add(System.getenv("MARIADB_BIN"));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/bin"));
    dirs.addAll(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("No " + name + " found (looked in $MARIADB_BIN, /usr/sbin, /usr/bin"
            + " and the PATH). Run bin/ensure-servers (Debian: apt-get install mariadb-server) or set MARIADB_BIN."));
  }

  private static void asRootUser(List<String> command) {
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--user=root");
    }
  }

  private static void exec(List<String> command, Path log) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 120 s (see " + log + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
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
