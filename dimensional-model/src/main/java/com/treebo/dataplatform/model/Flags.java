package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Data-quality flags a fact row carries when its values are suspect but real (a zero or negative
 * rate, a booking created after its check-in): {@code dq_flags}, the reasons joined with ", ", null
 * for a clean row. Flagged rows are kept and summed as the source holds them; the reports can
 * exclude them.
 */
final class Flags {
  private Flags() {}

  /** A flag: {@code reason} when {@code condition} holds. */
  record Flag(String reason, Column condition) {}

  static Flag flag(String reason, Column condition) {
    return new Flag(reason, condition);
  }

  /** The {@code dq_flags} column of {@code flags}. */
  static Column of(Flag... flags) {
    Column[] reasons = new Column[flags.length];
    for (int i = 0; i < flags.length; i++) {
      reasons[i] = when(flags[i].condition(), lit(flags[i].reason()));
    }
    Column joined = array_join(array(reasons), ", ");
    return when(joined.equalTo(""), lit(null).cast("string")).otherwise(joined).as("dq_flags");
  }
}
