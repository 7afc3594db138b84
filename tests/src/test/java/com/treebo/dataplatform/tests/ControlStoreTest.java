package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.Secret;
import com.treebo.dataplatform.jobs.control.Checkpoint;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.ControlStoreException;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.control.RunRecord;
import com.treebo.dataplatform.jobs.control.TableStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The control store reads back exactly what it wrote, on both of its engines: PostgreSQL (local
 * runs) and MariaDB (the MySQL-compatible production engine). Every test gets a fresh database.
 */
class ControlStoreTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String TABLE = "crs.booking";

  /** Where a test's control database lives. */
  enum Engine {
    POSTGRESQL {
      @Override
      JdbcConfig newDatabase(String name) {
        Scenario scenario = TestPlatform.get().newScenario(name);
        return new JdbcConfig(TestPlatform.get().postgres().jdbcUrl(scenario.controlDb()), "postgres", new Secret(""));
      }
    },
    MARIADB {
      @Override
      JdbcConfig newDatabase(String name) {
        LocalMariaDb server = LocalMariaDb.get();
        String url = server.newDatabase(name + "_" + DATABASES.incrementAndGet());
        return new JdbcConfig(url, server.user(), new Secret(server.password()));
      }
    };

    abstract JdbcConfig newDatabase(String name);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void storesOpenedAtOnceOnAFreshDatabaseAllGetTheirTables(Engine engine) throws Exception {
    JdbcConfig db = engine.newDatabase("at_once");
    int stores = 4;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(stores);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(stores);
    try {
      List<java.util.concurrent.Future<Optional<Checkpoint>>> opened = new java.util.ArrayList<>();
      for (int i = 0; i < stores; i++) {
        opened.add(pool.submit(() -> {
          start.await();
          try (ControlStore store = ControlStore.open(db)) {
            return store.checkpoints().get(TABLE);
          }
        }));
      }
      for (java.util.concurrent.Future<Optional<Checkpoint>> f : opened) {
        assertEquals(Optional.empty(), f.get(), "every store opened and read its (empty) tables");
      }
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void checkpointIsAbsentUntilTheFirstSuccess(Engine engine) {
    try (ControlStore store = ControlStore.open(engine.newDatabase("absent"))) {
      assertEquals(Optional.empty(), store.checkpoints().get(TABLE));
      store.runs().start("r1", "extract", TABLE, Optional.empty(), Optional.empty());
      assertEquals(Optional.empty(), store.checkpoints().get(TABLE));
      store.runs().fail("r1", TABLE, RunCounts.of(5, 0), "source unreachable");
      assertEquals(Optional.empty(), store.checkpoints().get(TABLE));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void successCommitsExactlyTheCheckpointWritten(Engine engine) throws Exception {
    JdbcConfig db = engine.newDatabase("success");
    Checkpoint next = new Checkpoint(TABLE, Optional.of("2025-03-01 10:15:30.123456"), Optional.of("98765"),
        Optional.of("2025-03-01 10:15:31.000001+00"), Optional.of(Instant.parse("2025-03-01T10:15:29.123456Z")));
    try (ControlStore store = ControlStore.open(db)) {
      Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
      store.runs().start("r1", "extract", TABLE, Optional.of("2025-02-28 00:00:00"), Optional.of("2025-03-01 10:15:30.123456"));
      Thread.sleep(25);
      store.runs().succeed("r1", TABLE, new RunCounts(120, 118, 3, 2), Optional.of(next));
      Instant after = Instant.now();

      assertEquals(Optional.of(next), store.checkpoints().get(TABLE));
      RunRecord run = store.runs().recent(TABLE, 10).get(0);
      assertEquals("succeeded", run.status());
      assertEquals(new RunCounts(120, 118, 3, 2), run.counts());
      assertEquals(Optional.of("2025-02-28 00:00:00"), run.lowerBound());
      assertEquals(Optional.of("2025-03-01 10:15:30.123456"), run.upperBound());
      assertEquals(Optional.empty(), run.error());
      assertTrue(!run.startedAt().isBefore(before) && run.startedAt().isBefore(after),
          "started at " + run.startedAt() + ", between " + before + " and " + after);
      Instant finished = run.finishedAt().orElseThrow();
      long durationMs = durationMs(db, "r1");
      assertEquals(Duration.between(run.startedAt(), finished).toMillis(), durationMs,
          "duration_ms is finished_at - started_at (" + run.startedAt() + " .. " + finished + ")");
      assertTrue(durationMs >= 25, "duration " + durationMs + " ms covers the 25 ms the run took");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void laterSuccessReplacesEveryFieldOfTheCheckpoint(Engine engine) {
    try (ControlStore store = ControlStore.open(engine.newDatabase("replace"))) {
      succeed(store, "r1", new Checkpoint(TABLE, Optional.of("100"), Optional.of("250"), Optional.of("clock-1"),
          Optional.of(Instant.parse("2025-03-01T00:00:00Z"))));
      Checkpoint second = new Checkpoint(TABLE, Optional.of("250"), Optional.empty(), Optional.empty(), Optional.empty());
      succeed(store, "r2", second);
      assertEquals(Optional.of(second), store.checkpoints().get(TABLE));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void instantsKeepTheirMicrosecondsAndDropOnlyTheNanoseconds(Engine engine) {
    try (ControlStore store = ControlStore.open(engine.newDatabase("micros"))) {
      Instant written = Instant.parse("2025-03-01T10:15:29.999999999Z");
      succeed(store, "r1", new Checkpoint(TABLE, Optional.of("1"), Optional.empty(), Optional.empty(), Optional.of(written)));
      assertEquals(Optional.of(Instant.parse("2025-03-01T10:15:29.999999Z")), store.checkpoints().get(TABLE).orElseThrow().lastDeleteCheck(),
          "both engines keep microseconds; the nanoseconds are truncated, never rounded into the next second");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void instantsSurviveAJvmWhoseZoneIsNotUtc(Engine engine) {
    // 02:30 on 2025-03-09 does not exist in New York (clocks jump from 02:00 to 03:00).
    Instant inTheGap = Instant.parse("2025-03-09T02:30:00.000001Z");
    JdbcConfig db = engine.newDatabase("zone");
    TimeZone utc = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try (ControlStore store = ControlStore.open(db)) {
      succeed(store, "r1", new Checkpoint(TABLE, Optional.of("1"), Optional.empty(), Optional.empty(), Optional.of(inTheGap)));
      assertEquals(Optional.of(inTheGap), store.checkpoints().get(TABLE).orElseThrow().lastDeleteCheck());
    } finally {
      TimeZone.setDefault(utc);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void failureKeepsTheOldCheckpointAndRecordsTheWholeError(Engine engine) {
    Checkpoint committed = new Checkpoint(TABLE, Optional.of("2025-03-01 00:00:00"), Optional.empty(), Optional.empty(), Optional.empty());
    String error = "Cannot merge crs.booking: ಮೈಸೂರು → Mysuru, «ошибка», 🙂\n"
        + IntStream.range(0, 3000).mapToObj(i -> "\tat com.treebo.dataplatform.jobs.Step" + i + "(Step.java:" + i + ")")
            .collect(Collectors.joining("\n"));
    try (ControlStore store = ControlStore.open(engine.newDatabase("failure"))) {
      succeed(store, "r1", committed);
      store.runs().start("r2", "extract", TABLE, Optional.of("2025-03-01 00:00:00"), Optional.of("2025-03-02 00:00:00"));
      store.runs().fail("r2", TABLE, RunCounts.of(40, 0), error);

      assertEquals(Optional.of(committed), store.checkpoints().get(TABLE));
      RunRecord failed = store.runs().recent(TABLE, 10).get(0);
      assertEquals("r2", failed.runId());
      assertEquals("failed", failed.status());
      assertEquals(RunCounts.of(40, 0), failed.counts());
      assertTrue(error.length() > 100_000, "the message is long: " + error.length());
      assertEquals(Optional.of(error), failed.error());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void aWatermarkTooLongForItsColumnFailsTheCommitInsteadOfBeingTruncated(Engine engine) throws Exception {
    JdbcConfig db = engine.newDatabase("too_long");
    Checkpoint committed = new Checkpoint(TABLE, Optional.of("7"), Optional.empty(), Optional.empty(), Optional.empty());
    String tooLong = "9".repeat(65);
    // Some MySQL/MariaDB servers run without strict mode (a parameter group's choice); the store must not depend on it.
    // (The MariaDB driver turns STRICT_TRANS_TABLES on per session: its jdbcCompliantTruncation, on by default.)
    String serverMode = engine == Engine.MARIADB ? sqlMode(db, "") : null;
    try (ControlStore store = ControlStore.open(db)) {
      succeed(store, "r1", committed);
      store.runs().start("r2", "extract", TABLE, Optional.empty(), Optional.empty());
      ControlStoreException e = assertThrows(ControlStoreException.class, () -> store.runs().succeed("r2", TABLE, RunCounts.of(1, 1),
          Optional.of(new Checkpoint(TABLE, Optional.of(tooLong), Optional.empty(), Optional.empty(), Optional.empty()))));
      assertTrue(e.getMessage().startsWith("Cannot commit run r2 of crs.booking in the control database at " + db.url() + ": "),
          e.getMessage());
      assertEquals(Optional.of(committed), store.checkpoints().get(TABLE));
      assertEquals("running", store.runs().recent(TABLE, 1).get(0).status(), "the failed commit left no trace");
    } finally {
      if (serverMode != null) {
        sqlMode(db, serverMode);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void boundsSetAfterTheStartAreRecorded(Engine engine) {
    try (ControlStore store = ControlStore.open(engine.newDatabase("bounds"))) {
      store.runs().start("r1", "extract", TABLE, Optional.empty(), Optional.empty());
      store.runs().setBounds("r1", TABLE, Optional.of("10"), Optional.of("99"));
      RunRecord run = store.runs().recent(TABLE, 1).get(0);
      assertEquals(List.of(Optional.of("10"), Optional.of("99"), "running", Optional.empty()),
          List.of(run.lowerBound(), run.upperBound(), run.status(), run.finishedAt()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void abandonsOtherRunningRunsOfTheTableButNotTheCurrentOne(Engine engine) {
    try (ControlStore store = ControlStore.open(engine.newDatabase("abandon"))) {
      store.runs().start("dead-1", "extract", TABLE, Optional.empty(), Optional.empty());
      store.runs().start("dead-2", "extract", TABLE, Optional.empty(), Optional.empty());
      succeed(store, "done", Checkpoint.initial(TABLE));
      store.runs().start("other-table", "extract", "crs.room", Optional.empty(), Optional.empty());
      store.runs().start("current", "extract", TABLE, Optional.empty(), Optional.empty());

      List<String> abandoned = store.runs().abandonStale(TABLE, "current");

      assertEquals(Set.of("dead-1", "dead-2"), Set.copyOf(abandoned));
      assertEquals(2, abandoned.size());
      for (RunRecord run : store.runs().recent(TABLE, 10)) {
        String expected = switch (run.runId()) {
          case "dead-1", "dead-2" -> "abandoned";
          case "done" -> "succeeded";
          default -> "running";
        };
        assertEquals(expected, run.status(), run.runId());
        if (expected.equals("abandoned")) {
          assertTrue(run.error().orElseThrow().contains("found by run current"), run.error().orElseThrow());
          assertTrue(run.finishedAt().isPresent());
        }
      }
      assertEquals("running", store.runs().recent("crs.room", 10).get(0).status());
      assertEquals(List.of(), store.runs().abandonStale(TABLE, "current"), "a second call finds nothing");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void statusShowsLastSuccessWatermarkAndOnlyAFailureNewerThanIt(Engine engine) throws Exception {
    try (ControlStore store = ControlStore.open(engine.newDatabase("status"))) {
      succeed(store, "a1", new Checkpoint("a.failing_now", Optional.of("10"), Optional.empty(), Optional.empty(), Optional.empty()));
      failRun(store, "a2", "a.failing_now", "broke after the success");
      failRun(store, "b1", "b.recovered", "broke before the success");
      succeed(store, "b2", new Checkpoint("b.recovered", Optional.of("20"), Optional.empty(), Optional.empty(), Optional.empty()));
      store.runs().start("c1", "extract", "c.never_finished", Optional.empty(), Optional.empty());

      List<TableStatus> status = store.status().tables();

      assertEquals(List.of("a.failing_now", "b.recovered", "c.never_finished"), status.stream().map(TableStatus::tableId).toList());
      TableStatus a = status.get(0);
      assertEquals(List.of("a1", "10", "a2"), List.of(a.lastSuccess().orElseThrow().runId(), a.watermark().orElseThrow(),
          a.lastFailure().orElseThrow().runId()));
      assertEquals(Optional.of("broke after the success"), a.lastFailure().orElseThrow().error());
      TableStatus b = status.get(1);
      assertEquals(List.of("b2", "20"), List.of(b.lastSuccess().orElseThrow().runId(), b.watermark().orElseThrow()));
      assertEquals(Optional.empty(), b.lastFailure());
      TableStatus c = status.get(2);
      assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty()), List.of(c.lastSuccess(), c.watermark(), c.lastFailure()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void reopeningAnExistingStoreKeepsItsSchemaAndData(Engine engine) throws Exception {
    JdbcConfig db = engine.newDatabase("reopen");
    Checkpoint committed = new Checkpoint(TABLE, Optional.of("42"), Optional.empty(), Optional.empty(), Optional.empty());
    try (ControlStore store = ControlStore.open(db)) {
      succeed(store, "r1", committed);
    }
    try (ControlStore store = ControlStore.open(db)) {
      assertEquals(Optional.of(committed), store.checkpoints().get(TABLE));
      assertEquals(List.of("r1"), store.runs().recent(TABLE, 10).stream().map(RunRecord::runId).toList());
    }
    assertEquals(1, indexCount(db, "dp_run_table_started"), "the run index exists once");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Engine.class, names = "MARIADB")
  void mysqlSchemeUrlsReachTheServerThroughTheMariaDbDriver(Engine engine) {
    JdbcConfig db = engine.newDatabase("mysql_scheme");
    JdbcConfig mysql = new JdbcConfig(db.url().replace("jdbc:mariadb:", "jdbc:mysql:"), db.user(), db.password());
    try (ControlStore store = ControlStore.open(mysql)) {
      succeed(store, "r1", Checkpoint.initial(TABLE));
      assertEquals("succeeded", store.runs().recent(TABLE, 1).get(0).status());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void refusedCredentialsNameTheUrlAndTheSettingsToCheck(Engine engine) {
    JdbcConfig db = engine.newDatabase("refused");
    // The local PostgreSQL trusts every local connection, so it can only refuse an unknown user.
    JdbcConfig wrong = engine == Engine.POSTGRESQL
        ? new JdbcConfig(db.url(), "no_such_user", new Secret("not-the-password"))
        : new JdbcConfig(db.url(), db.user(), new Secret("not-the-password"));
    ControlStoreException e = assertThrows(ControlStoreException.class, () -> ControlStore.open(wrong).close());
    assertTrue(e.getMessage().startsWith("Cannot connect to the control database at " + db.url() + " as " + wrong.user() + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains("(check control.jdbc-url, control.user and the password)"), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-password"), "the password stays out of the message: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void unreachablePortNamesTheUrlAndTheSettingToCheck(Engine engine) {
    JdbcConfig db = engine.newDatabase("unreachable");
    String url = db.url().replaceFirst(":\\d+/", ":" + TestPlatform.freePort() + "/");
    JdbcConfig nowhere = new JdbcConfig(url, db.user(), db.password());
    ControlStoreException e = assertThrows(ControlStoreException.class, () -> ControlStore.open(nowhere).close());
    assertTrue(e.getMessage().startsWith("Cannot connect to the control database at " + url + " as " + db.user() + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains("check control.jdbc-url"), e.getMessage());
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static void succeed(ControlStore store, String runId, Checkpoint next) {
    store.runs().start(runId, "extract", next.tableId(), Optional.empty(), Optional.empty());
    store.runs().succeed(runId, next.tableId(), RunCounts.of(1, 1), Optional.of(next));
    pause();
  }

  private static void failRun(ControlStore store, String runId, String tableId, String error) {
    store.runs().start(runId, "extract", tableId, Optional.empty(), Optional.empty());
    store.runs().fail(runId, tableId, RunCounts.of(0, 0), error);
    pause();
  }

  /** Runs of a real job are seconds apart; keep consecutive runs of a test at distinct start times. */
  private static void pause() {
    try {
      Thread.sleep(3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long durationMs(JdbcConfig db, String runId) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password().reveal());
         PreparedStatement ps = c.prepareStatement("SELECT duration_ms FROM dp_run WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "run " + runId + " is recorded");
        return rs.getLong(1);
      }
    }
  }

  private static int indexCount(JdbcConfig db, String index) throws SQLException {
    String sql = db.url().startsWith("jdbc:postgresql:")
        ? "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?"
        : "SELECT count(DISTINCT index_name) FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = ?";
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password().reveal());
         PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, index);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Sets the MariaDB server's global sql_mode (for connections opened later) and returns the previous one. */
  private static String sqlMode(JdbcConfig db, String mode) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password().reveal());
         ResultSet rs = c.createStatement().executeQuery("SELECT @@GLOBAL.sql_mode")) {
      rs.next();
      String previous = rs.getString(1);
      try (PreparedStatement ps = c.prepareStatement("SET GLOBAL sql_mode = ?")) {
        ps.setString(1, mode);
        ps.execute();
      }
      return previous;
    }
  }
}
