package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.transforms.Columns;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code dim_hotel}, type 2: a new version when a hotel's name, category, star rating, active flag
 * or city changes, or when its city's name, state or region changes (city attributes are folded in).
 * A change counts from when the platform first saw it ({@code valid_from}: the start of the extract
 * run that read it); {@code effective_from}/{@code effective_to} give the hotel-local dates each
 * version applies to ({@link Effective}; the last version also applies after a deletion).
 *
 * <p>Needs {@code hotels}: the hotel versions ({@link Versions#collapse} of catalog.hotel over
 * {@link #HOTEL_TRACKED}); {@code cities}: the city versions (over {@link #CITY_TRACKED});
 * {@code current}: lake.catalog_hotel ({@code hotel_id, hotel_code, opened_on, checkin_time,
 * _deleted, _deleted_at}: the type 1 attributes, and deletions, which close the last version); and
 * {@code referenced}: {@code hotel_id}s facts refer to, for inferred members.
 *
 * <p>Returns one row per version: {@code hotel_key} ({@link Keys#ofVersion}), {@code hotel_id},
 * {@code hotel_code}, {@code hotel_name}, {@code category}, {@code star_rating}, {@code is_active},
 * {@code city_id}, {@code city_name}, {@code state_name}, {@code region}, {@code opened_on},
 * {@code checkin_time}, {@code version} (1, 2, ... per hotel), {@code valid_from}, {@code valid_to}, {@code is_current},
 * {@code effective_from}, {@code effective_to}, {@code is_inferred}; plus an inferred member
 * (version 1, attributes null) for every referenced hotel the lake has not seen yet, and the unknown
 * member (key -1). Small: hotels times their versions; shuffles by hotel.
 */
public final class DimHotel {
  public static final String NAME = "hotel";
  public static final List<String> HOTEL_TRACKED = List.of("hotel_name", "city_id", "category", "star_rating", "is_active");
  public static final List<String> CITY_TRACKED = List.of("city_name", "state_name", "region");
  static final List<String> TRACKED = List.of("hotel_name", "city_id", "category", "star_rating", "is_active",
      "city_name", "state_name", "region");

  private DimHotel() {}

  public static Dataset<Row> build(Dataset<Row> hotels, Dataset<Row> cities, Dataset<Row> current, Dataset<Row> referenced) {
    Columns.require(hotels, "DimHotel.build (hotels)", List.of("hotel_id", "valid_from", "valid_to", "version", "hotel_name",
        "city_id", "category", "star_rating", "is_active"));
    Columns.require(cities, "DimHotel.build (cities)", List.of("city_id", "valid_from", "valid_to", "version", "city_name",
        "state_name", "region"));
    Columns.require(current, "DimHotel.build (current)", List.of("hotel_id", "hotel_code", "opened_on", "checkin_time",
        "_deleted", "_deleted_at"));
    Columns.require(referenced, "DimHotel.build (referenced)", List.of("hotel_id"));

    // The instants a hotel's folded attributes may change: its own versions, and its cities' later versions.
    Dataset<Row> h = hotels.alias("h");
    Dataset<Row> firstSeen = hotels.groupBy("hotel_id").agg(min("valid_from").as("first_seen"));
    Dataset<Row> cityChanges = hotels.select("hotel_id", "city_id").distinct()
        .join(cities.select(col("city_id"), col("valid_from").as("t")), "city_id")
        .join(firstSeen, "hotel_id").where(col("t").gt(col("first_seen"))).select("hotel_id", "t");
    Dataset<Row> instants = hotels.select(col("hotel_id"), col("valid_from").as("t")).unionByName(cityChanges).distinct();

    // At each instant: the hotel's version then, and its city's version then (the city's first
    // version when the platform saw the city only after the hotel).
    Dataset<Row> withHotel = instants.alias("i").join(h, col("i.hotel_id").equalTo(col("h.hotel_id"))
            .and(col("h.valid_from").leq(col("i.t"))).and(col("i.t").lt(col("h.valid_to"))))
        .select(col("i.hotel_id").as("hotel_id"), col("i.t").as("t"), col("h.hotel_name"), col("h.city_id"), col("h.category"),
            col("h.star_rating"), col("h.is_active"));
    Dataset<Row> c = cities.alias("c");
    Column cityThen = col("c.valid_from").leq(col("w.t")).and(col("w.t").lt(col("c.valid_to")))
        .or(col("c.version").equalTo(Keys.FIRST_VERSION).and(col("w.t").lt(col("c.valid_from"))));
    Dataset<Row> observed = withHotel.alias("w")
        .join(c, col("w.city_id").equalTo(col("c.city_id")).and(cityThen), "left")
        .select(col("w.hotel_id"), col("w.t"), col("w.hotel_name"), col("w.city_id"), col("w.category"), col("w.star_rating"),
            col("w.is_active"), col("c.city_name"), col("c.state_name"), col("c.region"));

    Dataset<Row> versions = Versions.collapse(observed, List.of("hotel_id"), TRACKED, "t");
    Dataset<Row> last = versions.groupBy(col("hotel_id").as("last_hotel_id")).agg(org.apache.spark.sql.functions.max("version")
        .as("last_version"));
    Dataset<Row> typeOne = current.select(col("hotel_id").as("cur_hotel_id"), col("hotel_code"), col("opened_on"),
        col("checkin_time"), col("_deleted"), col("_deleted_at"));
    Dataset<Row> real = versions
        .join(last, versions.col("hotel_id").equalTo(last.col("last_hotel_id")))
        .join(typeOne, versions.col("hotel_id").equalTo(typeOne.col("cur_hotel_id")), "left")
        .withColumn("closed", col("version").equalTo(col("last_version")).and(col("_deleted").equalTo(true)))
        .withColumn("valid_to", when(col("closed"), col("_deleted_at")).otherwise(col("valid_to")))
        .withColumn("is_current", col("version").equalTo(col("last_version")).and(col("closed").equalTo(false)))
        .withColumn("is_inferred", lit(false));
    Dataset<Row> inferred = referenced.select("hotel_id").where(col("hotel_id").isNotNull()).distinct()
        .join(hotels.select("hotel_id"), new String[] {"hotel_id"}, "left_anti")
        .select(col("hotel_id"), lit(null).cast("string").as("hotel_name"), lit(null).cast("int").as("city_id"),
            lit(null).cast("string").as("category"), lit(null).cast("decimal(2,1)").as("star_rating"),
            lit(null).cast("boolean").as("is_active"), lit(null).cast("string").as("city_name"),
            lit(null).cast("string").as("state_name"), lit(null).cast("string").as("region"),
            lit(Versions.BEGINNING_OF_TIME).as("valid_from"), lit(Versions.END_OF_TIME).as("valid_to"),
            lit(Keys.FIRST_VERSION).as("version"), lit(null).cast("string").as("hotel_code"),
            lit(null).cast("date").as("opened_on"), lit(null).cast("string").as("checkin_time"),
            lit(true).as("is_current"), lit(true).as("is_inferred"));
    Column[] columns = java.util.Arrays.stream(inferred.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> all = Effective.dates(real.select(columns).unionByName(inferred), List.of("hotel_id"), true);
    Dataset<Row> members = all.select(
        Keys.ofVersion(NAME, col("version"), col("hotel_id")).as("hotel_key"), col("hotel_id"), col("hotel_code"),
        col("hotel_name"), col("category"), col("star_rating"), col("is_active"), col("city_id"), col("city_name"),
        col("state_name"), col("region"), col("opened_on"), col("checkin_time"), col("version"), col("valid_from"), col("valid_to"),
        col("is_current"), col("effective_from"), col("effective_to"), col("is_inferred"));
    return members.unionByName(Unknown.member(members, "hotel_key"));
  }

  /**
   * The hotels whose date lookups changed between {@code stored} and {@code rebuilt} (both
   * {@code dim_hotel}: {@code hotel_key, hotel_id, effective_from, effective_to}), each with the
   * first date from which a fact may now get another version ({@code since}): facts of earlier dates
   * keep their keys. A hotel whose inferred member was filled in keeps its key and ranges: none.
   */
  public static Dataset<Row> lookupChanges(Dataset<Row> stored, Dataset<Row> rebuilt) {
    Dataset<Row> n = rebuilt.where(col("hotel_id").isNotNull()).select(col("hotel_key").as("n_key"), col("hotel_id").as("n_id"),
        col("effective_from").as("n_from"), col("effective_to").as("n_to"));
    Dataset<Row> o = stored.where(col("hotel_id").isNotNull()).select(col("hotel_key").as("o_key"), col("hotel_id").as("o_id"),
        col("effective_from").as("o_from"), col("effective_to").as("o_to"));
    Column since = when(col("o_key").isNull(), col("n_from"))
        .when(col("n_key").isNull(), col("o_from"))
        .otherwise(org.apache.spark.sql.functions.least(
            when(col("n_from").notEqual(col("o_from")), org.apache.spark.sql.functions.least(col("n_from"), col("o_from"))),
            when(col("n_to").notEqual(col("o_to")), org.apache.spark.sql.functions.least(col("n_to"), col("o_to")))));
    return n.join(o, col("n_key").equalTo(col("o_key")), "full")
        .select(org.apache.spark.sql.functions.coalesce(col("n_id"), col("o_id")).as("hotel_id"), since.as("since"))
        .where(col("since").isNotNull())
        .groupBy("hotel_id").agg(min("since").as("since"));
  }
}
