package com.treebo.dataplatform.jobs.catalog;

/**
 * The Athena statement that registers a platform table where Athena's catalog does not have it yet
 * (another account's Glue, a copy of the lake): Athena's native Delta reader takes the columns and
 * partitions from the Delta log, so the statement names only the location and the table type.
 */
public final class AthenaDdl {
  private AthenaDdl() {}

  /** {@code CREATE EXTERNAL TABLE `db`.`table` LOCATION 's3://...' TBLPROPERTIES ('table_type' = 'DELTA')}. */
  public static String create(String qualified, String location) {
    int dot = qualified.indexOf('.');
    return "CREATE EXTERNAL TABLE `" + qualified.substring(0, dot) + "`.`" + qualified.substring(dot + 1) + "`\n"
        + "LOCATION '" + s3(location) + "'\n"
        + "TBLPROPERTIES ('table_type' = 'DELTA')";
  }

  /**
   * A location as AWS's engines name it: {@code s3a://} and {@code s3n://} (Hadoop's connectors) are
   * {@code s3://} to Athena and Redshift; other schemes are left as they are.
   */
  public static String s3(String location) {
    if (location.startsWith("s3a://") || location.startsWith("s3n://")) {
      return "s3://" + location.substring(6);
    }
    return location;
  }
}
