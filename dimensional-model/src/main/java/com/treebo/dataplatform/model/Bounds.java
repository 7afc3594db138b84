package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The declared bounds of the facts' measures (the bus matrix lists them): a value outside is not a
 * real booking's, it is a broken row, and the model's quality gate stops the build that would
 * publish it. Values inside but suspect (zero and negative rates, refunds) are flagged on the row
 * instead ({@code dq_flags}) and kept.
 *
 * @param table the fact
 * @param column the measure
 */
public record Bounds(String table, String column, BigDecimal min, BigDecimal max) {
  public static final List<Bounds> DECLARED = List.of(
      new Bounds("fact_room_night", "nightly_rate", new BigDecimal("-1000000"), new BigDecimal("1000000")),
      new Bounds("fact_booking", "total_amount", new BigDecimal("-100000000"), new BigDecimal("100000000")),
      new Bounds("fact_booking", "nights", new BigDecimal("0"), new BigDecimal("366")),
      new Bounds("fact_booking", "lead_time_days", new BigDecimal("-3660"), new BigDecimal("3660")),
      new Bounds("fact_payment", "amount", new BigDecimal("-100000000"), new BigDecimal("100000000")),
      new Bounds("fact_web_session", "revenue", new BigDecimal("0"), new BigDecimal("100000000")));

  /** True for a value outside the bounds (null is inside: a missing measure is not an out-of-range one). */
  public Column violated() {
    return col(column).lt(min).or(col(column).gt(max));
  }

  /** The bounds of {@code table}'s measures. */
  public static List<Bounds> of(String table) {
    return DECLARED.stream().filter(b -> b.table().equals(table)).toList();
  }

  @Override
  public String toString() {
    return table + "." + column + " in [" + min.toPlainString() + ", " + max.toPlainString() + "]";
  }
}
