package com.treebo.dataplatform.devtools.synthetic;

import com.treebo.dataplatform.jobs.control.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fills the empty source tables with the ~400 days of history that precede {@code asOf}, entirely
 * server-side: each table is one {@code INSERT ... SELECT} over {@code generate_series} (or over the
 * rows just generated), so the cost is PostgreSQL's, not JDBC round trips. Each database is filled
 * in one transaction, then analysed.
 */
final class GeneratedHistory {
  static final Duration SPAN = Duration.ofDays(400);

  private static final SqlScript CITY = SqlScript.load("/synthetic/inventory/city.sql");
  private static final SqlScript ROOM_TYPE = SqlScript.load("/synthetic/inventory/room_type.sql");
  private static final SqlScript HOTEL = SqlScript.load("/synthetic/inventory/hotel.sql");
  private static final SqlScript HOTEL_ROOM_TYPE = SqlScript.load("/synthetic/inventory/hotel_room_type.sql");
  private static final SqlScript GUEST = SqlScript.load("/synthetic/booking/guest.sql");
  private static final SqlScript BOOKING = SqlScript.load("/synthetic/booking/booking.sql");
  private static final SqlScript ROOM_STAY = SqlScript.load("/synthetic/booking/room_stay.sql");
  private static final SqlScript PAYMENT = SqlScript.load("/synthetic/booking/payment.sql");

  private GeneratedHistory() {}

  /** Fills catalog.*; returns rows written per table. */
  static Map<String, Long> fillInventory(Connection inventory, Sizes sizes, long seed, Instant asOf) throws SQLException {
    Map<String, Long> rows = Transaction.run(inventory, c -> {
      Map<String, Long> written = new LinkedHashMap<>();
      written.put("catalog.city", CITY.update(c));
      written.put("catalog.room_type", ROOM_TYPE.update(c, asOf));
      written.put("catalog.hotel", HOTEL.update(c, seed, sizes.hotels(), asOf));
      written.put("catalog.hotel_room_type", HOTEL_ROOM_TYPE.update(c, seed, asOf));
      return written;
    });
    analyze(inventory, "catalog.city, catalog.room_type, catalog.hotel, catalog.hotel_room_type");
    return rows;
  }

  /**
   * Fills crm.guest, crs.booking, crs.room_stay and billing.payment, and moves the payment_id
   * sequence past the largest id. Cost: room stays and payments are each sorted once to number them.
   */
  static Map<String, Long> fillBooking(Connection booking, Sizes sizes, long seed, Instant asOf) throws SQLException {
    Map<String, Long> rows = Transaction.run(booking, c -> {
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL work_mem = '256MB'");
      }
      Map<String, Long> written = new LinkedHashMap<>();
      written.put("crm.guest", GUEST.update(c, seed, 1L, sizes.guests(), asOf.minus(SPAN), asOf, asOf, false));
      written.put("crs.booking", BOOKING.update(c, seed, sizes.bookings(), sizes.hotels(), sizes.guests(), asOf));
      written.put("crs.room_stay", ROOM_STAY.update(c, seed, 0L));
      written.put("billing.payment", PAYMENT.update(c, seed, asOf));
      try (Statement s = c.createStatement()) {
        s.execute("SELECT setval(pg_get_serial_sequence('billing.payment', 'payment_id'),"
            + " (SELECT coalesce(max(payment_id), 0) + 1 FROM billing.payment), false)");
      }
      return written;
    });
    analyze(booking, "crm.guest, crs.booking, crs.room_stay, billing.payment");
    return rows;
  }

  /** Refreshes planner statistics of freshly filled tables (reads a sample of each). */
  private static void analyze(Connection connection, String tables) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("ANALYZE " + tables);
    }
  }
}
