package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import com.treebo.dataplatform.transforms.Columns;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What to write to a stored table so that a part of it equals what was just recomputed: the
 * recomputed rows that are new or differ from the stored row with the same key in any column
 * (compared null-safely; {@code _op = 'upsert'}, {@code _new} true when no stored row has the key),
 * and the stored rows of the same part whose key was not recomputed ({@code _op = 'delete'}). Rows recomputed exactly as stored are left out, so a
 * rerun writes (and counts) nothing. Both inputs have the same columns and cover the same part of
 * the table (the same members, the same dates). Cost: one join by the key (shuffle unless one side
 * is small), one anti-join.
 */
public final class Changes {
  private Changes() {}

  public static Dataset<Row> of(Dataset<Row> recomputed, Dataset<Row> stored, List<String> key) {
    Columns.require(recomputed, "Changes.of (recomputed)", key);
    Columns.require(stored, "Changes.of (stored)", Arrays.asList(recomputed.columns()));
    String[] columns = recomputed.columns();
    Dataset<Row> r = recomputed.alias("r");
    Dataset<Row> s = stored.select(Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .alias("s");
    Column on = lit(true);
    for (String k : key) {
      on = on.and(col("r." + k).equalTo(col("s." + k)));
    }
    // One comparison of the whole rows as structs (null-safe field by field): a conjunction of a
    // comparison per column makes Spark's constraint inference explode on wide tables.
    Column same = org.apache.spark.sql.functions.struct(Arrays.stream(columns).map(c -> col("r." + c)).toArray(Column[]::new))
        .eqNullSafe(org.apache.spark.sql.functions.struct(Arrays.stream(columns).map(c -> col("s." + c)).toArray(Column[]::new)));
    List<Column> upsertColumns = new java.util.ArrayList<>(Arrays.stream(columns).map(c -> col("r." + c).as(c)).toList());
    upsertColumns.add(col("s." + key.get(0)).isNull().as("_new"));
    Dataset<Row> upserts = r.join(s, on, "left")
        .where(col("s." + key.get(0)).isNull().or(not(same)))
        .select(upsertColumns.toArray(Column[]::new));
    Dataset<Row> gone = stored.select(Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .join(recomputed.select(key.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)),
            key.toArray(String[]::new), "left_anti");
    return upserts.withColumn("_op", lit("upsert"))
        .unionByName(gone.withColumn("_new", lit(false)).withColumn("_op", lit("delete")));
  }
}
