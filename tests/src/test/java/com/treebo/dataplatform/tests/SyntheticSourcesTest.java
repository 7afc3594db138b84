package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import com.treebo.dataplatform.devtools.synthetic.SyntheticSources.Summary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The synthetic source generator, asserted on the rows it writes to the local PostgreSQL. */
class SyntheticSourcesTest {
  private static final long BOOKINGS = 2_000;
  private static final long SEED = 7;
  /** The end of the generated history, as a SQL literal. */
  private static final String AS_OF = "'" + SyntheticSources.DEFAULT_AS_OF + "'::timestamptz";
  private static final List<String> BOOKING_TABLES = List.of("crm.guest", "crs.booking", "crs.room_stay", "billing.payment");
  private static final List<String> INVENTORY_TABLES =
      List.of("catalog.city", "catalog.room_type", "catalog.hotel", "catalog.hotel_room_type");

  private static Scenario generated;
  private static Summary summary;

  @BeforeAll
  static void generateOnce() throws SQLException {
    generated = TestPlatform.get().newScenario("synthetic");
    summary = generate(generated, BOOKINGS, SEED);
  }

  @Test
  void sameSeedAndSizeGiveIdenticalTables() throws SQLException {
    Scenario again = TestPlatform.get().newScenario("synthetic_again");
    generate(again, BOOKINGS, SEED);
    assertEquals(fingerprints(generated), fingerprints(again));
  }

  @Test
  void anotherSeedGivesOtherGuestsBookingsAndHotels() throws SQLException {
    Scenario other = TestPlatform.get().newScenario("synthetic_other_seed");
    generate(other, BOOKINGS, SEED + 1);
    Map<String, String> expected = fingerprints(generated);
    Map<String, String> actual = fingerprints(other);
    for (String table : List.of("crm.guest", "crs.booking", "crs.room_stay", "billing.payment", "catalog.hotel")) {
      assertNotEquals(expected.get(table), actual.get(table), table + " does not depend on the seed");
    }
  }

