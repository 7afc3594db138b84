package com.treebo.dataplatform.jobs.source;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.sql.types.DataType;

/**
 * One column of a source table as the binary COPY reader sees it. Serializable: the extract job
 * ships the column list to the Spark tasks that open their own connections.
 *
 * @param name      the column name, unquoted, as PostgreSQL stores it
 * @param pgType    the type as {@code format_type(atttypid, atttypmod)} prints it, e.g.
 *                  {@code numeric(12,2)}, {@code timestamp with time zone}, {@code crs.booking_status}
 * @param ordinal   0-based position in the column list, which is the field index in the row and schema
 * @param nullable  false when the column (or its domain) is declared NOT NULL
 * @param sparkType the Spark type of the decoded values
 * @param decoder   how the value is selected and decoded
 */
public record SourceColumn(String name, String pgType, int ordinal, boolean nullable, DataType sparkType, Decoder decoder)
    implements Serializable {

  public SourceColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pgType, "pgType");
    Objects.requireNonNull(sparkType, "sparkType");
    Objects.requireNonNull(decoder, "decoder");
    if (ordinal < 0) {
      throw new IllegalArgumentException("ordinal of column " + name + " must be >= 0, is " + ordinal);
    }
  }

  /** The column quoted as an SQL identifier, e.g. {@code "total_amount"}. */
  public String quotedName() {
    return com.treebo.dataplatform.conf.Identifiers.quote(name);
  }

  /**
   * The select-list entry that makes the binary stream carry exactly what {@link #decoder()} reads:
   * the quoted column, with {@code ::text} for types decoded from their text form.
   */
  public String selectExpression() {
    return decoder.castsToText() ? quotedName() + "::text" : quotedName();
  }
}
