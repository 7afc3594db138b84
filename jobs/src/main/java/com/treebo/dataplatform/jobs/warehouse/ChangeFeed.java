package com.treebo.dataplatform.jobs.warehouse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * What a model table's warehouse copy needs to catch up from the version it was last loaded at to a
 * published one: the table's change data feed between the two versions, netted to the last change
 * of each key ({@code _op}: {@code upsert} with the row as it is now, or {@code delete}). A table
 * never loaded, or whose feed between the versions is gone (vacuumed, or written before the feed was
 * on), is loaded whole ({@link Changes#replaceAll}).
 */
final class ChangeFeed {
  private ChangeFeed() {}

  /** @param replaceAll the rows are the whole table: the target is emptied before they are inserted */
  record Changes(Dataset<Row> rows, boolean replaceAll, Optional<String> note) {
    /** The same changes, their rows kept once computed (they are counted, measured, then staged). */
    Changes persisted() {
      return new Changes(rows.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()), replaceAll, note);
    }
  }

  /**
   * Whether reading a feed failed because files it names are gone: VACUUM removed the change files
   * of versions older than its retention, which the build's published version no longer needs.
   */
  static boolean filesGone(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.io.FileNotFoundException) {
        return true;
      }
    }
    return false;
  }

  /** The whole table as published, to replace the warehouse's copy. */
  static Changes whole(SparkSession spark, String location, long version, String note) {
    return new Changes(whole(spark, location, version), true, Optional.of(note));
  }

  static Changes read(SparkSession spark, String location, java.util.List<String> key, Optional<Long> loaded, long published) {
    if (loaded.isPresent() && loaded.get() >= published) {
      Dataset<Row> none = spark.read().format("delta").option("versionAsOf", published).load(location).where(lit(false))
          .withColumn(WarehouseSql.OP, lit("upsert"));
      return new Changes(none, false, Optional.empty());
    }
    if (loaded.isPresent()) {
      try {
        Dataset<Row> feed = spark.read().format("delta").option("readChangeFeed", "true")
            .option("startingVersion", loaded.get() + 1).option("endingVersion", published).load(location);
        Column[] keys = key.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        Column latest = row_number().over(Window.partitionBy(keys)
            .orderBy(col("_commit_version").desc(), when(col("_change_type").equalTo("delete"), lit(0)).otherwise(lit(1)).desc()));
        Dataset<Row> net = feed.where(col("_change_type").isin("insert", "update_postimage", "delete"))
            .withColumn("_latest", latest).where(col("_latest").equalTo(1))
            .withColumn(WarehouseSql.OP, when(col("_change_type").equalTo("delete"), lit("delete")).otherwise(lit("upsert")))
            .drop("_latest", "_change_type", "_commit_version", "_commit_timestamp");
        net.schema(); // resolves the feed now: a missing feed fails here, not mid-load
        return new Changes(net, false, Optional.empty());
      } catch (RuntimeException noFeed) {
        return new Changes(whole(spark, location, published), true, Optional.of("its change feed from version " + (loaded.get() + 1)
            + " is not readable (" + noFeed.getClass().getSimpleName() + "): loaded whole"));
      }
    }
    return new Changes(whole(spark, location, published), true, Optional.empty());
  }

  private static Dataset<Row> whole(SparkSession spark, String location, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location).withColumn(WarehouseSql.OP, lit("upsert"));
  }
}
