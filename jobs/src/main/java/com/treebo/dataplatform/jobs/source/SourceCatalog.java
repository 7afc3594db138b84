package com.treebo.dataplatform.jobs.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of a source table read from pg_catalog, each with its Spark type and its
 * {@link Decoder}. Types are recognised by the fixed OIDs of PostgreSQL's built-in types; a domain
 * is read as its base type; anything else (enums, json, jsonb, time, uuid, arrays ...) is read as
 * its text.
 */
public final class SourceCatalog {
  /** Spark's widest decimal; also the precision of an unconstrained numeric. */
  static final int MAX_PRECISION = 38;
  /** Scale given to an unconstrained numeric (Spark's JDBC reader uses the same 38,18). */
  static final int UNCONSTRAINED_SCALE = 18;

  // Built-in type OIDs (src/include/catalog/pg_type.dat); they never change between releases.
  private static final int BOOL = 16;
  private static final int BYTEA = 17;
  private static final int NAME = 19;
  private static final int INT8 = 20;
  private static final int INT2 = 21;
  private static final int INT4 = 23;
  private static final int TEXT = 25;
  private static final int FLOAT4 = 700;
  private static final int FLOAT8 = 701;
  private static final int BPCHAR = 1042;
  private static final int VARCHAR = 1043;
  private static final int DATE = 1082;
  private static final int TIMESTAMP = 1114;
  private static final int TIMESTAMPTZ = 1184;
  private static final int NUMERIC = 1700;

  private static final String COLUMNS_SQL = """
      SELECT a.attname,
             format_type(a.atttypid, a.atttypmod),
             a.attnotnull OR t.typnotnull,
             CASE WHEN t.typtype = 'd' AND b.typtype <> 'd' THEN t.typbasetype ELSE a.atttypid END,
             CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
       WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum""";

  private SourceCatalog() {}

  /**
   * The columns of {@code schema.table} in attnum order, or an empty list when there is no such
   * relation (the caller knows what to tell the user). Names are matched exactly, as stored (unquoted
   * lower case for tables created without quotes).
   */
  public static List<SourceColumn> columns(Connection c, String schema, String table) {
    List<SourceColumn> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(COLUMNS_SQL)) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(column(rs.getString(1), rs.getString(2), columns.size(), !rs.getBoolean(3), rs.getInt(4), rs.getInt(5)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the columns of " + schema + "." + table + " from pg_catalog: " + e.getMessage(), e);
    }
    return List.copyOf(columns);
  }

  /** The Spark schema of rows decoded for {@code columns}: one field per column, in order. */
  public static StructType schema(List<SourceColumn> columns) {
    StructField[] fields = new StructField[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      SourceColumn col = columns.get(i);
      fields[i] = new StructField(col.name(), col.sparkType(), col.nullable(), Metadata.empty());
    }
    return new StructType(fields);
  }

  static SourceColumn column(String name, String pgType, int ordinal, boolean nullable, int typeOid, int typmod) {
    return switch (typeOid) {
      case INT2 -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.ShortType, Decoder.INT2);
      case INT4 -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.IntegerType, Decoder.INT4);
      case INT8 -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.LongType, Decoder.INT8);
      case FLOAT4 -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.FloatType, Decoder.FLOAT4);
      case FLOAT8 -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.DoubleType, Decoder.FLOAT8);
      case BOOL -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.BooleanType, Decoder.BOOL);
      case TEXT, VARCHAR, BPCHAR, NAME -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.StringType, Decoder.TEXT);
      case DATE -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.DateType, Decoder.DATE);
      case TIMESTAMPTZ -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.TimestampType, Decoder.TIMESTAMP);
      case TIMESTAMP -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.TimestampNTZType, Decoder.TIMESTAMP);
      case BYTEA -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.BinaryType, Decoder.BYTEA);
      case NUMERIC -> numeric(name, pgType, ordinal, nullable, typmod);
      default -> new SourceColumn(name, pgType, ordinal, nullable, DataTypes.StringType, Decoder.CAST_TEXT);
    };
  }

  /**
   * numeric(p,s) with 0 <= s <= p <= 38 is DecimalType(p,s); unconstrained numeric is
   * DecimalType(38,18). Declarations Spark cannot hold (p > 38, negative scale, s > p) are read as
   * text so that no digit is lost.
   */
  private static SourceColumn numeric(String name, String pgType, int ordinal, boolean nullable, int typmod) {
    DataType type;
    if (typmod < 0) {
      type = DataTypes.createDecimalType(MAX_PRECISION, UNCONSTRAINED_SCALE);
    } else {
      // typmod = ((precision << 16) | (scale & 0x7ff)) + VARHDRSZ, scale an 11-bit signed field (PG 15).
      int packed = typmod - 4;
      int precision = (packed >> 16) & 0xffff;
      int scale = ((packed & 0x7ff) ^ 0x400) - 0x400;
      if (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > precision) {
        return new SourceColumn(name, pgType, ordinal, nullable, DataTypes.StringType, Decoder.CAST_TEXT);
      }
      type = new DecimalType(precision, scale);
    }
    return new SourceColumn(name, pgType, ordinal, nullable, type, Decoder.NUMERIC);
  }
}
