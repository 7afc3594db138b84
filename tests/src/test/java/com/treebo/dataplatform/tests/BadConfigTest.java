package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A wrong configuration stops the launcher before anything is written, with one error that names
 * what is wrong. Runs the real entry point (Main) with a --conf file.
 */
class BadConfigTest {

  private record Outcome(int exitCode, String stderr) {}

  private static Outcome launch(Scenario s, String hocon, String... args) throws Exception {
    // The shared runtime is already up in this JVM: the launcher must not start another one.
    Path conf = Files.createTempFile(TestPlatform.get().home(), "conf-", ".conf");
    Files.writeString(conf, s.overlay() + "\nlocal.enabled = false\n" + hocon);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      List<String> argv = new java.util.ArrayList<>(List.of("--conf", conf.toString()));
      argv.addAll(List.of(args));
      return new Outcome(Main.run(argv), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  private static void assertNothingWritten(Scenario s) throws Exception {
    Path lake = TestPlatform.get().home().resolve("s3").resolve(TestPlatform.bucket()).resolve(s.id());
    assertFalse(Files.exists(lake), "no lake file written under " + lake);
    try (Connection c = s.control(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'dp_%'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "the control database was not touched");
    }
  }

  @Test
  void unknownSourceTableIsNamedAndNothingIsWritten() throws Exception {
    Scenario s = TestPlatform.get().newScenario("bad_table");
    Extracts.createContractSchemas(s);
    Outcome o = launch(s, "sources.booking.tables.\"crs.bookings\" { primary-key = [booking_id], mode = snapshot }", "extract");
    assertEquals(2, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("Cannot extract booking.crs.bookings: table crs.bookings not found in source database booking"
        + " (config: sources.booking.tables.\"crs.bookings\")"), o.stderr());
    assertTrue(o.stderr().contains("Nothing was extracted."), o.stderr());
    assertNothingWritten(s);
  }

  @Test
  void missingKeyColumnIsNamedWithTheColumnsThereAre() throws Exception {
    Scenario s = TestPlatform.get().newScenario("bad_key");
    Extracts.createContractSchemas(s);
    Outcome o = launch(s, "sources.booking.tables.\"crs.booking\".primary-key = [booking_idx]", "extract");
    assertEquals(2, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("Cannot extract booking.crs.booking: primary-key column booking_idx not found in crs.booking"
        + " (config: sources.booking.tables.\"crs.booking\".primary-key; columns: booking_id, booking_code, hotel_id,"), o.stderr());
    assertNothingWritten(s);
  }

  @Test
  void unreachableDatabaseIsNamedWithItsUrl() throws Exception {
    Scenario s = TestPlatform.get().newScenario("bad_url");
    Extracts.createContractSchemas(s);
    Outcome o = launch(s, "sources.inventory.jdbc-url = \"jdbc:postgresql://127.0.0.1:1/inventory\"", "extract");
    assertEquals(2, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("Cannot connect to source database inventory at jdbc:postgresql://127.0.0.1:1/inventory as postgres:"),
        o.stderr());
    assertTrue(o.stderr().contains("check sources.inventory.jdbc-url"), o.stderr());
    assertNothingWritten(s);
  }

  @Test
  void malformedConfigValueNamesItsKey() throws Exception {
    Scenario s = TestPlatform.get().newScenario("bad_mode");
    Outcome o = launch(s, "sources.booking.tables.\"crs.booking\".mode = incrmental", "extract");
    assertEquals(2, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("Invalid configuration at sources.booking.tables.\"crs.booking\".mode: 'incrmental' is not one of"
        + " snapshot, incremental, append"), o.stderr());
    assertNothingWritten(s);
  }

  @Test
  void aControlStoreOfAnotherEngineIsRefusedBeforeAnyWork() throws Exception {
    Scenario s = TestPlatform.get().newScenario("bad_control");
    Outcome o = launch(s, "control.jdbc-url = \"jdbc:sqlserver://db:1433/control\"", "extract");
    assertEquals(2, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("Invalid configuration at control: jdbc-url 'jdbc:sqlserver://db:1433/control' is neither a"
        + " PostgreSQL (jdbc:postgresql:) nor a MySQL/MariaDB (jdbc:mysql:, jdbc:mariadb:) URL"), o.stderr());
    assertNothingWritten(s);
  }

  @Test
  void anEmptyPiiKeyOutsideLocalRunsIsAConfigurationError() throws Exception {
    Scenario s = TestPlatform.get().newScenario("no_pii_key");
    Outcome o = launch(s, "pii.hash-key = \"\"", "extract");
    assertEquals(2, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("Invalid configuration at pii.hash-key: is empty. Outside local runs the HMAC key that"
        + " replaces personal data must be given: set the environment variable DATAPLATFORM_PII_KEY"), o.stderr());
    assertNothingWritten(s);
  }

  @Test
  void aMistypedOptionIsNamedWithExitCode2() throws Exception {
    Scenario s = TestPlatform.get().newScenario("bad_option");
    Outcome o = launch(s, "", "extract", "--tabels", "crs.booking");
    assertEquals(2, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("Unknown options: '--tabels'"), o.stderr());
    assertTrue(o.stderr().contains("Possible solutions: --tables"), o.stderr());
    assertNothingWritten(s);
  }

  @Test
  void aLocalPostgresPortTakenByAnotherProcessIsNamedWithItsSetting() throws Exception {
    Scenario s = TestPlatform.get().newScenario("port_taken");
    Path home = Files.createTempDirectory(TestPlatform.get().home(), "second-checkout-");
    try (java.net.ServerSocket other = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = other.getLocalPort();
      Outcome o = launch(s, "local { enabled = true, home = \"" + home + "\", postgres-port = " + port + " }", "status");
      assertEquals(2, o.exitCode(), o.stderr());
      assertTrue(o.stderr().contains("Invalid configuration at local.postgres-port: port " + port + " on 127.0.0.1 is already in"
          + " use by another process (another checkout's local PostgreSQL?), so the local PostgreSQL of " + home.resolve("postgres")
          + " cannot start there. Set local.postgres-port to a free port in a --conf file (or stop the other process); the server"
          + " log would be " + home.resolve("postgres").resolve("server.log")), o.stderr());
    }
  }
}
