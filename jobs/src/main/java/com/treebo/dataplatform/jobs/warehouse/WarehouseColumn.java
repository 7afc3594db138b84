package com.treebo.dataplatform.jobs.warehouse;

import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;

/**
 * One column of a warehouse table, typed from the model's Delta schema so that nothing is lost:
 * integers keep their width, decimals their precision and scale, timestamps are {@code TIMESTAMPTZ}
 * (instants, stored in UTC), and text is {@code VARCHAR(n)} with {@code n} in bytes (Redshift counts
 * UTF-8 bytes: a Kannada city name takes three a character), the same width locally.
 *
 * @param varcharBytes the width of a text column, in bytes (0 for other types)
 */
record WarehouseColumn(String name, String sqlType, DataType sparkType, int varcharBytes) {
  /** The widest Redshift VARCHAR. */
  static final int MAX_VARCHAR_BYTES = 65535;

  /** A column of {@code type}; {@code longestBytes}: the longest UTF-8 value it must hold now (text only). */
  static WarehouseColumn of(String table, String name, DataType type, int longestBytes) {
    if (type instanceof StringType) {
      int width = widthFor(longestBytes);
      return new WarehouseColumn(name, "VARCHAR(" + width + ")", type, width);
    }
    return new WarehouseColumn(name, sqlType(table, name, type), type, 0);
  }

  /**
   * The width a new text column gets: twice the longest value loaded so far, as a power of two
   * (at least 64 bytes), at most {@link #MAX_VARCHAR_BYTES}: room to grow without the cost of
   * 64 KB columns in every query.
   */
  static int widthFor(int longestBytes) {
    long width = 64;
    while (width < 2L * longestBytes && width < MAX_VARCHAR_BYTES) {
      width *= 2;
    }
    return (int) Math.min(width, MAX_VARCHAR_BYTES);
  }

  private static String sqlType(String table, String name, DataType type) {
    if (type instanceof LongType) {
      return "BIGINT";
    }
    if (type instanceof IntegerType) {
      return "INTEGER";
    }
    if (type instanceof ShortType || type instanceof ByteType) {
      return "SMALLINT";
    }
    if (type instanceof BooleanType) {
      return "BOOLEAN";
    }
    if (type instanceof DecimalType d) {
      return "NUMERIC(" + d.precision() + "," + d.scale() + ")";
    }
    if (type instanceof DoubleType) {
      return "DOUBLE PRECISION";
    }
    if (type instanceof FloatType) {
      return "REAL";
    }
    if (type instanceof DateType) {
      return "DATE";
    }
    if (type instanceof TimestampType) {
      return "TIMESTAMPTZ";
    }
    throw new IllegalArgumentException("Cannot load " + table + "." + name + " into the warehouse: its type " + type.sql()
        + " has no warehouse column type (model columns must be numbers, booleans, dates, timestamps or text)");
  }
}
