package com.treebo.dataplatform.devtools.synthetic;

import com.treebo.dataplatform.jobs.control.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One simulated day of the applications' writes, through ordinary UPDATE, INSERT and DELETE
 * statements so that the sources' triggers and column defaults set updated_at = now(). The day
 * starts at the newest booking's created_at, so successive rounds move the clock forward.
 *
 * <p>Which rows are touched and what is written depend only on (seed, round) and the current
 * contents; the databases are changed in one transaction each (booking first, then inventory).
 */
final class DayOfActivity {
  private static final SqlScript BOOKING_UPDATE = SqlScript.load("/synthetic/mutate/booking_update.sql");
  private static final SqlScript GUEST = SqlScript.load("/synthetic/booking/guest.sql");
  private static final SqlScript BOOKING_INSERT = SqlScript.load("/synthetic/mutate/booking_insert.sql");
  private static final SqlScript ROOM_STAY = SqlScript.load("/synthetic/booking/room_stay.sql");
  private static final SqlScript PAYMENT_APPEND = SqlScript.load("/synthetic/mutate/payment_append.sql");
  private static final SqlScript CATALOG_UPDATE = SqlScript.load("/synthetic/mutate/catalog_update.sql");

  private DayOfActivity() {}

  /** The state a day starts from, read from the booking database. */
  private record Start(long lastBookingId, long lastGuestId, Instant dayStart) {}

  static Map<String, Long> run(Connection booking, Connection inventory, double fraction, long seed, int round)
      throws SQLException {
    int hotels = hotelCount(inventory);
    Map<String, Long> written = new LinkedHashMap<>(
        Transaction.run(booking, c -> bookingDay(c, fraction, seed, round, hotels)));
    long[] catalog = Transaction.run(inventory, c -> CATALOG_UPDATE.counts(c, seed, round, fraction));
    written.put("catalog.hotel", catalog[0]);
    written.put("catalog.hotel_room_type", catalog[1]);
    written.put("catalog.city", catalog[2]);
    return written;
  }

  /** The booking service's day, in the caller's transaction; returns rows written per table. */
  private static Map<String, Long> bookingDay(Connection c, double fraction, long seed, int round, int hotels)
      throws SQLException {
    Start start = start(c);
    long newBookings = Math.max(1, Math.round(start.lastBookingId() * fraction / 2));
    long newGuests = (newBookings + 1) / 2;
    Instant dayEnd = start.dayStart().plus(Duration.ofDays(1));
    Map<String, Long> written = new LinkedHashMap<>();
    long[] changed = BOOKING_UPDATE.counts(c, seed, round, fraction, start.lastBookingId(), start.dayStart());
    written.put("crm.guest", GUEST.update(c, seed, start.lastGuestId() + 1, newGuests, start.dayStart(), dayEnd, dayEnd, true));
    long inserted = BOOKING_INSERT.update(c, seed, start.lastBookingId() + 1, newBookings, start.dayStart(), hotels,
        start.lastGuestId(), newGuests);
    written.put("crs.booking", changed[0] + inserted);
    long stays = ROOM_STAY.update(c, seed, start.lastBookingId());
    written.put("crs.room_stay", changed[1] + changed[2] + stays);
    // The rows saved today are not in the planner's statistics (it expects about one): a nested
    // loop over them would be quadratic in the day's size.
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL enable_nestloop = off");
    }
    written.put("billing.payment", PAYMENT_APPEND.update(c, seed, round, start.lastBookingId(), start.dayStart()));
    return written;
  }

  private static Start start(Connection booking) throws SQLException {
    try (PreparedStatement s = booking.prepareStatement(
            "SELECT max(booking_id), max(created_at), (SELECT coalesce(max(guest_id), 0) FROM crm.guest) FROM crs.booking");
         ResultSet rs = s.executeQuery()) {
      rs.next();
      if (rs.getObject(1) == null) {
        throw new IllegalStateException("Cannot simulate a day of activity: crs.booking is empty. Call SyntheticSources.generate first.");
      }
      return new Start(rs.getLong(1), rs.getLong(3), rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
    }
  }

  private static int hotelCount(Connection inventory) throws SQLException {
    try (PreparedStatement s = inventory.prepareStatement("SELECT count(*) FROM catalog.hotel");
         ResultSet rs = s.executeQuery()) {
      rs.next();
      int hotels = rs.getInt(1);
      if (hotels == 0) {
        throw new IllegalStateException("Cannot simulate a day of activity: catalog.hotel is empty. Call SyntheticSources.generate first.");
      }
      return hotels;
    }
  }
}
