package com.treebo.dataplatform.jobs.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import org.apache.spark.sql.types.Decimal;

/**
 * PostgreSQL's binary numeric (numeric_send) to a Spark {@link Decimal} of a given precision and
 * scale, without going through text: int16 ndigits, int16 weight, uint16 sign, uint16 dscale, then
 * ndigits base-10000 digits, the first worth 10000^weight. Values of up to 16 significant digits
 * (four base-10000 digits) whose unscaled form fits in a long take an allocation-free path; the rest
 * go through BigDecimal. A value the Spark type cannot hold exactly is an error, never rounded.
 */
final class PgNumeric {
  private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final int POSITIVE = 0x0000;
  private static final int NEGATIVE = 0x4000;
  private static final int NAN = 0xC000;
  private static final int PLUS_INFINITY = 0xD000;
  private static final int MINUS_INFINITY = 0xF000;
  private static final long[] POW10 = new long[19];
  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private PgNumeric() {}

  /**
   * Decodes the {@code len} bytes at {@code off}.
   *
   * @throws ArithmeticException when the value is NaN or infinite, does not fit {@code precision}
   *     digits, or has more fractional digits than {@code scale}; the message states the value's problem
   *     and the caller adds the column
   */
  static Decimal decode(byte[] b, int off, int len, int precision, int scale) {
    int ndigits = (short) I16.get(b, off);
    int weight = (short) I16.get(b, off + 2);
    int sign = (short) I16.get(b, off + 4) & 0xffff;
    if (sign != POSITIVE && sign != NEGATIVE) {
      throw new ArithmeticException(switch (sign) {
        case NAN -> "NaN";
        case PLUS_INFINITY -> "Infinity";
        case MINUS_INFINITY -> "-Infinity";
        default -> "an unknown numeric sign 0x" + Integer.toHexString(sign);
      } + " has no Spark decimal representation");
    }
    if (len != 8 + 2 * ndigits || ndigits < 0) {
      throw new ArithmeticException("a malformed binary numeric (" + len + " bytes for " + ndigits + " digits)");
    }
    if (ndigits == 0) {
      return Decimal.createUnsafe(0L, precision, scale);
    }
    if (ndigits <= 4) {
      long acc = 0;
      for (int i = 0, p = off + 8; i < ndigits; i++, p += 2) {
        acc = acc * 10_000 + (short) I16.get(b, p);
      }
      // value = acc * 10000^(weight - ndigits + 1); unscaled at `scale` = acc * 10^exp
      int exp = 4 * (weight - ndigits + 1) + scale;
      long limit = POW10[Math.min(precision, 18)];
      long unscaled = -1;
      if (exp >= 0) {
        if (exp <= 18 && acc <= (limit - 1) / POW10[exp]) {
          unscaled = acc * POW10[exp];
        }
      } else if (-exp <= 18 && acc % POW10[-exp] == 0 && acc / POW10[-exp] < limit) {
        unscaled = acc / POW10[-exp];
      }
      if (unscaled >= 0) {
        return Decimal.createUnsafe(sign == NEGATIVE ? -unscaled : unscaled, precision, scale);
      }
    }
    return slow(b, off, ndigits, weight, sign == NEGATIVE, precision, scale);
  }

  private static Decimal slow(byte[] b, int off, int ndigits, int weight, boolean negative, int precision, int scale) {
    BigInteger acc = BigInteger.ZERO;
    for (int i = 0, p = off + 8; i < ndigits; i++, p += 2) {
      acc = acc.multiply(TEN_THOUSAND).add(BigInteger.valueOf((short) I16.get(b, p)));
    }
    BigDecimal value = new BigDecimal(negative ? acc.negate() : acc, -4 * (weight - ndigits + 1));
    BigDecimal scaled;
    try {
      scaled = value.setScale(scale);
    } catch (ArithmeticException inexact) {
      throw new ArithmeticException(value.stripTrailingZeros().toPlainString() + " has more than " + scale
          + " fractional digits, so it does not fit decimal(" + precision + "," + scale + ") without rounding");
    }
    if (scaled.precision() > precision) {
      throw new ArithmeticException(value.toPlainString() + " has more than " + (precision - scale)
          + " integer digits, so it does not fit decimal(" + precision + "," + scale + ")");
    }
    return Decimal.apply(scaled, precision, scale);
  }
}
