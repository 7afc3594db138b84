package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The source database's clock is two hours behind the cluster's (the server runs under
 * libfaketime, so now(), clock_timestamp() and pg_stat_activity all agree with each other, as on a
 * real skewed host). A watermark taken from the cluster's clock would skip two hours of changes.
 */
class SkewedClockTest {

  @Test
  void sourceClockBehindTheClusterLosesNothingAndTheWatermarkFollowsTheSourceClock() throws Exception {
    Scenario s = TestPlatform.get().newScenario("skew");
    Path home = Files.createDirectories(TestPlatform.get().home().resolve("skewed-source"));
    int port = TestPlatform.freePort();
    Map<String, String> faketime = Map.of("LD_PRELOAD", libfaketime().toString(), "FAKETIME", "-2h", "FAKETIME_DONT_RESET", "1");
    try (LocalPostgres skewed = LocalPostgres.start(home.resolve("postgres"), port, faketime)) {
      skewed.ensureDatabase("booking");
      try (Connection c = DriverManager.getConnection(skewed.jdbcUrl("booking"), "postgres", "")) {
        assertSourceClockBehind(c);
        Extracts.execute(c, Extracts.resource("contracts/source/booking.sql"));
        Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) SELECT g, 'G' || g FROM generate_series(1, 20) g");
        Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
            + " checkout_date, total_amount) SELECT b, 'TRB-' || b, 1, b, 'web', 'reserved', DATE '2026-12-01', DATE '2026-12-02', b"
            + " FROM generate_series(1, 20) b");
      }
      String hocon = "extract.overlap = 0s\nsources.booking.jdbc-url = \"" + skewed.jdbcUrl("booking") + "\"";
      Extracts.runOne(s, hocon, "crs.booking");

      Instant watermark = Instant.parse(watermark(s, "booking.crs.booking"));
      Duration behind = Duration.between(watermark, Instant.now());
      assertTrue(behind.compareTo(Duration.ofMinutes(110)) > 0 && behind.compareTo(Duration.ofMinutes(130)) < 0,
          "the watermark is the source's clock, two hours behind ours: " + watermark);

      try (Connection c = DriverManager.getConnection(skewed.jdbcUrl("booking"), "postgres", "")) {
        Extracts.execute(c, "UPDATE crs.booking SET status = 'checked_in' WHERE booking_id IN (3, 4, 5)");
      }
      TableResult second = Extracts.runOne(s, hocon, "crs.booking");
      assertEquals(3, second.counts().rowsRead(), second.toString());
      assertEquals("[[3], [4], [5]]", Extracts.lake(s, "crs_booking").where("status = 'checked_in'").orderBy("booking_id")
          .select("booking_id").collectAsList().toString());
    }
  }

  private static void assertSourceClockBehind(Connection c) throws Exception {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT extract(epoch FROM clock_timestamp())")) {
      rs.next();
      long skew = Instant.now().getEpochSecond() - (long) rs.getDouble(1);
      assertTrue(skew > 7000 && skew < 7400, "libfaketime put the source 2 h behind (skew " + skew + " s)");
    }
  }

  private static String watermark(Scenario s, String tableId) throws Exception {
    try (Connection c = s.control(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT watermark FROM dp_checkpoint WHERE table_id = '" + tableId + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Path libfaketime() throws IOException {
    try (Stream<Path> arch = Files.list(Path.of("/usr/lib"))) {
      List<Path> found = arch.map(d -> d.resolve("faketime/libfaketime.so.1")).filter(Files::exists).toList();
      if (found.isEmpty()) {
        throw new IllegalStateException("libfaketime is not installed (bin/ensure-servers installs Debian's faketime)");
      }
      return found.get(0);
    }
  }
}
