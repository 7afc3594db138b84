package com.treebo.dataplatform.conf;

/**
 * Where the lake lives and which metastore database holds its tables.
 *
 * @param root a URI with scheme ({@code file:}, {@code s3a://}, {@code s3://}), no trailing slash
 */
public record LakeConfig(String root, String database) {
  public LakeConfig {
    while (root.endsWith("/") && !root.endsWith("://")) {
      root = root.substring(0, root.length() - 1);
    }
  }

  /** Folder of the raw zone for one lake table: Parquet slices under {@code ingest_date=} partitions. */
  public String rawPath(String lakeTable) {
    return root + "/raw/" + lakeTable;
  }

  /** Folder of the Delta table holding one source table's current state. */
  public String tablePath(String lakeTable) {
    return root + "/tables/" + lakeTable;
  }

  /** Metastore name, e.g. {@code lake.crs_booking}. */
  public String qualified(String lakeTable) {
    return database + "." + lakeTable;
  }
}
