package com.treebo.dataplatform.conf;

import java.time.Duration;
import java.time.ZoneId;

/**
 * The nightly run ({@code bin/dataplatform run}).
 *
 * @param timeZone the zone a night's date is read in: a night is named by the date its evening
 *     began, so a run, or a rerun, before noon belongs to the previous date's night
 * @param maintainEvery the lake maintenance step (compaction, VACUUM) runs in a night when its last
 *     success is older than three quarters of this
 * @param vacuumRetention VACUUM keeps the files needed to read this far back; never shorter than
 *     Delta's safe default of 7 days (a shorter one could delete files a running reader needs)
 */
public record NightConfig(ZoneId timeZone, Duration maintainEvery, Duration vacuumRetention) {
  /** Delta's default {@code delta.deletedFileRetentionDuration}. */
  public static final Duration SAFE_RETENTION = Duration.ofDays(7);

  public NightConfig {
    if (maintainEvery.isNegative() || maintainEvery.isZero()) {
      throw new IllegalArgumentException("maintain-every must be positive");
    }
    if (vacuumRetention.compareTo(SAFE_RETENTION) < 0) {
      throw new IllegalArgumentException("vacuum-retention " + vacuumRetention.toHours() + "h is shorter than Delta's safe default of "
          + SAFE_RETENTION.toHours() + "h: a VACUUM could delete files that a running query or the warehouse load still reads."
          + " Use at least 7 days");
    }
  }
}
