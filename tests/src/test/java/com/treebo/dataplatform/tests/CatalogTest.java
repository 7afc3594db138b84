package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.catalog.MetastoreEntries;
import com.treebo.dataplatform.jobs.catalog.Publication;
import com.treebo.dataplatform.jobs.extract.TableResult;
import io.delta.tables.DeltaTable;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The lake's metastore entries as Athena reads them, and the symlink manifests Redshift Spectrum reads. */
class CatalogTest {

  private static void bookings(Connection c, int from, int to) throws Exception {
    Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name) VALUES (1, 'A') ON CONFLICT DO NOTHING");
    Extracts.execute(c, "INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date,"
        + " checkout_date, total_amount) SELECT b, 'TRB-' || b, 1, 1, 'web', 'reserved', '2026-12-01', '2026-12-03', 2000"
        + " FROM generate_series(" + from + ", " + to + ") b");
  }

  /** The entry's columns as {@code name type} strings. */
  private static List<String> entryColumns(String qualified) {
    SparkSession spark = TestPlatform.get().spark();
    return MetastoreEntries.read(spark, qualified).orElseThrow().columns().stream().map(c -> c.name() + " " + c.type()).toList();
  }

  private static List<String> deltaColumns(String qualified) {
    StructType schema = TestPlatform.get().spark().table(qualified).schema();
    return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().catalogString()).toList();
  }

  @Test
  void lakeEntriesHoldTheRealColumnsAndFollowANewSourceColumn() throws Exception {
    Scenario s = TestPlatform.get().newScenario("catalog_entry");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookings(c, 1, 3);
    }
    assertTrue(Extracts.runOne(s, "", "crs.booking").succeeded());
    String table = "lake_" + s.id() + ".crs_booking";
    MetastoreEntries.Entry entry = MetastoreEntries.read(TestPlatform.get().spark(), table).orElseThrow();
    System.out.println(entry);
    assertEquals(deltaColumns(table), entryColumns(table));
    assertTrue(entryColumns(table).contains("booking_id bigint"), entryColumns(table).toString());
    assertEquals("DELTA", entry.parameters().get("table_type"));
    assertEquals(s.lakeRoot() + "/tables/crs_booking", entry.location());

    try (Connection c = s.booking()) {
      Extracts.execute(c, "ALTER TABLE crs.booking ADD COLUMN loyalty_points integer");
      bookings(c, 4, 4);
    }
    assertTrue(Extracts.runOne(s, "", "crs.booking").succeeded());
    assertTrue(entryColumns(table).contains("loyalty_points int"), entryColumns(table).toString());
    assertEquals(deltaColumns(table), entryColumns(table));
    // Spark still reads the table through the rewritten entry.
    assertEquals(4, TestPlatform.get().spark().table(table).count());

    // A table made by hand has Spark's placeholder entry until it is published.
    String handMade = "lake_" + s.id() + ".hand_made";
    TestPlatform.get().spark().sql("CREATE TABLE " + handMade + " USING delta LOCATION '" + s.lakeRoot() + "/tables/hand_made'"
        + " AS SELECT 1L AS id, 'x' AS note");
    assertEquals(List.of("col array<string>"), entryColumns(handMade));
    List<String> printed = catalogCommand(s, "catalog");
    String text = String.join("\n", printed);
    assertTrue(text.contains(table + "\n  location   " + s.lakeRoot().replace("s3a://", "s3://") + "/tables/crs_booking\n"
        + "  catalog    table_type = DELTA, 20 columns:\n               booking_id bigint\n"), text);
    assertTrue(text.contains("  athena     CREATE EXTERNAL TABLE `lake_" + s.id() + "`.`crs_booking`\n"
        + "             LOCATION '" + s.lakeRoot().replace("s3a://", "s3://") + "/tables/crs_booking'\n"
        + "             TBLPROPERTIES ('table_type' = 'DELTA')\n"
        + "  spectrum   not listed in catalog.spectrum.tables: no manifest, Spectrum cannot read it"), text);
    assertTrue(text.contains(handMade + "\n  location   " + s.lakeRoot().replace("s3a://", "s3://") + "/tables/hand_made\n"
        + "  catalog    NOT YET READABLE BY ATHENA (published at the table's next write, or now with --publish), 1 columns:\n"
        + "               col array<string>"), text);
    catalogCommand(s, "catalog", "--publish", handMade);
    assertEquals(List.of("id bigint", "note string"), entryColumns(handMade));
  }

  /** Runs {@code bin/dataplatform ARGS} on the scenario; returns what it printed. */
  private static List<String> catalogCommand(Scenario s, String... args) throws Exception {
    java.nio.file.Path conf = java.nio.file.Files.createTempFile(TestPlatform.get().home(), "catalog-", ".conf");
    java.nio.file.Files.writeString(conf, s.overlay() + "\nlocal.enabled = false\n");
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      List<String> all = new ArrayList<>(List.of("--conf", conf.toString()));
      all.addAll(List.of(args));
      code = com.treebo.dataplatform.jobs.cli.Main.run(all);
    } finally {
      System.setOut(original);
    }
    List<String> lines = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertEquals(0, code, String.join("\n", lines));
    return lines;
  }

  /** {@code qualified}'s metastore entry holds the Delta table's columns, its location and table_type = DELTA. */
  static void assertReadableByAthena(String qualified) {
    SparkSession spark = TestPlatform.get().spark();
    MetastoreEntries.Entry entry = MetastoreEntries.read(spark, qualified).orElseThrow();
    assertEquals(deltaColumns(qualified), entryColumns(qualified), qualified);
    assertEquals("DELTA", entry.parameters().get("table_type"), qualified);
    assertEquals(DeltaTable.forName(spark, qualified).detail().first().<String>getAs("location"), entry.location(), qualified);
  }

  /** The data files the manifest(s) under {@code location} name. */
  static TreeSet<String> manifestFiles(String location) throws Exception {
    SparkSession spark = TestPlatform.get().spark();
    Path dir = new Path(location, Publication.MANIFEST_FOLDER);
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    TreeSet<String> files = new TreeSet<>();
    if (!fs.exists(dir)) {
      return files;
    }
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      FileStatus f = it.next();
      if (f.getPath().getName().equals("manifest")) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(fs.open(f.getPath())))) {
          r.lines().filter(l -> !l.isBlank()).forEach(files::add);
        }
      }
    }
    return files;
  }

  /** The manifest names exactly the current snapshot's files, each readable, holding the table's rows. */
  static void assertManifestIsTheSnapshot(String qualified) throws Exception {
    SparkSession spark = TestPlatform.get().spark();
    String location = DeltaTable.forName(spark, qualified).detail().first().getAs("location");
    TreeSet<String> snapshot = new TreeSet<>(Arrays.asList(spark.read().format("delta").load(location).inputFiles()));
    TreeSet<String> manifest = manifestFiles(location);
    assertEquals(snapshot, manifest, qualified + ": the manifest names the snapshot's files");
    long read = manifest.isEmpty() ? 0 : spark.read().parquet(manifest.toArray(String[]::new)).count();
    assertEquals(spark.table(qualified).count(), read, qualified + ": the files the manifest names hold the table's rows");
  }

  @Test
  void aTableListedForSpectrumKeepsAManifestOfItsSnapshotThroughUpdatesAndDeletes() throws Exception {
    Scenario s = TestPlatform.get().newScenario("catalog_manifest");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      bookings(c, 1, 200);
    }
    String table = "lake_" + s.id() + ".crs_booking";
    String deletesEveryRun = "sources.booking.tables.\"crs.booking\".detect-deletes-every = 0s\n";
    // First not listed: deletion vectors on, and an update leaves one.
    assertTrue(Extracts.runOne(s, deletesEveryRun, "crs.booking").succeeded());
    try (Connection c = s.booking()) {
      Extracts.execute(c, "UPDATE crs.booking SET status = 'cancelled', updated_at = now() WHERE booking_id = 7");
    }
    assertTrue(Extracts.runOne(s, deletesEveryRun, "crs.booking").succeeded());
    String location = s.lakeRoot() + "/tables/crs_booking";
    assertTrue(manifestFiles(location).isEmpty());

    // Listed: the next run purges the deletion vectors and writes the manifest.
    String listed = deletesEveryRun + "catalog.spectrum.tables = [\"" + table + "\"]\n";
    try (Connection c = s.booking()) {
      Extracts.execute(c, "UPDATE crs.booking SET status = 'cancelled', updated_at = now() WHERE booking_id = 8");
      bookings(c, 201, 210);
    }
    assertTrue(Extracts.runOne(s, listed, "crs.booking").succeeded());
    assertManifestIsTheSnapshot(table);
    try (Connection c = s.booking()) {
      Extracts.execute(c, "UPDATE crs.booking SET status = 'cancelled', updated_at = now() WHERE booking_id IN (9, 150)");
      Extracts.execute(c, "DELETE FROM crs.booking WHERE booking_id IN (10, 11)");
    }
    TableResult r = Extracts.runOne(s, listed, "crs.booking");
    assertEquals(2, r.counts().rowsDeleted(), r.toString());
    assertManifestIsTheSnapshot(table);
    // A hand-made fix keeps it current too: Delta rewrites the manifest at every commit.
    TestPlatform.get().spark().sql("DELETE FROM " + table + " WHERE booking_id = 12");
    assertManifestIsTheSnapshot(table);
    assertEquals(209, TestPlatform.get().spark().table(table).count(), "210 rows, two flagged deleted, one removed by hand");

    // No longer listed: the manifest goes, so Spectrum cannot read a stale one.
    assertTrue(Extracts.runOne(s, deletesEveryRun, "crs.booking").succeeded());
    assertTrue(manifestFiles(location).isEmpty());
    assertFalse(TestPlatform.get().spark().sql("SHOW TBLPROPERTIES " + table).where("key = '" + Publication.MANIFEST_PROPERTY
        + "'").collectAsList().stream().map(Row::toString).anyMatch(x -> x.contains("true")));
  }
}
