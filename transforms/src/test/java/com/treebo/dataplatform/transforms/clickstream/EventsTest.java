package com.treebo.dataplatform.transforms.clickstream;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.transforms.TestSpark;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class EventsTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

  private static Dataset<Row> parse(String... raws) {
    SparkSession spark = TestSpark.get();
    StructType schema = new StructType().add("object", DataTypes.StringType).add("position", DataTypes.LongType)
        .add("landed_hour", DataTypes.StringType).add("raw", DataTypes.StringType);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < raws.length; i++) {
      rows.add(RowFactory.create("o", (long) i, "2026-11-20T08", raws[i]));
    }
    return Events.parse(spark.createDataFrame(rows, schema), KEY, "91");
  }

  private static final String OK = "\"messageId\":\"m1\",\"anonymousId\":\"a1\",\"receivedAt\":\"2026-11-20T08:00:01Z\"";

  @Test
  void quarantinesEachKindOfBrokenRecordWithItsReason() {
    Dataset<Row> q = Events.quarantined(parse(
        "{\"type\":\"track\",\"event\":\"X\"," + OK + "}",
        "{\"type\":\"track\"," + OK,
        "{\"event\":\"X\"," + OK + "}",
        "{\"type\":\"page\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T08:00:01Z\"}",
        "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T08:00:01Z\",\"timestamp\":\"soon\"}",
        "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"receivedAt\":\"noon\"}",
        "{\"type\":\"track\"," + OK + "}",
        "[1,2]")).select("position", "reason");
    assertSameRows(TestSpark.get().sql("SELECT * FROM VALUES (1L, 'not valid JSON'), (2L, 'no type'), (3L, 'no messageId'),"
        + " (4L, 'unparseable timestamp \\'soon\\''), (5L, 'unparseable receivedAt \\'noon\\''), (6L, 'track without event'),"
        + " (7L, 'not valid JSON') AS t(position, reason)"), q);
  }

  @Test
  void correctsTheDeviceClockOnlyWhenAllThreeTimesArePresent() {
    Dataset<Row> e = Events.valid(parse(
        "{\"type\":\"page\",\"messageId\":\"skewed\",\"anonymousId\":\"a\",\"timestamp\":\"2019-01-01T00:00:07+05:30\","
            + "\"sentAt\":\"2019-01-01T00:01:07+05:30\",\"receivedAt\":\"2026-11-20T18:45:00Z\"}",
        "{\"type\":\"page\",\"messageId\":\"nosent\",\"anonymousId\":\"a\",\"timestamp\":\"2026-11-20T10:00:00Z\","
            + "\"receivedAt\":\"2026-11-20T10:00:05Z\"}",
        "{\"type\":\"page\",\"messageId\":\"onlyreceived\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T10:00:05Z\"}"))
        .select("message_id", "event_time", "event_date");
    assertSameRows(TestSpark.get().sql("SELECT * FROM VALUES"
        + " ('skewed', TIMESTAMP'2026-11-20 18:44:00', DATE'2026-11-21'),"
        + " ('nosent', TIMESTAMP'2026-11-20 10:00:00', DATE'2026-11-20'),"
        + " ('onlyreceived', TIMESTAMP'2026-11-20 10:00:05', DATE'2026-11-20')"
        + " AS t(message_id, event_time, event_date)"), e);
  }

  @Test
  void keepsUnknownPropertiesAsJsonAndDropsPersonalDataFromTraitsContextAndQuarantine() {
    Dataset<Row> parsed = parse(
        "{\"type\":\"identify\"," + OK + ",\"traits\":{\"email\":\"A@B.com\",\"plan\":\"gold\"},"
            + "\"context\":{\"traits\":{\"email\":\"A@B.com\"},\"ip\":\"1.2.3.4\"},\"properties\":{\"new_prop\":[1,2]}}",
        "{\"type\":\"identify\",\"anonymousId\":\"a\",\"traits\":{\"name\":\"Asha\",\"email\":\"A@B.com\"}}");
    Row r = Events.valid(parsed).select("email_hash", "traits", "context", "properties", "ip").first();
    assertEquals(com.treebo.dataplatform.transforms.Pii.hmac("a@b.com", KEY), r.getString(0));
    assertEquals("{\"plan\":\"gold\"}", r.getString(1));
    assertEquals("{\"ip\":\"1.2.3.4\"}", r.getString(2));
    assertEquals("{\"new_prop\":[1,2]}", r.getString(3));
    assertEquals("1.2.3.4", r.getString(4));
    String raw = Events.quarantined(parsed).first().getString(3);
    assertTrue(!raw.contains("Asha") && !raw.contains("A@B"), raw);
  }

  @Test
  void typesPlanPropertiesAndContextFieldsAsSparkWouldReadThem() {
    Row r = Events.valid(parse("{\"type\":\"track\",\"event\":\"Hotels Searched\"," + OK
        + ",\"timestamp\":\"2026-11-20 08:00:00\",\"properties\":{\"city\":\"\u092c\u0947\u0902\u0917\u0932\u0941\u0930\u0941\","
        + "\"checkin\":\"2026-12-01\",\"rooms\":2,\"guests\":\"3\",\"price\":1234.567,\"extra\":{\"rooms\":9}},"
        + "\"context\":{\"app\":{\"version\":\"4.1\"},\"os\":{\"name\":\"Android\"},\"locale\":\"hi-IN\","
        + "\"campaign\":{\"source\":\"google\",\"name\":\"diwali\"},\"traits\":{\"phone\":\"98\"}},\"userId\":42}"))
        .select("city", "checkin", "rooms", "guests", "price", "platform", "app_version", "locale", "utm_source",
            "utm_campaign", "user_id", "original_timestamp", "context").first();
    assertEquals("\u092c\u0947\u0902\u0917\u0932\u0941\u0930\u0941", r.getString(0));
    assertEquals(java.sql.Date.valueOf("2026-12-01"), r.getDate(1));
    assertEquals(2, r.getInt(2));
    assertEquals(3, r.getInt(3));
    assertEquals(new java.math.BigDecimal("1234.57"), r.getDecimal(4));
    assertEquals("android", r.getString(5));
    assertEquals("4.1", r.getString(6));
    assertEquals("hi-IN", r.getString(7));
    assertEquals("google", r.getString(8));
    assertEquals("diwali", r.getString(9));
    assertEquals("42", r.getString(10), "a number where a string is expected is read as its text");
    assertEquals(java.time.Instant.parse("2026-11-20T08:00:00Z"), r.getTimestamp(11).toInstant(),
        "a timestamp that is not ISO-8601 is read by Spark's cast rules, in the session time zone (UTC here)");
    assertEquals("{\"app\":{\"version\":\"4.1\"},\"os\":{\"name\":\"Android\"},\"locale\":\"hi-IN\","
        + "\"campaign\":{\"source\":\"google\",\"name\":\"diwali\"}}", r.getString(12));
  }

  @Test
  void contextTraitsAreCutWhateverTheirValueAndWherever() {
    Dataset<Row> e = Events.valid(parse(
        "{\"type\":\"page\"," + OK + ",\"context\":{\"ip\":\"1.2.3.4\", \"traits\" : \"a@b.com\" }}",
        "{\"type\":\"page\"," + OK + ",\"context\":{\"traits\":[\"a@b.com\",{\"x\":1}],\"locale\":\"en\"}}",
        "{\"type\":\"page\"," + OK + ",\"context\":{\"traits\":null}}",
        "{\"type\":\"page\"," + OK + ",\"context\":{\"traits\":{\"email\":\"a@b.com\"},\"traits\":\"a@b.com\",\"ip\":\"5\"}}"));
    assertEquals(List.of("{\"ip\":\"1.2.3.4\" }", "{\"locale\":\"en\"}", "{}", "{\"ip\":\"5\"}"),
        e.orderBy("position").select("context").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void dedupeKeepsTheFirstReceivedCopy() {
    Dataset<Row> e = Events.dedupe(Events.valid(parse(
        "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T10:00:09Z\",\"name\":\"late\"}",
        "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T10:00:05Z\",\"name\":\"first\"}")));
    assertEquals(List.of("first"), e.select("name").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void laterCopiesAreTheGoodDuplicatesAndDroppingThemLeavesTheFirstReceivedOfEachEvent() {
    Dataset<Row> parsed = parse(
        "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T10:00:01Z\",\"timestamp\":\"bad\"}",
        "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T10:00:09Z\",\"name\":\"late\"}",
        "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T10:00:05Z\",\"name\":\"first\"}",
        "{\"type\":\"page\",\"messageId\":\"n\",\"anonymousId\":\"a\",\"receivedAt\":\"2026-11-20T10:00:05Z\",\"name\":\"only\"}",
        "not json");
    Dataset<Row> copies = Events.laterCopies(Events.valid(parsed).select("message_id", "received_at", "object", "position"));
    assertSameRows(TestSpark.get().sql("SELECT 'o' AS object, 1L AS position"), copies);
    Dataset<Row> events = Events.dropCopies(Events.valid(parsed), copies, true);
    assertEquals(List.of("first", "only"), Events.dropCopies(Events.valid(parsed), copies, false).orderBy("message_id")
        .select("name").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(List.of("first", "only"), events.orderBy("message_id").select("name").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void namesTheMissingColumns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Events.parse(TestSpark.get().sql("SELECT 'x' AS raw"), KEY, "91"));
    assertEquals("Events.parse needs columns [landed_hour, object, position] (input has [raw])", e.getMessage());
  }
}
