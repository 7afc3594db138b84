package com.treebo.dataplatform.tests;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The canned reports' figures computed straight from the source databases, with none of the
 * platform's code: what the warehouse views must equal. History the sources do not keep (a hotel's
 * category or room counts before a change) comes from snapshots the test took of the inventory
 * before it changed: dates before {@code boundary} use the snapshot, later ones the sources as
 * they are.
 */
final class IndependentKpis {
  private final Scenario scenario;
  private final SparkSession spark;

  IndependentKpis(Scenario scenario) {
    this.scenario = scenario;
    this.spark = TestPlatform.get().spark();
  }

  private Dataset<Row> query(String database, String sql) {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", "");
    return spark.read().jdbc(TestPlatform.get().postgres().jdbcUrl(database), "(" + sql + ") q", p);
  }

  /** The inventory as it is now: hotels with their city, and room counts; kept (the sources change later). */
  Dataset<Row>[] inventorySnapshot() {
    @SuppressWarnings("unchecked")
    Dataset<Row>[] snapshot = new Dataset[] {
        query(scenario.inventoryDb(), "SELECT h.hotel_id, h.hotel_code, h.category::text AS category, c.city_name, h.opened_on"
            + " FROM catalog.hotel h JOIN catalog.city c USING (city_id)").localCheckpoint(),
        query(scenario.inventoryDb(), "SELECT hotel_id, room_type_id, room_count FROM catalog.hotel_room_type").localCheckpoint()};
    return snapshot;
  }

  /** rpt.channel_monthly, from crs.booking alone (one query on the booking database). */
  Dataset<Row> channelMonthly() {
    return query(scenario.bookingDb(), "SELECT date_trunc('month', created_at AT TIME ZONE 'Asia/Kolkata')::date AS month, channel,"
        + " count(*) AS bookings, sum(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancellations,"
        + " round(sum(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END)::numeric / count(*), 4)::numeric(10,4) AS cancellation_rate,"
        + " sum(CASE WHEN status = 'cancelled' THEN 0 ELSE total_amount END)::numeric(14,2) AS gross_booking_value,"
        + " round(avg(checkin_date - (created_at AT TIME ZONE 'Asia/Kolkata')::date), 2)::numeric(10,2) AS avg_lead_time_days"
        + " FROM crs.booking GROUP BY 1, 2");
  }

  /**
   * rpt.hotel_daily_kpis of the hotels the inventory knows: every date from the hotel's opened_on
   * (or its earliest stay date) to its latest stay date; attributes and room counts from
   * {@code before} for dates before {@code boundary}, from {@code after} from then on.
   */
  Dataset<Row> hotelDaily(Dataset<Row>[] before, Dataset<Row>[] after, LocalDate boundary) {
    query(scenario.bookingDb(), "SELECT b.hotel_id, d::date AS stay_date, b.status::text AS status, s.nightly_rate"
        + " FROM crs.room_stay s JOIN crs.booking b USING (booking_id),"
        + " generate_series(s.checkin_date, s.checkout_date - 1, interval '1 day') d").createOrReplaceTempView("k_nights");
    after[0].createOrReplaceTempView("k_hotels_after");
    before[0].createOrReplaceTempView("k_hotels_before");
    after[1].createOrReplaceTempView("k_rooms_after");
    before[1].createOrReplaceTempView("k_rooms_before");
    return spark.sql("WITH span AS ("
        + "  SELECT h.hotel_id, h.hotel_code, coalesce(h.opened_on, min(n.stay_date)) AS first_date, max(n.stay_date) AS last_date"
        + "  FROM k_hotels_after h JOIN k_nights n USING (hotel_id) GROUP BY h.hotel_id, h.hotel_code, h.opened_on),"
        + " days AS (SELECT hotel_id, hotel_code, explode(sequence(first_date, last_date)) AS stay_date FROM span"
        + "  WHERE first_date <= last_date),"
        + " sold AS (SELECT hotel_id, stay_date, count(*) AS n, sum(nightly_rate) AS revenue FROM k_nights"
        + "  WHERE status NOT IN ('cancelled', 'no_show') GROUP BY hotel_id, stay_date),"
        + " rooms_before AS (SELECT hotel_id, sum(room_count) AS rooms FROM k_rooms_before GROUP BY hotel_id),"
        + " rooms_after AS (SELECT hotel_id, sum(room_count) AS rooms FROM k_rooms_after GROUP BY hotel_id),"
        + " joined AS (SELECT d.hotel_code, d.stay_date,"
        + "   CASE WHEN d.stay_date < DATE'" + boundary + "' THEN hb.city_name ELSE ha.city_name END AS city_name,"
        + "   CASE WHEN d.stay_date < DATE'" + boundary + "' THEN hb.category ELSE ha.category END AS category,"
        + "   coalesce(CASE WHEN d.stay_date < DATE'" + boundary + "' THEN rb.rooms ELSE ra.rooms END, 0) AS rooms_available,"
        + "   coalesce(s.n, 0) AS room_nights_sold, CAST(coalesce(s.revenue, 0) AS DECIMAL(14,2)) AS room_revenue"
        + "  FROM days d LEFT JOIN k_hotels_before hb ON hb.hotel_id = d.hotel_id LEFT JOIN k_hotels_after ha ON ha.hotel_id = d.hotel_id"
        + "  LEFT JOIN rooms_before rb ON rb.hotel_id = d.hotel_id LEFT JOIN rooms_after ra ON ra.hotel_id = d.hotel_id"
        + "  LEFT JOIN sold s ON s.hotel_id = d.hotel_id AND s.stay_date = d.stay_date)"
        + " SELECT hotel_code, stay_date, city_name, category, CAST(rooms_available AS BIGINT) AS rooms_available,"
        + "  CAST(room_nights_sold AS BIGINT) AS room_nights_sold, room_revenue,"
        + "  CASE WHEN rooms_available = 0 THEN NULL"
        + "    ELSE CAST(round(CAST(room_nights_sold AS DECIMAL(20,8)) / rooms_available, 4) AS DECIMAL(10,4)) END"
        + "    AS occupancy,"
        + "  CASE WHEN room_nights_sold = 0 THEN NULL ELSE CAST(round(room_revenue / room_nights_sold, 2) AS DECIMAL(14,2)) END AS adr,"
        + "  CASE WHEN rooms_available = 0 THEN NULL ELSE CAST(round(room_revenue / rooms_available, 2) AS DECIMAL(14,2)) END AS revpar"
        + " FROM joined");
  }

  /** A report view of the scenario's warehouse, its columns typed as {@link #hotelDaily} and {@link #channelMonthly} type them. */
  Dataset<Row> view(String database, String view) {
    Dataset<Row> rows = query(database, "SELECT * FROM rpt." + view);
    if (view.equals("hotel_daily_kpis")) {
      return rows.select(col("hotel_code"), col("stay_date"), col("city_name"), col("category"),
          col("rooms_available").cast("bigint"), col("room_nights_sold").cast("bigint"), col("room_revenue").cast("decimal(14,2)"),
          col("occupancy").cast("decimal(10,4)"), col("adr").cast("decimal(14,2)"), col("revpar").cast("decimal(14,2)"));
    }
    return rows;
  }
}
