package com.treebo.dataplatform.jobs.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.types.UTF8String;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;

/**
 * The rows of one binary COPY, decoded on demand. PostgreSQL sends one CopyData message per tuple
 * (the file header rides in the first one, the trailer comes alone), and pgjdbc hands each message
 * over in a freshly allocated array, which is never written again: strings are therefore wrapped
 * in place, not copied. The rare field that straddles messages is read from a new array joining
 * them, so the no-reuse invariant holds for every buffer this class reads.
 */
final class BinaryCopyRows implements Iterator<InternalRow> {
  private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
  /** Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01. */
  private static final int PG_EPOCH_DAYS = 10_957;
  /** Microseconds from 1970-01-01T00:00Z to PostgreSQL's epoch 2000-01-01T00:00Z. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  /** SQLSTATE query_canceled: the expected end of a COPY this class cancelled. */
  private static final String QUERY_CANCELED = "57014";

  private final CopyOut copy;
  private final BaseConnection connection;
  private final String statement;
  private final SourceColumn[] columns;
  private final Decoder[] decoders;
  private final int[] precision;
  private final int[] scale;

  private byte[] buf = new byte[0];
  private int pos;
  private long rowNumber;
  private InternalRow next;
  private boolean done;

  BinaryCopyRows(CopyOut copy, BaseConnection connection, List<SourceColumn> columns, String statement) {
    this.copy = copy;
    this.connection = connection;
    this.statement = statement;
    this.columns = columns.toArray(new SourceColumn[0]);
    int n = this.columns.length;
    this.decoders = new Decoder[n];
    this.precision = new int[n];
    this.scale = new int[n];
    for (int i = 0; i < n; i++) {
      decoders[i] = this.columns[i].decoder();
      if (this.columns[i].sparkType() instanceof DecimalType d) {
        precision[i] = d.precision();
        scale[i] = d.scale();
      }
    }
    try {
      readHeader();
    } catch (RuntimeException e) {
      throw cancelled(e);
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      try {
        next = readTuple();
      } catch (RuntimeException e) {
        throw cancelled(e);
      }
    }
    return next != null;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more rows in " + abbreviate(statement));
    }
    InternalRow row = next;
    next = null;
    return row;
  }

  private void readHeader() {
    require(SIGNATURE.length + 8);
    if (!Arrays.equals(buf, pos, pos + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
      throw new IllegalStateException("Not a binary COPY stream (bad signature) from " + abbreviate(statement)
          + ": is the statement COPY ... TO STDOUT (FORMAT binary)?");
    }
    pos += SIGNATURE.length;
    int flags = (int) I32.get(buf, pos);
    if ((flags & (1 << 16)) != 0) {
      throw new IllegalStateException("The binary COPY stream of " + abbreviate(statement) + " carries OIDs, which this reader does not expect");
    }
    int extension = (int) I32.get(buf, pos + 4);
    pos += 8;
    require(extension);
    pos += extension;
  }

  /** The next tuple, or null after the trailer (the COPY then is complete). */
  private InternalRow readTuple() {
    require(2);
    int fields = (short) I16.get(buf, pos);
    pos += 2;
    if (fields == -1) {
      finish();
      return null;
    }
    if (fields != columns.length) {
      throw new IllegalStateException("Row " + (rowNumber + 1) + " of " + abbreviate(statement) + " has " + fields
          + " fields but " + columns.length + " columns were given: build the select list with PgBinaryCopy.selectList(columns)");
    }
    rowNumber++;
    Object[] values = new Object[fields];
    for (int i = 0; i < fields; i++) {
      require(4);
      int len = (int) I32.get(buf, pos);
      pos += 4;
      if (len >= 0) {
        require(len);
        values[i] = decode(i, len);
        pos += len;
      }
    }
    return new GenericInternalRow(values);
  }

  private Object decode(int i, int len) {
    byte[] b = buf;
    int p = pos;
    switch (decoders[i]) {
      case TEXT, CAST_TEXT:
        return UTF8String.fromBytes(b, p, len);
      case INT2:
        expectLength(i, len, 2);
        return (short) I16.get(b, p);
      case INT4:
        expectLength(i, len, 4);
        return (int) I32.get(b, p);
      case INT8:
        expectLength(i, len, 8);
        return (long) I64.get(b, p);
      case FLOAT4:
        expectLength(i, len, 4);
        return Float.intBitsToFloat((int) I32.get(b, p));
      case FLOAT8:
        expectLength(i, len, 8);
        return Double.longBitsToDouble((long) I64.get(b, p));
      case BOOL:
        expectLength(i, len, 1);
        return b[p] != 0;
      case NUMERIC:
        try {
          return PgNumeric.decode(b, p, len, precision[i], scale[i]);
        } catch (ArithmeticException e) {
          throw fieldError(i, e.getMessage(), e);
        }
      case DATE:
        expectLength(i, len, 4);
        return date(i, (int) I32.get(b, p));
      case TIMESTAMP:
        expectLength(i, len, 8);
        return timestamp(i, (long) I64.get(b, p));
      case BYTEA:
        return Arrays.copyOfRange(b, p, p + len);
      default:
        throw fieldError(i, "no decoder for " + decoders[i], null);
    }
  }

  private Integer date(int i, int pgDays) {
    if (pgDays == Integer.MAX_VALUE || pgDays == Integer.MIN_VALUE) {
      throw fieldError(i, "the date '" + (pgDays > 0 ? "infinity" : "-infinity") + "' has no Spark representation"
          + " (map it to NULL or a sentinel date in the source query)", null);
    }
    return pgDays + PG_EPOCH_DAYS;
  }

  private Long timestamp(int i, long pgMicros) {
    if (pgMicros == Long.MAX_VALUE || pgMicros == Long.MIN_VALUE) {
      throw fieldError(i, "the timestamp '" + (pgMicros > 0 ? "infinity" : "-infinity") + "' has no Spark representation"
          + " (map it to NULL or a sentinel timestamp in the source query)", null);
    }
    return pgMicros + PG_EPOCH_MICROS;
  }

  private void expectLength(int i, int len, int expected) {
    if (len != expected) {
      throw fieldError(i, "got " + len + " bytes where the binary " + decoders[i] + " has " + expected
          + ": does the select list match the columns (PgBinaryCopy.selectList)?", null);
    }
  }

  private IllegalStateException fieldError(int i, String problem, Exception cause) {
    SourceColumn col = columns[i];
    return new IllegalStateException("Cannot read column " + col.name() + " (" + col.pgType() + ") of row " + rowNumber
        + " of " + abbreviate(statement) + ": " + problem, cause);
  }

  /** Makes at least {@code n} unread bytes available in {@link #buf}, joining messages if one is not enough. */
  private void require(int n) {
    while (buf.length - pos < n) {
      byte[] message = readMessage();
      if (message == null) {
        throw new IllegalStateException("The binary COPY stream of " + abbreviate(statement) + " ended inside row " + rowNumber);
      }
      int rest = buf.length - pos;
      if (rest == 0) {
        buf = message;
      } else {
        byte[] joined = new byte[rest + message.length];
        System.arraycopy(buf, pos, joined, 0, rest);
        System.arraycopy(message, 0, joined, rest, message.length);
        buf = joined;
      }
      pos = 0;
    }
  }

  /** After the trailer: reads to the end of the COPY, so that the connection is free again. */
  private void finish() {
    if (buf.length != pos || readMessage() != null) {
      throw new IllegalStateException("Data after the trailer of the binary COPY stream of " + abbreviate(statement));
    }
    done = true;
    buf = new byte[0];
    pos = 0;
  }

  private byte[] readMessage() {
    try {
      return copy.readFromCopy();
    } catch (SQLException e) {
      throw new IllegalStateException("Reading " + abbreviate(statement) + " failed after row " + rowNumber + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops a COPY that is still running and returns {@code e} to throw. pgjdbc's own
   * {@code CopyOut.cancelCopy()} only signals the server and leaves the rest of the stream unread,
   * which breaks the next statement on the connection; so this cancels the query and then reads on
   * to the server's "canceling statement" error and ReadyForQuery, leaving the connection usable.
   */
  private RuntimeException cancelled(RuntimeException e) {
    done = true;
    next = null;
    if (copy.isActive()) {
      try {
        connection.cancelQuery();
        while (copy.readFromCopy() != null) {
          // discard what was already on the wire
        }
      } catch (SQLException cancel) {
        if (!QUERY_CANCELED.equals(cancel.getSQLState())) {
          e.addSuppressed(cancel);
        }
      }
    }
    return e;
  }

  static String abbreviate(String sql) {
    return sql.length() <= 300 ? sql : sql.substring(0, 297) + "...";
  }
}
