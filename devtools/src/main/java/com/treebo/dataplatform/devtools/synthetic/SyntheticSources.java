package com.treebo.dataplatform.devtools.synthetic;

import com.treebo.dataplatform.jobs.control.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Deterministic synthetic contents for the two source databases of the contract
 * ({@code contracts/source/booking.sql}: crm, crs, billing; {@code inventory.sql}: catalog), for
 * tests, the demo and benchmarks.
 *
 * <p><b>Determinism.</b> Every value is a pure function of (row key, column, seed), computed in
 * PostgreSQL from {@code hashint8extended}; nothing uses {@code random()} or depends on the plan or
 * parallelism. The same (bookings, seed, asOf) gives identical table contents.
 * {@link #mutate} is deterministic in which rows it touches and what it writes, except for the
 * updated_at values the sources' triggers and defaults take from {@code now()}.
 *
 * <p><b>Cost.</b> Rows are generated server-side with {@code INSERT ... SELECT} over
 * {@code generate_series}; 5,000,000 bookings take minutes on two cores. Helper functions live in a
 * scratch schema {@code synthetic} of each database, which the platform never extracts.
 *
 * <p>The connections must belong to a superuser or the owner of the schemas; their auto-commit
 * setting is restored on return. Not for production databases: it writes to them. A database
 * error is rethrown as an {@link IllegalStateException} naming the failed script, after the
 * transaction it happened in was rolled back.
 */
public final class SyntheticSources {
  /**
   * The instant {@link #generate(Connection, Connection, long, long)} ends its history at, fixed so
   * that generated contents do not depend on the day they are generated.
   */
  public static final Instant DEFAULT_AS_OF = Instant.parse("2026-01-01T00:00:00Z");

  private static final SqlScript BOOKING_CONTRACT = SqlScript.load("/contracts/source/booking.sql");
  private static final SqlScript INVENTORY_CONTRACT = SqlScript.load("/contracts/source/inventory.sql");
  private static final SqlScript FUNCTIONS = SqlScript.load("/synthetic/functions.sql");

  private SyntheticSources() {}

  /** Creates the contract's schemas, tables, triggers and indexes in two empty databases. */
  public static void createSchema(Connection booking, Connection inventory) {
    try {
      Transaction.run(booking, c -> {
        BOOKING_CONTRACT.executeAll(c);
        return null;
      });
      Transaction.run(inventory, c -> {
        INVENTORY_CONTRACT.executeAll(c);
        return null;
      });
    } catch (SQLException e) {
      throw failure("create the source schemas (are the databases empty?)", e);
    }
  }

  /** {@link #generate(Connection, Connection, long, long, Instant)} with history ending at {@link #DEFAULT_AS_OF}. */
  public static Summary generate(Connection booking, Connection inventory, long bookings, long seed) {
    return generate(booking, inventory, bookings, seed, DEFAULT_AS_OF);
  }

  /**
   * Fills every table of the two databases, which must hold the contract's empty tables (see
   * {@link #createSchema}), with {@code bookings} bookings created over the 400 days before
   * {@code asOf}, and with guests (bookings / 2, at least 10), hotels (bookings / 2000 within
   * [10, 800]), 25 cities, 4 room types, 2-4 room types per hotel, ~1.2 room stays and ~1.1
   * payments per booking. Statuses agree with the dates as of {@code asOf}; every created_at and
   * updated_at lies before it.
   *
   * <p>Shapes tests may rely on: the three busiest hotels hold over 20% of the bookings; 10-20% of
   * the bookings are cancelled (with cancelled_at); ~2% share one updated_at (a batch job's
   * transaction); guest and city names mix ASCII with Hindi, Kannada and Tamil script; emails and
   * phones are sometimes NULL and not normalised; refunds are payments with negative amounts.
   *
   * @return the rows written per table, e.g. {@code crs.booking -> bookings}
   */
  public static Summary generate(Connection booking, Connection inventory, long bookings, long seed, Instant asOf) {
    Sizes sizes = Sizes.of(bookings);
    try {
      installFunctions(booking);
      installFunctions(inventory);
      Map<String, Long> rows = new TreeMap<>(GeneratedHistory.fillInventory(inventory, sizes, seed, asOf));
      rows.putAll(GeneratedHistory.fillBooking(booking, sizes, seed, asOf));
      return new Summary(rows);
    } catch (SQLException e) {
      throw failure("generate " + bookings + " bookings (are the contract's tables there and empty? see createSchema)", e);
    }
  }

  /**
   * Simulates one day of the applications' activity on generated sources, with ordinary UPDATE,
   * INSERT and DELETE statements so that updated_at becomes {@code now()}: about {@code fraction}
   * of the bookings are saved (status moves forward, some cancel, some change their stay, whose
   * room stays are hard-deleted and inserted again under new ids); {@code fraction / 2} as many
   * new bookings arrive with their guests and room stays; payments and refunds are appended with
   * ids from the sequence; a few hotels change category or star rating and room counts; one city
   * is renamed.
   *
   * @param fraction share of the existing bookings to update, in (0, 1]
   * @param seed the seed the sources were generated with (room types and rates derive from it)
   * @param round the day's number; each round touches different rows
   * @return the rows written (inserted, updated or deleted) per table
   */
  public static Summary mutate(Connection booking, Connection inventory, double fraction, long seed, int round) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
    }
    try {
      installFunctions(booking);
      installFunctions(inventory);
      return new Summary(DayOfActivity.run(booking, inventory, fraction, seed, round));
    } catch (SQLException e) {
      throw failure("simulate day " + round + " of activity", e);
    }
  }

  private static IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("Cannot " + what + ": " + e.getMessage(), e);
  }

  private static void installFunctions(Connection connection) throws SQLException {
    Transaction.run(connection, c -> {
      FUNCTIONS.executeAll(c);
      return null;
    });
  }

  /**
   * Rows written per table by one call, keyed by qualified table name ({@code "crs.booking"}),
   * sorted by name.
   */
  public record Summary(Map<String, Long> rowsByTable) {
    public Summary {
      rowsByTable = Collections.unmodifiableSortedMap(new TreeMap<>(rowsByTable));
    }

    /** Rows written to {@code table}, 0 if none. */
    public long rows(String table) {
      return rowsByTable.getOrDefault(table, 0L);
    }

    @Override
    public String toString() {
      return rowsByTable.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", ", "Summary[", "]"));
    }
  }
}
