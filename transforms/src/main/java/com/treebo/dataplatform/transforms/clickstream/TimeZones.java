package com.treebo.dataplatform.transforms.clickstream;

import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.unix_seconds;

import org.apache.spark.sql.Column;

/** Calendar dates of instants in the hotels' zone, independent of the Spark session's time zone. */
public final class TimeZones {
  /** Asia/Kolkata is UTC+05:30 all year (no daylight saving since 1945). */
  static final long KOLKATA_OFFSET_SECONDS = 5 * 3600 + 30 * 60;

  private TimeZones() {}

  /** The Asia/Kolkata calendar date of {@code instant}. */
  public static java.time.LocalDate kolkataDate(java.time.Instant instant) {
    return java.time.LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond() + KOLKATA_OFFSET_SECONDS, 86_400L));
  }

  /** The Asia/Kolkata calendar date of a timestamp (instant) column. */
  public static Column kolkataDate(Column instant) {
    return date_from_unix_date(floor(unix_seconds(instant).plus(KOLKATA_OFFSET_SECONDS).divide(86400)).cast("int"));
  }
}
