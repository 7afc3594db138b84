package com.treebo.dataplatform.model;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The "unknown" member every dimension has: key {@link Keys#UNKNOWN}, every other attribute null,
 * except the flags and validity columns a type 2 lookup needs ({@code valid_from}/
 * {@code effective_from} at the beginning, {@code valid_to}/{@code effective_to} at the end,
 * {@code is_current} true, {@code is_inferred} false).
 */
final class Unknown {
  private Unknown() {}

  /** One row with {@code like}'s columns: the unknown member. */
  static Dataset<Row> member(Dataset<Row> like, String keyColumn) {
    StructField[] fields = like.schema().fields();
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      values[i] = switch (fields[i].name()) {
        case "valid_from" -> Versions.BEGINNING_OF_TIME;
        case "valid_to" -> Versions.END_OF_TIME;
        case "effective_from" -> Effective.BEGINNING;
        case "effective_to" -> Effective.END;
        case "is_current" -> true;
        case "is_inferred" -> false;
        default -> fields[i].name().equals(keyColumn)
            ? (fields[i].dataType().equals(DataTypes.IntegerType) ? (Object) (int) Keys.UNKNOWN : (Object) Keys.UNKNOWN)
            : null;
      };
    }
    return like.sparkSession().createDataFrame(Arrays.asList(RowFactory.create(values)), nullable(like.schema()));
  }

  /** {@code schema} with every field nullable: the unknown member's attributes are null. */
  static org.apache.spark.sql.types.StructType nullable(org.apache.spark.sql.types.StructType schema) {
    return new org.apache.spark.sql.types.StructType(Arrays.stream(schema.fields())
        .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new));
  }
}
