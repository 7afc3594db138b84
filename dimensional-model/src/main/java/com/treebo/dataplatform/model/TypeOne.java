package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.treebo.dataplatform.transforms.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * Type 1 dimensions (current attributes only): {@code dim_guest}, {@code dim_room_type},
 * {@code dim_channel}, {@code dim_booking_status}. Each member's key is {@link Keys#ofId} or
 * {@link Keys#ofText} of its natural key, so facts compute it without a join; a natural key facts
 * refer to before its source row arrives gets an inferred member ({@code is_inferred}, attributes
 * null), filled in under the same key when the row arrives.
 */
public final class TypeOne {
  private TypeOne() {}

  /**
   * {@code dim_guest}: hashed identity only. Needs lake.crm_guest ({@code guest_id, full_name, email,
   * phone} already keyed hashes, {@code home_city, is_corporate, created_at, _deleted}) and
   * {@code referenced} guest ids. Returns {@code guest_key, guest_id, name_hash, email_hash,
   * phone_hash, home_city, is_corporate, created_at, is_deleted, is_inferred}.
   */
  public static Dataset<Row> guests(Dataset<Row> guests, Dataset<Row> referenced) {
    Columns.require(guests, "TypeOne.guests", List.of("guest_id", "full_name", "email", "phone", "home_city", "is_corporate",
        "created_at", "_deleted"));
    Dataset<Row> real = guests.select(col("guest_id"), col("full_name").as("name_hash"), col("email").as("email_hash"),
        col("phone").as("phone_hash"), col("home_city"), col("is_corporate"), col("created_at"), col("_deleted").as("is_deleted"),
        lit(false).as("is_inferred"));
    return keyed("guest", "guest_key", "guest_id", true, withInferred(real, referenced, "guest_id"));
  }

  /**
   * {@code dim_room_type}. Needs lake.catalog_room_type ({@code room_type_id, room_type_code,
   * description, max_occupancy, _deleted}) and {@code referenced} room type ids. Returns
   * {@code room_type_key, room_type_id, room_type_code, description, max_occupancy, is_deleted,
   * is_inferred}.
   */
  public static Dataset<Row> roomTypes(Dataset<Row> roomTypes, Dataset<Row> referenced) {
    Columns.require(roomTypes, "TypeOne.roomTypes", List.of("room_type_id", "room_type_code", "description", "max_occupancy",
        "_deleted"));
    Dataset<Row> real = roomTypes.select(col("room_type_id"), col("room_type_code"), col("description"), col("max_occupancy"),
        col("_deleted").as("is_deleted"), lit(false).as("is_inferred"));
    return keyed("room_type", "room_type_key", "room_type_id", true, withInferred(real, referenced, "room_type_id"));
  }

  /**
   * {@code dim_channel}: every channel value bookings carry ({@code channels}: a {@code channel}
   * column, e.g. the bookings themselves); a new source value becomes a member the night it first
   * appears, no code change. Returns {@code channel_key, channel}.
   */
  public static Dataset<Row> channels(Dataset<Row> channels) {
    Columns.require(channels, "TypeOne.channels", List.of("channel"));
    return keyed("channel", "channel_key", "channel", false, channels.select("channel").where(col("channel").isNotNull()).distinct());
  }

  /**
   * {@code dim_booking_status}: the statuses of {@code statuses} (the contract's list, with their
   * {@code description} and {@code is_cancellation}, {@code counts_as_sold} flags) and any other
   * status bookings carry ({@code seen}: a {@code status} column), flags null for those. Returns
   * {@code booking_status_key, status, description, is_cancellation, counts_as_sold}.
   */
  public static Dataset<Row> bookingStatuses(Dataset<Row> statuses, Dataset<Row> seen) {
    Columns.require(statuses, "TypeOne.bookingStatuses", List.of("status", "description", "is_cancellation", "counts_as_sold"));
    Columns.require(seen, "TypeOne.bookingStatuses (seen)", List.of("status"));
    Dataset<Row> declared = statuses.select(col("status"), col("description"), col("is_cancellation").cast("boolean"),
        col("counts_as_sold").cast("boolean"));
    Dataset<Row> other = seen.select("status").where(col("status").isNotNull()).distinct()
        .join(declared.select("status"), new String[] {"status"}, "left_anti")
        .select(col("status"), lit(null).cast("string").as("description"), lit(null).cast("boolean").as("is_cancellation"),
            lit(null).cast("boolean").as("counts_as_sold"));
    return keyed("booking_status", "booking_status_key", "status", false, declared.unionByName(other));
  }

  /** {@code real} plus an inferred member (attributes null) for every referenced natural key not in it. */
  private static Dataset<Row> withInferred(Dataset<Row> real, Dataset<Row> referenced, String naturalKey) {
    Columns.require(referenced, "TypeOne (referenced)", List.of(naturalKey));
    List<Column> columns = new ArrayList<>();
    for (StructField f : real.schema().fields()) {
      columns.add(f.name().equals(naturalKey) ? col(naturalKey)
          : f.name().equals("is_inferred") ? lit(true).as("is_inferred")
          : lit(null).cast(f.dataType()).as(f.name()));
    }
    Dataset<Row> inferred = referenced.select(col(naturalKey).cast(real.schema().apply(naturalKey).dataType()).as(naturalKey))
        .where(col(naturalKey).isNotNull()).distinct()
        .join(real.select(naturalKey), new String[] {naturalKey}, "left_anti")
        .select(columns.toArray(Column[]::new));
    return real.unionByName(inferred);
  }

  /** Adds the key column first, and the unknown member. */
  private static Dataset<Row> keyed(String dimension, String keyColumn, String naturalKey, boolean integral, Dataset<Row> members) {
    Column key = integral ? Keys.ofId(dimension, col(naturalKey)) : Keys.ofText(dimension, col(naturalKey));
    List<Column> columns = new ArrayList<>();
    columns.add(key.as(keyColumn));
    for (String c : members.columns()) {
      columns.add(col(c));
    }
    Dataset<Row> withKey = members.select(columns.toArray(Column[]::new));
    return withKey.unionByName(Unknown.member(withKey, keyColumn));
  }
}
