package com.treebo.dataplatform.jobs.warehouse;

import java.util.Map;

/**
 * How Redshift lays out each model table on its slices. Small dimensions are copied to every node
 * ({@code DISTSTYLE ALL}), so joins with them never move data; facts are distributed on
 * {@code booking_id} (the key they join each other on: room nights, bookings and payments of one
 * booking sit on one slice) and sorted by their date key (reports filter on dates); the guest
 * dimension, too large to copy everywhere, is distributed and sorted on its key. PostgreSQL has no
 * such clauses.
 */
final class TableLayout {
  private static final Map<String, String> LAYOUTS = Map.of(
      "dim_guest", "DISTSTYLE KEY DISTKEY (\"guest_key\") SORTKEY (\"guest_key\")",
      "fact_room_night", "DISTSTYLE KEY DISTKEY (\"booking_id\") SORTKEY (\"date_key\")",
      "fact_booking", "DISTSTYLE KEY DISTKEY (\"booking_id\") SORTKEY (\"created_date_key\")",
      "fact_payment", "DISTSTYLE KEY DISTKEY (\"booking_id\") SORTKEY (\"date_key\")",
      "fact_web_session", "DISTSTYLE KEY DISTKEY (\"session_id\") SORTKEY (\"date_key\")");

  private TableLayout() {}

  /** The Redshift table attributes of {@code table}: {@code DISTSTYLE ALL} for every other (small) dimension. */
  static String redshift(String table) {
    return LAYOUTS.getOrDefault(table, "DISTSTYLE ALL");
  }
}
