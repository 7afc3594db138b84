package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/**
 * Surrogate keys of the star schema. A member's key is a pure function of what identifies it: the
 * dimension's name, its natural key and, for type 2 dimensions, the version's ordinal (1 for the
 * first version the platform saw, 2 for the next ...): the positive 63 bits of Spark's
 * {@code xxhash64} (a fixed seed, the same on every Spark version). So a member keeps its key across
 * nights, reruns and a full rebuild, no key is ever renumbered, no key table must survive a rebuild,
 * and a fact can compute its dimension keys from natural keys without a join. An inferred member
 * (a fact arrived before its dimension row) is version 1 of its natural key: when the real row
 * arrives it fills in that member under the same key. A null natural key is the "unknown" member,
 * key {@link #UNKNOWN}. Distinct members colliding on a key are found by the model's uniqueness
 * gate, never silently merged.
 *
 * <p>{@code date_key} is the {@code yyyyMMdd} integer of the date; unknown dates are {@link #UNKNOWN}.
 */
public final class Keys {
  /** The key of every dimension's "unknown" member. */
  public static final long UNKNOWN = -1L;
  /** The ordinal of a member's first version (and of an inferred member). */
  public static final int FIRST_VERSION = 1;

  private Keys() {}

  /** Key of a type 1 member identified by an integral id (int or bigint: cast to bigint first). */
  public static Column ofId(String dimension, Column id) {
    Column key = id.cast("bigint");
    return when(key.isNull(), lit(UNKNOWN)).otherwise(positive(xxhash64(lit(dimension), key)));
  }

  /** Key of a type 1 member identified by text (a channel, a status). */
  public static Column ofText(String dimension, Column text) {
    Column key = text.cast("string");
    return when(key.isNull(), lit(UNKNOWN)).otherwise(positive(xxhash64(lit(dimension), key)));
  }

  /** Key of version {@code version} of a type 2 member identified by integral ids. */
  public static Column ofVersion(String dimension, Column version, Column... ids) {
    Column[] parts = new Column[ids.length + 2];
    parts[0] = lit(dimension);
    Column anyNull = lit(false);
    for (int i = 0; i < ids.length; i++) {
      parts[i + 1] = ids[i].cast("bigint");
      anyNull = anyNull.or(ids[i].isNull());
    }
    parts[ids.length + 1] = version.cast("int");
    return when(anyNull, lit(UNKNOWN)).otherwise(positive(xxhash64(parts)));
  }

  /** {@code yyyyMMdd} of a date column as an int; {@link #UNKNOWN} for null. */
  public static Column ofDate(Column date) {
    return coalesce(date_format(date, "yyyyMMdd").cast("int"), lit((int) UNKNOWN));
  }

  private static Column positive(Column hash) {
    return hash.bitwiseAND(lit(Long.MAX_VALUE));
  }
}
