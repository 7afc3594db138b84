package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.treebo.dataplatform.transforms.Columns;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Type 2 history from observations: every time the platform saw a member (a row of the raw zone,
 * stamped {@code _seen_at} with its extract run's start), what its tracked attributes were. A new
 * version starts when the tracked attributes differ from those of the member's previous observation,
 * compared exactly and null-safely (a value going null and back is two changes; a value changing and
 * changing back is two versions). Observations repeated across runs (overlapping slices, snapshot
 * tables read whole every night) add nothing.
 *
 * <p>The result depends only on the set of observations, not on how they were batched: the
 * versions from all raw slices at once (a rebuild) equal those built night by night, when each night
 * collapses its new observations together with the versions already stored (which are themselves
 * observations at their {@code valid_from}).
 */
public final class Versions {
  /** {@code valid_to} of a current version (an instant, whatever the JVM's zone). */
  public static final Timestamp END_OF_TIME = Timestamp.from(java.time.Instant.parse("9999-12-31T00:00:00Z"));
  /** {@code valid_from} of members the platform has not seen: inferred and unknown ones. */
  public static final Timestamp BEGINNING_OF_TIME = Timestamp.from(java.time.Instant.parse("1900-01-01T00:00:00Z"));

  private Versions() {}

  /**
   * Needs {@code keys}, {@code tracked} and {@code seen} (a timestamp). Returns, per member, one row
   * per version: the keys, the tracked columns, {@code valid_from} (when the version was first
   * seen), {@code valid_to} (when the next one was, or {@link #END_OF_TIME}) and {@code version}
   * (1, 2, ... in time order). One shuffle by the keys, a sort within each member.
   */
  public static Dataset<Row> collapse(Dataset<Row> observed, List<String> keys, List<String> tracked, String seen) {
    List<String> needed = new ArrayList<>(keys);
    needed.addAll(tracked);
    needed.add(seen);
    Columns.require(observed, "Versions.collapse", needed);
    Column[] keyColumns = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    // The exact tracked values as one comparable text (null-safe; a hash could hide a change).
    Column values = to_json(struct(tracked.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)));
    WindowSpec byTime = Window.partitionBy(keyColumns).orderBy(col(seen), col("_values"));
    Dataset<Row> changes = observed.withColumn("_values", values)
        .withColumn("_previous", lag("_values", 1).over(byTime))
        .where(col("_previous").isNull().or(col("_previous").notEqual(col("_values"))));
    WindowSpec versions = Window.partitionBy(keyColumns).orderBy(col(seen));
    List<Column> out = new ArrayList<>();
    keys.forEach(k -> out.add(col(k)));
    tracked.forEach(t -> out.add(col(t)));
    out.add(col(seen).as("valid_from"));
    out.add(org.apache.spark.sql.functions.coalesce(lead(col(seen), 1).over(versions), lit(END_OF_TIME)).as("valid_to"));
    out.add(row_number().over(versions).as("version"));
    return changes.select(out.toArray(Column[]::new));
  }
}
