package com.treebo.dataplatform.jobs.source;

/**
 * How one column travels in a binary COPY stream and becomes a value of Spark's internal row
 * representation. Every constant but {@link #CAST_TEXT} reads PostgreSQL's own binary send format
 * of the column's type; {@link #CAST_TEXT} reads text the query produced with {@code ::text}.
 */
public enum Decoder {
  /** int2, 2 bytes big-endian, to {@code Short}. */
  INT2(false),
  /** int4, 4 bytes big-endian, to {@code Integer}. */
  INT4(false),
  /** int8, 8 bytes big-endian, to {@code Long}. */
  INT8(false),
  /** float4, IEEE 754 bits, to {@code Float}. */
  FLOAT4(false),
  /** float8, IEEE 754 bits, to {@code Double}. */
  FLOAT8(false),
  /** bool, one byte, to {@code Boolean}. */
  BOOL(false),
  /** numeric, base-10000 digits, to {@link org.apache.spark.sql.types.Decimal} at the Spark type's scale. */
  NUMERIC(false),
  /** text, varchar, bpchar (padding kept), name: UTF-8 bytes to {@code UTF8String}. */
  TEXT(false),
  /** date, days since 2000-01-01, to {@code Integer} days since 1970-01-01. */
  DATE(false),
  /** timestamptz and timestamp, microseconds since 2000-01-01, to {@code Long} microseconds since 1970-01-01. */
  TIMESTAMP(false),
  /** bytea, raw bytes, to {@code byte[]}. */
  BYTEA(false),
  /** Any other type (enums, json, jsonb, time, uuid, arrays ...), selected as {@code ::text}, to {@code UTF8String}. */
  CAST_TEXT(true);

  private final boolean castsToText;

  Decoder(boolean castsToText) {
    this.castsToText = castsToText;
  }

  /** Whether the column must be selected as {@code column::text} for this decoder to read it. */
  public boolean castsToText() {
    return castsToText;
  }
}
