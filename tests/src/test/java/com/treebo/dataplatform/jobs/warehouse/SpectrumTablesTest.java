package com.treebo.dataplatform.jobs.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.conf.CatalogConfig;
import com.treebo.dataplatform.jobs.catalog.Publication;
import com.treebo.dataplatform.tests.Scenario;
import com.treebo.dataplatform.tests.TestPlatform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A partitioned table Spectrum reads: its partitions' manifests, as the load finds and registers them. */
class SpectrumTablesTest {

  @Test
  void eachPartitionOfAListedTableHasItsManifestAndAnEmptiedOneGoes() throws Exception {
    Scenario s = TestPlatform.get().newScenario("spectrum_parts");
    SparkSession spark = TestPlatform.get().spark();
    String db = "lake_" + s.id();
    String table = db + ".web_events";
    CatalogConfig catalog = new CatalogConfig(List.of(db + ".web_events"), "spectrum", "spectrum", Optional.empty());
    spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
    spark.sql("CREATE TABLE " + table + " (message_id STRING, revenue DECIMAL(12,2), event_date DATE) USING delta"
        + " PARTITIONED BY (event_date) LOCATION '" + s.lakeRoot() + "/tables/web_events' TBLPROPERTIES ("
        + Publication.tblProperties(Publication.creationProperties(catalog, table, false)) + ")");
    spark.sql("INSERT INTO " + table + " VALUES ('a', 1.50, DATE'2026-11-20'), ('b', NULL, DATE'2026-11-21'),"
        + " ('c', 2.00, DATE'2026-11-21')");
    Publication.publish(spark, catalog, table);

    SpectrumSql.Table t = SpectrumSql.table(spark, table);
    assertEquals(List.of("event_date"), t.partitionColumns());
    assertEquals(List.of("event_date=2026-11-20", "event_date=2026-11-21"), SpectrumTables.folders(spark, t));
    List<String> plan = SpectrumSql.plan("spectrum", "spectrum", "arn:role", List.of(t), Map.of(), Map.of(),
        Map.of(table, SpectrumTables.folders(spark, t)));
    assertEquals(3, plan.size(), plan.toString());
    assertTrue(plan.get(1).startsWith("CREATE EXTERNAL TABLE \"spectrum\".\"" + db + "_web_events\" (\"message_id\" VARCHAR(65535),"
        + " \"revenue\" DECIMAL(12,2)) PARTITIONED BY (\"event_date\" DATE)"), plan.get(1));
    assertTrue(plan.get(2).contains("PARTITION (event_date='2026-11-21') LOCATION '" + s.lakeRoot().replace("s3a://", "s3://")
        + "/tables/web_events/_symlink_format_manifest/event_date=2026-11-21/'"), plan.get(2));

    // A day whose rows are all gone loses its manifest, and with it its Spectrum partition.
    spark.sql("DELETE FROM " + table + " WHERE event_date = DATE'2026-11-20'");
    assertEquals(List.of("event_date=2026-11-21"), SpectrumTables.folders(spark, t));
    assertEquals(List.of(SpectrumSql.createSchema("spectrum", "spectrum", "arn:role"),
        SpectrumSql.dropPartition("spectrum", t, "event_date=2026-11-20")),
        SpectrumSql.plan("spectrum", "spectrum", "arn:role", List.of(t),
            Map.of(t.externalName(), t.columns().stream().map(String::toLowerCase).toList()),
            Map.of(t.externalName(), java.util.Set.of("event_date=2026-11-20", "event_date=2026-11-21")),
            Map.of(table, SpectrumTables.folders(spark, t))));
  }
}
