package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.conf.Identifiers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canned reports of the warehouse contract (section 3), as views in the report schema, in SQL
 * that Redshift and PostgreSQL both run, with the contract's names, columns, types and rounding.
 * Views over the loaded tables are current the moment a load commits; the load replaces them each
 * time (CREATE OR REPLACE), which never touches the tables they read.
 */
final class ReportViews {
  private ReportViews() {}

  /** View name to its defining query, in creation order. */
  static Map<String, String> queries(String dw) {
    String d = Identifiers.quote(dw);
    Map<String, String> views = new LinkedHashMap<>();
    views.put("hotel_daily_kpis", """
        WITH last_version AS (
          SELECT h.hotel_id, h.hotel_code, h.opened_on
          FROM %1$s.dim_hotel h
          JOIN (SELECT hotel_id, MAX(version) AS version FROM %1$s.dim_hotel WHERE hotel_id IS NOT NULL GROUP BY hotel_id) l
            ON l.hotel_id = h.hotel_id AND l.version = h.version
        ),
        nights AS (
          SELECT h.hotel_id, n.stay_date, s.status, n.nightly_rate
          FROM %1$s.fact_room_night n
          JOIN %1$s.dim_hotel h ON h.hotel_key = n.hotel_key
          JOIN %1$s.dim_booking_status s ON s.booking_status_key = n.booking_status_key
          WHERE h.hotel_id IS NOT NULL
        ),
        span AS (
          SELECT v.hotel_id, v.hotel_code, COALESCE(v.opened_on, MIN(n.stay_date)) AS first_date, MAX(n.stay_date) AS last_date
          FROM last_version v JOIN nights n ON n.hotel_id = v.hotel_id
          GROUP BY v.hotel_id, v.hotel_code, v.opened_on
        ),
        days AS (
          SELECT sp.hotel_id, sp.hotel_code, c.date AS stay_date
          FROM span sp JOIN %1$s.dim_date c ON c.date >= sp.first_date AND c.date <= sp.last_date
        ),
        rooms AS (
          SELECT dy.hotel_id, dy.stay_date, SUM(r.room_count) AS rooms_available
          FROM days dy JOIN %1$s.dim_hotel_room_type r
            ON r.hotel_id = dy.hotel_id AND dy.stay_date >= r.effective_from AND dy.stay_date < r.effective_to
          GROUP BY dy.hotel_id, dy.stay_date
        ),
        sold AS (
          SELECT hotel_id, stay_date, COUNT(*) AS room_nights_sold, SUM(nightly_rate) AS room_revenue
          FROM nights WHERE status NOT IN ('cancelled', 'no_show')
          GROUP BY hotel_id, stay_date
        )
        SELECT dy.hotel_code,
               dy.stay_date,
               hv.city_name,
               hv.category,
               COALESCE(r.rooms_available, 0) AS rooms_available,
               COALESCE(s.room_nights_sold, 0) AS room_nights_sold,
               CAST(COALESCE(s.room_revenue, 0) AS NUMERIC(14,2)) AS room_revenue,
               CASE WHEN COALESCE(r.rooms_available, 0) = 0 THEN NULL
                    ELSE CAST(ROUND(CAST(COALESCE(s.room_nights_sold, 0) AS NUMERIC(18,8)) / r.rooms_available, 4) AS NUMERIC(10,4))
               END AS occupancy,
               CASE WHEN COALESCE(s.room_nights_sold, 0) = 0 THEN NULL
                    ELSE CAST(ROUND(CAST(s.room_revenue AS NUMERIC(20,8)) / s.room_nights_sold, 2) AS NUMERIC(14,2))
               END AS adr,
               CASE WHEN COALESCE(r.rooms_available, 0) = 0 THEN NULL
                    ELSE CAST(ROUND(CAST(COALESCE(s.room_revenue, 0) AS NUMERIC(20,8)) / r.rooms_available, 2) AS NUMERIC(14,2))
               END AS revpar
        FROM days dy
        LEFT JOIN %1$s.dim_hotel hv
          ON hv.hotel_id = dy.hotel_id AND dy.stay_date >= hv.effective_from AND dy.stay_date < hv.effective_to
        LEFT JOIN rooms r ON r.hotel_id = dy.hotel_id AND r.stay_date = dy.stay_date
        LEFT JOIN sold s ON s.hotel_id = dy.hotel_id AND s.stay_date = dy.stay_date""".formatted(d));
    views.put("channel_monthly", """
        SELECT CAST(DATE_TRUNC('month', c.date) AS DATE) AS month,
               ch.channel,
               COUNT(*) AS bookings,
               SUM(CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END) AS cancellations,
               CAST(ROUND(CAST(SUM(CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END) AS NUMERIC(18,8)) / COUNT(*), 4)
                    AS NUMERIC(10,4)) AS cancellation_rate,
               CAST(SUM(CASE WHEN s.status = 'cancelled' THEN 0 ELSE b.total_amount END) AS NUMERIC(14,2)) AS gross_booking_value,
               CAST(ROUND(AVG(CAST(b.lead_time_days AS NUMERIC(18,8))), 2) AS NUMERIC(10,2)) AS avg_lead_time_days
        FROM %1$s.fact_booking b
        JOIN %1$s.dim_date c ON c.date_key = b.created_date_key
        JOIN %1$s.dim_channel ch ON ch.channel_key = b.channel_key
        JOIN %1$s.dim_booking_status s ON s.booking_status_key = b.booking_status_key
        GROUP BY CAST(DATE_TRUNC('month', c.date) AS DATE), ch.channel""".formatted(d));
    views.put("funnel_daily", """
        SELECT session_date AS event_date,
               platform,
               COUNT(*) AS sessions,
               SUM(CASE WHEN searched THEN 1 ELSE 0 END) AS searched,
               SUM(CASE WHEN viewed THEN 1 ELSE 0 END) AS viewed,
               SUM(CASE WHEN selected THEN 1 ELSE 0 END) AS selected,
               SUM(CASE WHEN checkout_started THEN 1 ELSE 0 END) AS checkout_started,
               SUM(CASE WHEN ordered THEN 1 ELSE 0 END) AS ordered,
               CAST(ROUND(CAST(SUM(CASE WHEN ordered THEN 1 ELSE 0 END) AS NUMERIC(18,8)) / COUNT(*), 4) AS NUMERIC(10,4))
                 AS conversion
        FROM %1$s.fact_web_session
        GROUP BY session_date, platform""".formatted(d));
    return views;
  }

  /** {@code CREATE OR REPLACE VIEW <report schema>.<name> AS <query>}. */
  static String create(String reportSchema, String name, String query) {
    return "CREATE OR REPLACE VIEW " + Identifiers.quote(reportSchema) + "." + Identifiers.quote(name) + " AS " + query;
  }
}
