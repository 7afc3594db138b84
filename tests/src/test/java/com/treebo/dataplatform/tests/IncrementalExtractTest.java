package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.extract.TableResult;
import java.sql.Connection;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Incremental extraction by updated_at: what is read, what the watermark does, what the lake holds. */
class IncrementalExtractTest {
  /** No overlap: the tests prove the bound itself is safe, not that the overlap hides its mistakes. */
  private static final String NO_OVERLAP = "extract.overlap = 0s";

  private static void insertBookings(Connection c, int from, int to, String updatedAt) throws Exception {
    Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) SELECT g, 'Guest ' || g FROM generate_series(" + from
        + ", " + to + ") g ON CONFLICT DO NOTHING");
    Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
        + " checkout_date, total_amount, updated_at) SELECT b, 'TRB-' || b, 1 + b % 7, b, 'web', 'reserved', DATE '2026-12-01',"
        + " DATE '2026-12-03', 1000 + b, " + updatedAt + " FROM generate_series(" + from + ", " + to + ") b");
  }

  @Test
  void secondRunMergesOnlyWhatChangedAndLakeHoldsCurrentState() throws Exception {
    Scenario s = TestPlatform.get().newScenario("incremental");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      insertBookings(c, 1, 100, "now() - interval '1 day'");
    }
    TableResult first = Extracts.runOne(s, NO_OVERLAP, "crs.booking");
    assertEquals(100, first.counts().rowsRead(), first.toString());
    assertEquals(100, first.counts().rowsMerged());

    try (Connection c = s.booking()) {
      Extracts.execute(c, "UPDATE crs.booking SET status = 'confirmed' WHERE booking_id IN (7, 8)");
      insertBookings(c, 101, 102, "now()");
    }
    TableResult second = Extracts.runOne(s, NO_OVERLAP, "crs.booking");
    assertEquals(4, second.counts().rowsRead(), "only the two updated and two new rows are read");
    assertEquals(4, second.counts().rowsMerged());

    List<Row> lake = Extracts.lake(s, "crs_booking").where("status = 'confirmed' OR booking_id > 100")
        .orderBy("booking_id").select("booking_id", "status", "_deleted").collectAsList();
    assertEquals("[[7,confirmed,false], [8,confirmed,false], [101,reserved,false], [102,reserved,false]]", lake.toString());
    assertEquals(102, Extracts.lake(s, "crs_booking").count());

    // Nothing changed since: the exact count of the slice is 0, so nothing is landed or merged.
    org.apache.spark.sql.SparkSession spark = TestPlatform.get().spark();
    long versions = spark.sql("DESCRIBE HISTORY lake_" + s.id() + ".crs_booking").count();
    org.apache.hadoop.fs.Path raw = new org.apache.hadoop.fs.Path(s.lakeRoot() + "/raw/crs_booking");
    org.apache.hadoop.fs.FileSystem fs = raw.getFileSystem(spark.sparkContext().hadoopConfiguration());
    long rawFiles = fs.getContentSummary(raw).getFileCount();
    Thread.sleep(1100);
    TableResult third = Extracts.runOne(s, NO_OVERLAP, "crs.booking");
    assertTrue(third.succeeded(), third.toString());
    assertEquals(0, third.counts().rowsRead(), third.toString());
    assertEquals(versions, spark.sql("DESCRIBE HISTORY lake_" + s.id() + ".crs_booking").count(), "no commit");
    assertEquals(rawFiles, fs.getContentSummary(raw).getFileCount(), "nothing landed");
    // ... and the next change is still caught, from where the empty run left the watermark.
    try (Connection c = s.booking()) {
      Extracts.execute(c, "UPDATE crs.booking SET status = 'cancelled' WHERE booking_id = 9");
    }
    TableResult fourth = Extracts.runOne(s, NO_OVERLAP, "crs.booking");
    assertEquals(1, fourth.counts().rowsRead(), fourth.toString());
    assertEquals("cancelled", Extracts.lake(s, "crs_booking").where("booking_id = 9").select("status").first().getString(0));
  }

  @Test
  void keepsRowsCommittedAfterTheWatermarkByALongTransaction() throws Exception {
    Scenario s = TestPlatform.get().newScenario("late_commit");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      insertBookings(c, 1, 10, "now() - interval '1 hour'");
    }
    Extracts.runOne(s, NO_OVERLAP, "crs.booking");

    try (Connection longTx = s.booking(); Connection quick = s.booking()) {
      longTx.setAutoCommit(false);
      // The trigger stamps updated_at with now(): the long transaction's START time.
      Extracts.execute(longTx, "UPDATE crs.booking SET status = 'cancelled', cancelled_at = now() WHERE booking_id = 1");
      Thread.sleep(50);
      Extracts.execute(quick, "UPDATE crs.booking SET status = 'confirmed' WHERE booking_id = 2");

      TableResult whileOpen = Extracts.runOne(s, NO_OVERLAP, "crs.booking");
      assertEquals(1, whileOpen.counts().rowsRead(), "sees the quick transaction's row, not the open one's");
      longTx.commit();
    }
    TableResult after = Extracts.runOne(s, NO_OVERLAP, "crs.booking");
    assertTrue(after.counts().rowsMerged() >= 1, after.toString());
    List<Row> rows = Extracts.lake(s, "crs_booking").where("booking_id IN (1, 2)").orderBy("booking_id")
        .select("booking_id", "status").collectAsList();
    assertEquals("[[1,cancelled], [2,confirmed]]", rows.toString(),
        "a row stamped before the previous run's watermark but committed after it is not lost");
  }

  @Test
  void capturesFiftyThousandRowsSharingOneUpdatedAtExactlyOnce() throws Exception {
    Scenario s = TestPlatform.get().newScenario("ties");
    Extracts.createContractSchemas(s);
    String hocon = NO_OVERLAP + "\nextract.rows-per-partition = 10000";
    try (Connection open = s.booking(); Connection other = s.booking()) {
      open.setAutoCommit(false);
      // Half of the tie is inserted by a transaction still open during the first run ...
      insertBookings(open, 1, 25_000, "now()");
      String tie;
      try (var rs = open.createStatement().executeQuery("SELECT now()::text")) {
        rs.next();
        tie = rs.getString(1);
      }
      // ... the other half, with exactly the same updated_at, is committed before it.
      insertBookings(other, 25_001, 50_000, "'" + tie + "'::timestamptz");
      TableResult first = Extracts.runOne(s, hocon, "crs.booking");
      assertEquals(25_000, first.counts().rowsRead());
      open.commit();
    }
    TableResult second = Extracts.runOne(s, hocon, "crs.booking");
    assertEquals(50_000, second.counts().rowsRead(), "the whole tie is read again: the bound is inclusive");
    assertEquals(25_000, second.counts().rowsMerged(), "rows already in the lake are not rewritten");
    Row counts = Extracts.lake(s, "crs_booking").selectExpr("count(*)", "count(DISTINCT booking_id)",
        "count(DISTINCT updated_at)").first();
    assertEquals("[50000,50000,1]", counts.toString());
    TableResult third = Extracts.runOne(s, hocon, "crs.booking");
    assertEquals(0, third.counts().rowsMerged(), "nothing changed, nothing merged");
    assertEquals(50_000, Extracts.lake(s, "crs_booking").count());
  }

  @Test
  void appendLedgerKeepsAnIdCommittedAfterAHigherOne() throws Exception {
    Scenario s = TestPlatform.get().newScenario("append");
    Extracts.createContractSchemas(s);
    String pay = "INSERT INTO billing.payment (booking_id, amount, method, paid_at) VALUES (1, 100.00, 'upi', now())";
    try (Connection c = s.booking()) {
      Extracts.execute(c, pay);
    }
    Extracts.runOne(s, NO_OVERLAP, "billing.payment");
    try (Connection slow = s.booking(); Connection fast = s.booking()) {
      slow.setAutoCommit(false);
      Extracts.execute(slow, pay.replace("100.00", "-40.00"));
      Extracts.execute(fast, pay.replace("100.00", "250.00"));
      Extracts.runOne(s, NO_OVERLAP, "billing.payment");
      assertEquals("[[1], [3]]", Extracts.lake(s, "billing_payment").orderBy("payment_id").select("payment_id")
          .collectAsList().toString(), "payment 3 is visible, payment 2 is not committed yet");
      slow.commit();
    }
    TableResult after = Extracts.runOne(s, NO_OVERLAP, "billing.payment");
    assertEquals(1, after.counts().rowsMerged(), "only the late payment is new to the lake");
    List<Row> rows = Extracts.lake(s, "billing_payment").orderBy("payment_id").select("payment_id", "amount").collectAsList();
    assertEquals("[[1,100.00], [2,-40.00], [3,250.00]]", rows.toString(), "the lower id committed later is not lost");
  }
}
