package com.treebo.dataplatform.jobs.stage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The one run-id format of every stage: {@code <UTC start, yyyyMMdd'T'HHmmss'Z'>-<stage>-<6 hex>},
 * e.g. {@code 20261126T154500Z-extract-1a2b3c}. Ids sort by start time, name their stage, and are
 * unique without coordination; they name raw-zone folders ({@code run_id=}) and control-store rows.
 */
public final class RunIds {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RunIds() {}

  public static String next(String stage, Instant now) {
    return TIME.format(now) + "-" + stage + "-" + UUID.randomUUID().toString().substring(0, 6);
  }
}
