package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.transforms.Columns;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code dim_hotel_room_type}, type 2: the rooms of each type a hotel sells, and its base rate, with
 * history, so that a report takes the rooms available as of each stay date. A version applies to
 * the hotel-local dates {@code effective_from} to {@code effective_to} ({@link Effective}); a row
 * deleted at the source stops applying from the date the platform noticed.
 *
 * <p>Needs {@code versions}: {@link Versions#collapse} of catalog.hotel_room_type over
 * {@link #TRACKED}; {@code current}: lake.catalog_hotel_room_type ({@code hotel_id, room_type_id,
 * _deleted, _deleted_at}). Returns {@code hotel_room_type_key, hotel_id, room_type_id, room_count,
 * base_rate, version, valid_from, valid_to, is_current, effective_from, effective_to}, and the unknown member.
 */
public final class DimHotelRoomType {
  public static final String NAME = "hotel_room_type";
  public static final List<String> TRACKED = List.of("room_count", "base_rate");
  private static final List<String> KEYS = List.of("hotel_id", "room_type_id");

  private DimHotelRoomType() {}

  public static Dataset<Row> build(Dataset<Row> versions, Dataset<Row> current) {
    Columns.require(versions, "DimHotelRoomType.build", List.of("hotel_id", "room_type_id", "room_count", "base_rate",
        "valid_from", "valid_to", "version"));
    Columns.require(current, "DimHotelRoomType.build (current)", List.of("hotel_id", "room_type_id", "_deleted", "_deleted_at"));
    Dataset<Row> last = versions.groupBy("hotel_id", "room_type_id").agg(max("version").as("last_version"));
    Dataset<Row> deleted = current.where(col("_deleted")).select("hotel_id", "room_type_id", "_deleted_at");
    Dataset<Row> closed = versions.join(last, KEYS.toArray(String[]::new)).join(deleted, KEYS.toArray(String[]::new), "left")
        .withColumn("closed", col("version").equalTo(col("last_version")).and(col("_deleted_at").isNotNull()))
        .withColumn("valid_to", when(col("closed"), col("_deleted_at")).otherwise(col("valid_to")))
        .withColumn("is_current", col("version").equalTo(col("last_version")).and(col("closed").equalTo(false)));
    Dataset<Row> members = Effective.dates(closed, KEYS, false).select(
        Keys.ofVersion(NAME, col("version"), col("hotel_id"), col("room_type_id")).as("hotel_room_type_key"),
        col("hotel_id"), col("room_type_id"), col("room_count"), col("base_rate"), col("version"), col("valid_from"), col("valid_to"),
        col("is_current"), col("effective_from"), col("effective_to"));
    return members.unionByName(Unknown.member(members, "hotel_room_type_key")).withColumn("room_count",
        when(col("hotel_room_type_key").equalTo(lit(Keys.UNKNOWN)), lit(null)).otherwise(col("room_count")));
  }
}
