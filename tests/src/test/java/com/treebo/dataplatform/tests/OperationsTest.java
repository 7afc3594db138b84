package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.cli.Main;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.extract.ExtractException;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.TableResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engineer on call sees and relies on: status, the production control store, source privileges. */
class OperationsTest {

  private static void seed(Scenario s) throws Exception {
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) VALUES (1, 'A')");
      Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
          + " checkout_date, total_amount) VALUES (1, 'TRB-1', 1, 1, 'web', 'reserved', '2026-12-01', '2026-12-03', 2000)");
    }
  }

  @Test
  void extractCommitsItsCheckpointsToAMariaDbControlStore() throws Exception {
    Scenario s = TestPlatform.get().newScenario("mariadb_control");
    seed(s);
    String url = LocalMariaDb.get().newDatabase(s.id());
    String hocon = "control { jdbc-url = \"" + url + "\", user = root, password = \"\" }";
    assertTrue(Extracts.runOne(s, hocon, "crs.booking").succeeded());
    try (Connection c = s.booking()) {
      Extracts.execute(c, "UPDATE crs.booking SET status = 'confirmed'");
    }
    TableResult second = Extracts.runOne(s, hocon, "crs.booking");
    assertEquals(1, second.counts().rowsMerged());
    try (Connection c = DriverManager.getConnection(url, "root", "");
         ResultSet rs = c.createStatement().executeQuery("SELECT status, rows_read, rows_merged FROM dp_run"
             + " WHERE table_id = 'booking.crs.booking' ORDER BY started_at")) {
      StringBuilder runs = new StringBuilder();
      while (rs.next()) {
        runs.append(rs.getString(1)).append(' ').append(rs.getLong(2)).append(' ').append(rs.getLong(3)).append(';');
      }
      assertEquals("succeeded 1 1;succeeded 1 1;", runs.toString());
    }
    assertEquals("[[confirmed]]", Extracts.lake(s, "crs_booking").select("status").collectAsList().toString());
  }

  @Test
  void sourceUserThatCannotSeeOtherTransactionsIsRefusedWithTheGrantToRun() throws Exception {
    Scenario s = TestPlatform.get().newScenario("no_stats_role");
    seed(s);
    try (Connection c = s.booking()) {
      Extracts.execute(c, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'etl_reader') THEN"
          + " CREATE ROLE etl_reader LOGIN; END IF; END $$");
      Extracts.execute(c, "GRANT USAGE ON SCHEMA crs, crm, billing TO etl_reader");
      Extracts.execute(c, "GRANT SELECT ON ALL TABLES IN SCHEMA crs, crm, billing TO etl_reader");
    }
    var config = s.config("sources.booking.user = etl_reader");
    ExtractException e = org.junit.jupiter.api.Assertions.assertThrows(ExtractException.class,
        () -> ExtractJob.validate(config, ExtractJob.select(config, List.of("crs.booking"))));
    assertEquals("Cannot extract from source database booking safely: user etl_reader cannot see other sessions' open"
        + " transactions in pg_stat_activity, so a long transaction's rows could be missed. Grant it: GRANT pg_read_all_stats"
        + " TO etl_reader (on RDS, pg_monitor includes it).\nNothing was extracted.", e.getMessage());
  }

  @Test
  void aSourceThatIsAStandbyIsRefusedWithTheReason() throws Exception {
    Scenario s = TestPlatform.get().newScenario("standby");
    seed(s);
    // A real streaming replica of the test cluster: pg_basebackup, then started in recovery.
    Path dir = Files.createDirectories(TestPlatform.get().home().resolve("standby-" + s.id()));
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      new ProcessBuilder("chown", "postgres:postgres", dir.toString()).inheritIO().start().waitFor();
    }
    Path data = dir.resolve("data");
    List<String> backup = new java.util.ArrayList<>(root ? List.of("runuser", "-u", "postgres", "--") : List.of());
    backup.addAll(List.of(LocalPostgresBinaries.bin("pg_basebackup"), "-h", "127.0.0.1", "-p",
        Integer.toString(TestPlatform.get().postgres().port()), "-U", "postgres", "-D", data.toString(), "-R", "-X", "stream",
        "--checkpoint=fast", "--no-sync"));
    Process p = new ProcessBuilder(backup).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    int port = TestPlatform.freePort();
    try (LocalPostgres standby = LocalPostgres.start(data, port)) {
      String url = standby.jdbcUrl(s.bookingDb());
      var config = s.config("sources.booking.jdbc-url = \"" + url + "\"");
      ExtractException e = org.junit.jupiter.api.Assertions.assertThrows(ExtractException.class,
          () -> ExtractJob.validate(config, ExtractJob.select(config, List.of("crs.booking"))));
      assertEquals("Cannot extract from source database booking at " + url + ": it is a standby (a read replica;"
          + " pg_is_in_recovery() is true). The extract needs the primary's pg_stat_activity to see every open transaction,"
          + " or it could skip the rows of a long one. Point sources.booking.jdbc-url at the primary.\nNothing was extracted.",
          e.getMessage());
    }
  }

  @Test
  void statusShowsEachTablesWatermarkCountsAndItsLatestFailure() throws Exception {
    Scenario s = TestPlatform.get().newScenario("status");
    seed(s);
    Extracts.run(s, "", "crs.booking", "crm.guest");
    try (Connection c = s.booking()) {
      Extracts.execute(c, "ALTER TABLE crm.guest ALTER COLUMN guest_id TYPE numeric(30,0)");
    }
    Extracts.run(s, "", "crm.guest");

    Path conf = Files.createTempFile(TestPlatform.get().home(), "status-", ".conf");
    Files.writeString(conf, s.overlay() + "\nlocal.enabled = false\n");
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run(List.of("--conf", conf.toString(), "status"));
    } finally {
      System.setOut(original);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, code, "a table's latest run failed: " + lines);
    String booking = lines.stream().filter(l -> l.startsWith("booking.crs.booking ")).findFirst().orElseThrow();
    assertTrue(booking.matches("booking\\.crs\\.booking\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+"
        + "\\d\\d:\\d\\d:\\d\\d\\s+1\\s+1\\s+ok"), booking);
    String guest = lines.stream().filter(l -> l.startsWith("booking.crm.guest ")).findFirst().orElseThrow();
    assertTrue(guest.contains("failed ") && guest.contains("Cannot extract booking.crm.guest: column guest_id changed type"), guest);
    String never = lines.stream().filter(l -> l.startsWith("inventory.catalog.city ")).findFirst().orElseThrow();
    assertTrue(never.endsWith("never run"), never);
  }
}
