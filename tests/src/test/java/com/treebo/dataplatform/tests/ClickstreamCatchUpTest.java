package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.treebo.dataplatform.devtools.clickstream.LandingWriter;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.jobs.clickstream.WebTables;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nights as an operator lives them: a first deployment over a landing zone that already holds
 * weeks of hours, a five-day outage, objects landing late into hours read days ago, a gzip object of
 * many members read through the S3 server, an identify that arrives days after the sessions it
 * explains, and reruns. Every run is a plain run with no options.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClickstreamCatchUpTest {
  private static Scenario scenario;
  private static Platform platform;
  private static WebTables tables;
  private static LandingWriter landing;
  private static int messages;

  @BeforeAll
  static void land() {
    scenario = TestPlatform.get().newScenario("click_catchup");
    platform = new Platform(scenario.config(), TestPlatform.get().runtime(), "test");
    tables = WebTables.of(platform.config());
    landing = new LandingWriter(platform.config().clickstream().landing(), platform.spark().sparkContext().hadoopConfiguration());
  }

  /** A page view of {@code anon} at {@code at} (device clock right), received a second later. */
  private static String page(String anon, String at) {
    Instant t = Instant.parse(at);
    return "{\"type\":\"page\",\"name\":\"Home\",\"messageId\":\"m-" + (++messages) + "\",\"anonymousId\":\"" + anon
        + "\",\"timestamp\":\"" + t + "\",\"sentAt\":\"" + t + "\",\"receivedAt\":\"" + t.plusSeconds(1) + "\"}";
  }

  private static String put(String hour, String... records) {
    return landing.put(LocalDateTime.parse(hour + ":00"), "events-" + (++messages) + ".gz", String.join("\n", records));
  }

  private static Platform at(String now) {
    return platform.withClock(Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
  }

  private static ClickstreamSummary run(Platform p) {
    ClickstreamSummary s = ClickstreamJob.run(p, ClickstreamJob.Request.normal(), tables);
    s.print(System.out);
    return s;
  }

  @Test
  @Order(1)
  void aFirstRunReadsEveryLandedHourHoweverOld() {
    put("2026-10-01T09", page("anon-old", "2026-10-01T09:10:00Z"));
    put("2026-11-15T09", page("anon-late", "2026-11-15T09:00:00Z"), page("anon-late", "2026-11-15T09:05:00Z"));
    put("2026-11-17T09", page("anon-late", "2026-11-17T09:00:00Z"));
    put("2026-11-20T11", page("anon-new", "2026-11-20T11:00:00Z"));
    put("2026-11-20T13", page("anon-future", "2026-11-20T13:00:00Z")); // after "now": not landed yet for this run

    ClickstreamSummary first = run(at("2026-11-20T12:30:00Z"));
    assertEquals(4, first.objectsRead(), first.toString());
    assertEquals(5, first.eventsInserted());
    assertEquals(4, spark().table(tables.sessions()).count(), "anon-old, anon-late twice, anon-new");
  }

  @Test
  @Order(2)
  void aRunAfterAFiveDayOutageReadsEveryHourItMissedInBatches() throws Exception {
    List<String> outage = new ArrayList<>();
    for (int day = 21; day <= 25; day++) {
      outage.add(put("2026-11-" + day + "T09", page("anon-" + day, "2026-11-" + day + "T09:00:00Z")));
    }
    // The app's offline queue flushes days later: an identify of anon-late made on the 14th.
    Instant made = Instant.parse("2026-11-14T10:00:00Z");
    outage.add(put("2026-11-23T10", "{\"type\":\"identify\",\"messageId\":\"m-identify\",\"anonymousId\":\"anon-late\","
        + "\"userId\":\"4242\",\"timestamp\":\"" + made + "\",\"sentAt\":\"2026-11-23T10:00:00Z\","
        + "\"receivedAt\":\"2026-11-23T10:00:01Z\",\"traits\":{}}"));
    // A producer that appends small gzip members to one object (here 1,000 records cut into 10-character
    // members, about 30 bytes each): a reader that stops at a member boundary near the end of its buffer
    // when the stream says nothing is available (java.util.zip.GZIPInputStream) loses the rest.
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      text.append(page("anon-members", Instant.parse("2026-11-24T11:00:00Z").plusSeconds(i).toString())).append('\n');
    }
    List<String> members = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 10) {
      members.add(text.substring(i, Math.min(text.length(), i + 10)));
    }
    outage.add(landing.putMembers(LocalDateTime.parse("2026-11-24T11:00"), "members.gz", members));

    long bytes = 0;
    for (String o : outage) {
      Path p = new Path(o);
      bytes += p.getFileSystem(spark().sparkContext().hadoopConfiguration()).getFileStatus(p).getLen();
    }
    Platform smallBatches = new Platform(scenario.config("clickstream.batch-size = " + (bytes / 2)), TestPlatform.get().runtime(), "test")
        .withClock(Clock.fixed(Instant.parse("2026-11-26T12:30:00Z"), ZoneOffset.UTC));
    ClickstreamSummary afterOutage = run(smallBatches);
    assertEquals(8, afterOutage.objectsRead(), "the 7 of the outage and the one that landed after the first run: " + afterOutage);
    assertEquals(1 + 5 + 1 + 1000, afterOutage.eventsInserted(), "every member of the concatenated object is read");
    assertEquals(1000, spark().table(tables.events()).where("anonymous_id = 'anon-members'").count());
  }

  @Test
  @Order(3)
  void anIdentityThatArrivesDaysLateReachesTheSessionsAfterIt() {
    Dataset<Row> late = spark().table(tables.sessions()).where("anonymous_id = 'anon-late'")
        .selectExpr("CAST(session_date AS STRING) AS day", "guest_id").orderBy("day");
    assertSameRows(spark().sql("SELECT * FROM VALUES ('2026-11-14', '4242'), ('2026-11-15', '4242'), ('2026-11-17', '4242')"
        + " AS t(day, guest_id)"), late);
  }

  @Test
  @Order(4)
  void objectsLandingLateIntoAnHourReadDaysAgoAreRead() {
    put("2026-11-24T09", page("anon-24", "2026-11-24T09:30:00Z"));
    ClickstreamSummary next = run(at("2026-11-26T13:30:00Z"));
    assertEquals(1, next.objectsRead(), next.toString());
    assertEquals(1, next.eventsInserted());
    assertEquals(0, next.sessionsNew() + next.sessionsReplaced(), "the event joins anon-24's stored session");
    assertEquals(1, next.sessionsChanged());
  }

  @Test
  @Order(5)
  void aRerunReadsNothingChangesNothingAndCountsNothing() {
    List<String> all = List.of(tables.events(), tables.identities(), tables.sessions());
    List<Dataset<Row>> before = all.stream().map(t -> spark().table(t).localCheckpoint()).toList();
    ClickstreamSummary again = run(at("2026-11-26T14:30:00Z"));
    assertEquals(0, again.objectsRead());
    assertEquals(List.of(0L, 0L, 0L, 0L), List.of(again.eventsInserted(), again.sessionsNew(), again.sessionsChanged(),
        again.sessionsReplaced()));
    for (int i = 0; i < all.size(); i++) {
      assertSameRows(before.get(i), spark().table(all.get(i)));
    }
    // Listed from the last run's hour (13:00 on the 26th) minus the 3-day window: the first object there is of the 24th.
    assertEquals("2026-11-24T09..2026-11-26T14", again.hours());
  }

  private static SparkSession spark() {
    return platform.spark();
  }
}
