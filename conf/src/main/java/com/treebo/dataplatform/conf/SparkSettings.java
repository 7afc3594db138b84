package com.treebo.dataplatform.conf;

import java.time.DateTimeException;
import java.time.ZoneId;

/** Session settings the platform sets itself; on EMR the master comes from spark-submit. */
public record SparkSettings(String master, int shufflePartitions, String timeZone) {
  public SparkSettings {
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time-zone '" + timeZone + "' is not a time zone id (e.g. UTC, Asia/Kolkata)");
    }
  }
}
