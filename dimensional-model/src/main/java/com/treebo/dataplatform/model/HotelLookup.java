package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.treebo.dataplatform.transforms.Columns;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Type 2 lookup of {@code hotel_key}: the version of the row's hotel in effect on the row's date
 * ({@link Effective}). {@code dim_hotel} is small (hotels times versions) and broadcast: the lookup
 * is a map-side equi-join on {@code hotel_id} with a range condition, no shuffle of the facts. A
 * null hotel id or date, or a hotel with no member, gets the unknown member.
 */
public final class HotelLookup {
  private HotelLookup() {}

  /** {@code rows} with {@code hotel_key} added, looked up by {@code idColumn} on {@code dateColumn}. */
  public static Dataset<Row> withHotelKey(Dataset<Row> rows, String idColumn, String dateColumn, Dataset<Row> dimHotel) {
    Columns.require(rows, "HotelLookup.withHotelKey", List.of(idColumn, dateColumn));
    Columns.require(dimHotel, "HotelLookup.withHotelKey (dim_hotel)", List.of("hotel_key", "hotel_id", "effective_from",
        "effective_to"));
    Dataset<Row> versions = broadcast(dimHotel.where(col("hotel_id").isNotNull())
        .select(col("hotel_id").as("_lookup_hotel_id"), col("hotel_key").as("_lookup_hotel_key"),
            col("effective_from").as("_lookup_from"), col("effective_to").as("_lookup_to")));
    return rows.join(versions, rows.col(idColumn).cast("int").equalTo(versions.col("_lookup_hotel_id"))
            .and(rows.col(dateColumn).geq(versions.col("_lookup_from"))).and(rows.col(dateColumn).lt(versions.col("_lookup_to"))),
            "left")
        .withColumn("hotel_key", coalesce(col("_lookup_hotel_key"), lit(Keys.UNKNOWN)))
        .drop("_lookup_hotel_id", "_lookup_hotel_key", "_lookup_from", "_lookup_to");
  }
}
