package com.treebo.dataplatform.transforms.clickstream;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;

import com.treebo.dataplatform.transforms.TestSpark;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class WebSessionsTest {
  private static Dataset<Row> events(String values) {
    return TestSpark.get().sql("SELECT anonymous_id, message_id, TIMESTAMP(event_time) AS event_time, type, event, platform,"
        + " user_id, hotel_code, booking_code, CAST(revenue AS DECIMAL(14,2)) AS revenue, utm_source, utm_medium, utm_campaign"
        + " FROM VALUES " + values + " AS t(anonymous_id, message_id, event_time, type, event, platform, user_id, hotel_code,"
        + " booking_code, revenue, utm_source, utm_medium, utm_campaign)");
  }

  @Test
  void foldsEachDevicesEventsIntoSessionsSplitByTheGap() {
    SparkSession spark = TestSpark.get();
    Dataset<Row> e = events(String.join(",",
        // device a, session 1: app platform from its first app event, last user, funnel 1-2-3 with a step 3 before step 2
        "('a', 'm1', '2026-11-20 18:20:00', 'page', NULL, 'web', NULL, NULL, NULL, NULL, 'google', 'cpc', 'diwali')",
        "('a', 'm2', '2026-11-20 18:25:00', 'track', 'Hotels Searched', 'android', 'u1', NULL, NULL, NULL, NULL, NULL, NULL)",
        "('a', 'm3', '2026-11-20 18:30:00', 'track', 'Room Selected', 'ios', NULL, 'H9', NULL, NULL, NULL, NULL, NULL)",
        "('a', 'm4', '2026-11-20 18:35:00', 'track', 'Hotel Viewed', 'web', 'u2', 'H1', NULL, NULL, NULL, NULL, NULL)",
        // exactly 30 minutes later: same session
        "('a', 'm5', '2026-11-20 19:05:00', 'screen', NULL, 'web', NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        // 30 minutes and a second later: a new session, which crosses midnight in Asia/Kolkata (UTC+05:30)
        "('a', 'm7', '2026-11-20 19:35:01', 'track', 'Order Completed', 'web', NULL, 'H2', 'TRB-1', 100.5, NULL, NULL, NULL)",
        "('a', 'm6', '2026-11-20 19:35:01', 'track', 'Order Completed', 'web', NULL, NULL, 'TRB-0', 99, 'x', NULL, NULL)",
        // device b: one event
        "('b', 'n1', '2026-11-20 18:00:00', 'page', NULL, 'web', NULL, NULL, NULL, NULL, NULL, NULL, NULL)"));
    // Ties: a's first session has its own user; its second none, so the latest tie at or before its
    // end counts (u9 at exactly its end wins over u8 before it; u7 after it does not count). b's
    // session ends before b's only tie.
    Dataset<Row> ties = spark.sql("SELECT anonymous_id, user_id, TIMESTAMP(tied_at) AS tied_at FROM VALUES"
        + " ('a', 'u8', '2026-11-20 19:20:00'), ('a', 'u9', '2026-11-20 19:35:01'), ('a', 'u7', '2026-11-20 19:35:02'),"
        + " ('b', 'u5', '2026-11-20 18:00:01') AS t(anonymous_id, user_id, tied_at)");
    Dataset<Row> sessions = WebSessions.sessionize(e, ties, Duration.ofMinutes(30));
    Dataset<Row> expected = spark.sql("SELECT substring(sha2(concat(anonymous_id, '\\u0000', first_message_id), 256), 1, 32) AS session_id, *"
        + " FROM VALUES"
        + " ('a', DATE'2026-11-20', TIMESTAMP'2026-11-20 18:20:00', TIMESTAMP'2026-11-20 19:05:00', 2700L, 5L, 2L, 'android', 'u2', 'm1',"
        + "  'google', 'cpc', 'diwali', 'H1', CAST(NULL AS STRING), CAST(NULL AS DECIMAL(14,2)), 2, 'u2'),"
        + " ('a', DATE'2026-11-21', TIMESTAMP'2026-11-20 19:35:01', TIMESTAMP'2026-11-20 19:35:01', 0L, 2L, 0L, 'web', NULL, 'm6',"
        + "  'x', NULL, NULL, 'H2', 'TRB-1', CAST(100.5 AS DECIMAL(14,2)), 0, 'u9'),"
        + " ('b', DATE'2026-11-20', TIMESTAMP'2026-11-20 18:00:00', TIMESTAMP'2026-11-20 18:00:00', 0L, 1L, 1L, 'web', NULL, 'n1',"
        + "  NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL)"
        + " AS t(anonymous_id, session_date, session_start, session_end, duration_seconds, event_count, page_views, platform,"
        + " user_id, first_message_id, utm_source, utm_medium, utm_campaign, hotel_code, booking_code, revenue, funnel_step, guest_id)");
    assertSameRows(expected, sessions);
  }
}