  @Test
  void sizesFollowTheBookingCount() throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection booking = generated.booking(); Connection inventory = generated.inventory()) {
      for (String table : BOOKING_TABLES) {
        counts.put(table, scalar(booking, "SELECT count(*) FROM " + table));
      }
      for (String table : INVENTORY_TABLES) {
        counts.put(table, scalar(inventory, "SELECT count(*) FROM " + table));
      }
    }
    assertEquals(counts, summary.rowsByTable(), "the summary counts the rows written");
    assertEquals(BOOKINGS, counts.get("crs.booking"));
    assertEquals(BOOKINGS / 2, counts.get("crm.guest"));
    assertEquals(10, counts.get("catalog.hotel"), "bookings / 2000 clamped to at least 10");
    assertEquals(25, counts.get("catalog.city"));
    assertEquals(4, counts.get("catalog.room_type"));
    assertBetween(2 * 10, 4 * 10, counts.get("catalog.hotel_room_type"), "2-4 room types per hotel");
    assertBetween(1.1, 1.3, counts.get("crs.room_stay") / (double) BOOKINGS, "room stays per booking");
    assertBetween(1.0, 1.2, counts.get("billing.payment") / (double) BOOKINGS, "payments per booking");
  }

  @Test
  void threeBusiestHotelsHoldOverAFifthOfTheBookings() throws SQLException {
    try (Connection booking = generated.booking()) {
      long topThree = scalar(booking, "SELECT sum(n) FROM (SELECT count(*) AS n FROM crs.booking GROUP BY hotel_id ORDER BY n DESC LIMIT 3) t");
      assertTrue(topThree > 0.20 * BOOKINGS, "top three hotels hold " + topThree + " of " + BOOKINGS);
    }
  }

  @Test
  void tenToTwentyPercentOfBookingsAreCancelledWithATime() throws SQLException {
    try (Connection booking = generated.booking()) {
      long cancelled = scalar(booking, "SELECT count(*) FROM crs.booking WHERE status = 'cancelled'");
      assertBetween(0.10, 0.20, cancelled / (double) BOOKINGS, "share of cancelled bookings");
      assertEquals(0, scalar(booking, "SELECT count(*) FROM crs.booking WHERE (status = 'cancelled') <> (cancelled_at IS NOT NULL)"));
    }
  }

  @Test
  void statusesAndTimesAgreeWithTheDates() throws SQLException {
    try (Connection booking = generated.booking()) {
      assertEquals(0, scalar(booking, """
          SELECT count(*) FROM crs.booking, (SELECT (%1$s AT TIME ZONE 'Asia/Kolkata')::date AS today) d
          WHERE (status = 'checked_out' AND checkout_date >= d.today)
             OR (status IN ('reserved', 'confirmed') AND checkin_date < d.today)
             OR (status = 'checked_in' AND NOT d.today BETWEEN checkin_date AND checkout_date)
             OR updated_at < created_at OR updated_at > %1$s OR cancelled_at > updated_at""".formatted(AS_OF)));
      assertTrue(scalar(booking, "SELECT count(*) FROM crs.booking WHERE checkout_date - checkin_date >= 14") > 0, "long stays");
      assertTrue(scalar(booking, "SELECT count(DISTINCT status) FROM crs.booking") >= 5, "most statuses occur");
    }
  }

  @Test
  void bookingCodesAreUniqueAndWellFormed() throws SQLException {
    try (Connection booking = generated.booking()) {
      assertEquals(BOOKINGS, scalar(booking, "SELECT count(DISTINCT booking_code) FROM crs.booking WHERE booking_code ~ '^TRB-[0-9A-Z]{6}$'"));
    }
  }

  @Test
  void namesMixScriptsAndContactsAreSometimesMissing() throws SQLException {
    try (Connection booking = generated.booking(); Connection inventory = generated.inventory()) {
      assertTrue(scalar(booking, "SELECT count(*) FROM crm.guest WHERE full_name ~ '[^\\x01-\\x7F]'") > 0, "non-ASCII guest names");
      assertTrue(scalar(booking, "SELECT count(*) FROM crm.guest WHERE full_name ~ '^[\\x01-\\x7F]+$'") > 0, "ASCII guest names");
      assertTrue(scalar(booking, "SELECT count(*) FROM crm.guest WHERE email IS NULL") > 0, "NULL emails");
      assertTrue(scalar(booking, "SELECT count(*) FROM crm.guest WHERE email <> lower(trim(email))") > 0, "unnormalised emails");
      assertTrue(scalar(booking, "SELECT count(*) FROM crm.guest WHERE phone IS NULL") > 0, "NULL phones");
      assertTrue(scalar(booking, "SELECT count(DISTINCT left(phone, 1)) FROM crm.guest") >= 3, "phone formats");
      assertTrue(scalar(inventory, "SELECT count(*) FROM catalog.city WHERE city_name IN ('ಬೆಂಗಳೂರು', 'मुंबई', 'சென்னை')") == 3);
    }
  }

  @Test
  void atLeastOnePercentOfBookingsShareOneUpdatedAt() throws SQLException {
    try (Connection booking = generated.booking()) {
      long largestTie = scalar(booking, "SELECT max(n) FROM (SELECT count(*) AS n FROM crs.booking GROUP BY updated_at) t");
      assertTrue(largestTie >= 0.01 * BOOKINGS, "largest tie: " + largestTie);
    }
  }

  @Test
  void refundsAreNegativePaymentsAndNewPaymentsGetLargerIds() throws SQLException {
    try (Connection booking = generated.booking(); Statement s = booking.createStatement()) {
      assertTrue(scalar(booking, "SELECT count(*) FROM billing.payment WHERE amount < 0") > 0, "refunds");
      long max = scalar(booking, "SELECT max(payment_id) FROM billing.payment");
      booking.setAutoCommit(false);
      s.execute("INSERT INTO billing.payment (booking_id, amount, method, paid_at) VALUES (1, 10, 'upi', now())");
      assertTrue(scalar(booking, "SELECT max(payment_id) FROM billing.payment") > max, "sequence is past the generated ids");
      booking.rollback();
    }
  }

  @Test
  void aDayOfActivityTouchesAboutTheFractionAndReplacesStays() throws SQLException {
    Scenario scenario = TestPlatform.get().newScenario("synthetic_mutate");
    generate(scenario, BOOKINGS, SEED);
    try (Connection booking = scenario.booking(); Connection inventory = scenario.inventory()) {
      long maxPayment = scalar(booking, "SELECT max(payment_id) FROM billing.payment");
      long maxStay = scalar(booking, "SELECT max(room_stay_id) FROM crs.room_stay");
      long staysBefore = scalar(booking, "SELECT count(*) FROM crs.room_stay");

      Summary day = SyntheticSources.mutate(booking, inventory, 0.01, SEED, 1);

      long touched = scalar(booking, "SELECT count(*) FROM crs.booking WHERE booking_id <= " + BOOKINGS + " AND updated_at > " + AS_OF);
      assertBetween(0.005, 0.02, touched / (double) BOOKINGS, "share of existing bookings saved");
      long newBookings = scalar(booking, "SELECT count(*) FROM crs.booking WHERE booking_id > " + BOOKINGS);
      assertBetween(0.002, 0.01, newBookings / (double) BOOKINGS, "new bookings");
      assertEquals(newBookings, scalar(booking, "SELECT count(*) FROM crs.booking WHERE booking_id > " + BOOKINGS + " AND updated_at > " + AS_OF));
      long deleted = staysBefore - scalar(booking, "SELECT count(*) FROM crs.room_stay WHERE room_stay_id <= " + maxStay);
      assertTrue(deleted > 0, "hard-deleted room stays");
      assertEquals(0, scalar(booking, """
          SELECT count(*) FROM crs.booking b WHERE NOT EXISTS (SELECT 1 FROM crs.room_stay s WHERE s.booking_id = b.booking_id)"""),
          "every booking still has its room stays");
      assertEquals(0, scalar(booking, """
          SELECT count(*) FROM crs.room_stay s JOIN crs.booking b USING (booking_id)
          WHERE s.checkin_date <> b.checkin_date OR s.checkout_date <> b.checkout_date"""), "stays follow their booking's dates");
      assertTrue(scalar(booking, "SELECT count(*) FROM billing.payment WHERE payment_id > " + maxPayment) > 0, "appended payments");
      assertEquals(day.rows("billing.payment"), scalar(booking, "SELECT count(*) FROM billing.payment WHERE payment_id > " + maxPayment));
      assertTrue(scalar(inventory, "SELECT count(*) FROM catalog.hotel WHERE updated_at > " + AS_OF) > 0, "hotels updated");
      assertEquals(1, day.rows("catalog.city"), "one city renamed");
    }
  }

  @Test
  void aDayOfActivityIsDeterministicForSeedAndRound() throws SQLException {
    Scenario first = TestPlatform.get().newScenario("synthetic_day_a");
    Scenario second = TestPlatform.get().newScenario("synthetic_day_b");
    for (Scenario scenario : List.of(first, second)) {
      generate(scenario, BOOKINGS, SEED);
      try (Connection booking = scenario.booking(); Connection inventory = scenario.inventory()) {
        SyntheticSources.mutate(booking, inventory, 0.02, SEED, 1);
        SyntheticSources.mutate(booking, inventory, 0.02, SEED, 2);
      }
    }
    assertEquals(fingerprints(first, "updated_at"), fingerprints(second, "updated_at"));
  }

  private static Summary generate(Scenario scenario, long bookings, long seed) throws SQLException {
    try (Connection booking = scenario.booking(); Connection inventory = scenario.inventory()) {
      SyntheticSources.createSchema(booking, inventory);
      return SyntheticSources.generate(booking, inventory, bookings, seed);
    }
  }

  /** md5 of each table's rows as text, in text order; {@code ignoredColumn} is left out where present. */
  private static Map<String, String> fingerprints(Scenario scenario, String... ignoredColumn) throws SQLException {
    Map<String, String> prints = new LinkedHashMap<>();
    try (Connection booking = scenario.booking(); Connection inventory = scenario.inventory()) {
      for (String table : BOOKING_TABLES) {
        prints.put(table, fingerprint(booking, table, ignoredColumn));
      }
      for (String table : INVENTORY_TABLES) {
        prints.put(table, fingerprint(inventory, table, ignoredColumn));
      }
    }
    return prints;
  }

  private static String fingerprint(Connection c, String table, String... ignoredColumn) throws SQLException {
    String row = ignoredColumn.length == 0 ? "t::text" : "(to_jsonb(t) - '" + ignoredColumn[0] + "')::text";
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT md5(coalesce(string_agg(r, '|' ORDER BY r), '')) FROM (SELECT " + row + " AS r FROM " + table + " t) x")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void assertBetween(double low, double high, double actual, String what) {
    assertTrue(actual >= low && actual <= high, what + ": " + actual + " not in [" + low + ", " + high + "]");
  }
}
