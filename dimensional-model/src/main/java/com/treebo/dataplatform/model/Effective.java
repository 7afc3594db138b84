package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The hotel-local dates a type 2 version applies to, for facts and reports that look a member up
 * by date: {@code effective_from} (inclusive) and {@code effective_to} (exclusive). A version applies
 * to a date when it was the current version at the end of that date (Asia/Kolkata), so a change the
 * platform first saw during a day counts for that whole day; the first version also applies to
 * every earlier date (a stay date before the platform first saw the member uses its first version),
 * and versions superseded the same day they appeared apply to no date. Every date then has exactly
 * one version per member, which makes the lookup an equi-join plus a range condition.
 */
public final class Effective {
  /** {@code effective_from} of first versions. */
  public static final Date BEGINNING = Date.valueOf("1900-01-01");
  /** {@code effective_to} of the last version. */
  public static final Date END = Date.valueOf("9999-12-31");

  private Effective() {}

  /**
   * Needs {@code keys}, {@code version} and {@code valid_from}; adds {@code effective_from} and
   * {@code effective_to}. With {@code extendLast}, the last version applies to every later date
   * (a dimension facts refer to: a member deleted at the source keeps its last version for facts
   * after that); otherwise the last version ends at the date of {@code valid_to} when that is not
   * the end of time (a member deleted at the source stops counting the next day).
   */
  public static Dataset<Row> dates(Dataset<Row> versions, List<String> keys, boolean extendLast) {
    List<String> needed = new ArrayList<>(keys);
    needed.addAll(List.of("version", "valid_from", "valid_to"));
    Columns.require(versions, "Effective.dates", needed);
    Column[] keyColumns = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Column from = when(col("version").equalTo(Keys.FIRST_VERSION), lit(BEGINNING))
        .otherwise(TimeZones.kolkataDate(col("valid_from")));
    Column last = extendLast ? lit(END)
        : when(col("valid_to").geq(lit(Versions.END_OF_TIME)), lit(END)).otherwise(TimeZones.kolkataDate(col("valid_to")));
    return versions.withColumn("effective_from", from)
        .withColumn("effective_to", org.apache.spark.sql.functions.coalesce(
            lead(col("effective_from"), 1).over(Window.partitionBy(keyColumns).orderBy("version")), last));
  }
}
