package com.treebo.dataplatform.conf;

import java.util.Optional;

/**
 * The star schema's settings.
 *
 * @param database metastore database of the dimensions and facts ({@code dw})
 * @param reportDatabase metastore database of the report tables built in the lake ({@code rpt})
 * @param yearsAhead the calendar runs this many whole years past the later of today and the latest
 *     date any fact holds
 * @param maxStayNights a room stay of more nights is a data error: quarantined, not exploded
 * @param holidays a CSV of holidays ({@code date,name}; {@code yyyy-MM-dd} or {@code --MM-dd}) to use
 *     instead of the one the model ships (a local path or an s3:// URI)
 * @param parallelTables how many tables a build plans, checks and writes at once (their Spark jobs
 *     overlap: a nightly build is many small jobs whose fixed costs would otherwise add up)
 */
public record ModelConfig(String database, String reportDatabase, int yearsAhead, int maxStayNights, Optional<String> holidays,
    int parallelTables) {
  public ModelConfig {
    if (yearsAhead < 1 || maxStayNights < 1 || parallelTables < 1) {
      throw new IllegalArgumentException("years-ahead, max-stay-nights and parallel-tables must be positive");
    }
  }
}
