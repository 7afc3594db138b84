package com.treebo.dataplatform.jobs.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How a source table's columns may drift from its lake table's. A new source column flows into the
 * lake (added, null in older rows). A source column whose type changed is accepted only when the
 * lake column can hold every value of the new type unchanged (Spark's up-cast rules: int to bigint,
 * decimal(10,2) to decimal(12,2), anything to string); otherwise the table stops, before anything is
 * written, with an error naming table, column and both types. Columns gone from the source stay
 * in the lake and are left as they were.
 */
final class SchemaDrift {
  private SchemaDrift() {}

  /**
   * The source columns missing from the lake table, or an {@link ExtractException} for a lossy type change.
   *
   * @param pgTypes source column name to its PostgreSQL type, for the message
   */
  static List<StructField> addedColumns(String tableName, String lakeTable, StructType source, Map<String, String> pgTypes,
      StructType lake) {
    List<StructField> added = new ArrayList<>();
    for (StructField column : source.fields()) {
      Optional<StructField> existing = find(lake, column.name());
      if (existing.isEmpty()) {
        added.add(column);
        continue;
      }
      DataType from = column.dataType();
      DataType to = existing.get().dataType();
      if (!from.equals(to) && !Cast.canUpCast(from, to)) {
        throw new ExtractException("Cannot extract " + tableName + ": column " + column.name()
            + " changed type at the source to " + pgTypes.getOrDefault(column.name(), "?") + " (" + from.sql()
            + "), which the lake column " + lakeTable + "." + column.name() + " of type " + to.sql()
            + " cannot hold without losing data. Nothing was written for this table; the other tables carry on. "
            + "Widen the lake column, or drop the lake table and its checkpoint to reload it.");
      }
    }
    return added;
  }

  private static Optional<StructField> find(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
