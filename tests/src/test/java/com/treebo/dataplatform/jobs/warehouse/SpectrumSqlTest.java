package com.treebo.dataplatform.jobs.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.treebo.dataplatform.jobs.catalog.AthenaDdl;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The Athena and Redshift Spectrum statements, as exact text, and what a refresh sends for what Redshift holds. */
class SpectrumSqlTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/dataplatform-spectrum";
  private static final StructType EVENTS = new StructType()
      .add("event_id", DataTypes.StringType)
      .add("event_time", DataTypes.TimestampType)
      .add("revenue", DataTypes.createDecimalType(12, 2))
      .add("page_count", DataTypes.IntegerType)
      .add("is_bot", DataTypes.BooleanType)
      .add("event_date", DataTypes.DateType);
  private static final SpectrumSql.Table WEB = new SpectrumSql.Table("lake.web_events", EVENTS, List.of("event_date"),
      "s3a://treebo-data-lake/tables/web_events");
  private static final SpectrumSql.Table FACT = new SpectrumSql.Table("dw.fact_booking",
      new StructType().add("booking_key", DataTypes.LongType).add("booked_at", DataTypes.TimestampType)
          .add("nights", DataTypes.ShortType).add("amount", DataTypes.DoubleType),
      List.of(), "s3://treebo-data-lake/dw/fact_booking");

  @Test
  void athenaNamesTheLocationAsS3AndTheDeltaTableType() {
    assertEquals("CREATE EXTERNAL TABLE `lake`.`crs_booking`\n"
        + "LOCATION 's3://treebo-data-lake/tables/crs_booking'\n"
        + "TBLPROPERTIES ('table_type' = 'DELTA')", AthenaDdl.create("lake.crs_booking", "s3a://treebo-data-lake/tables/crs_booking"));
  }

  @Test
  void spectrumStatementsAsRedshiftTakesThem() {
    assertEquals("CREATE EXTERNAL SCHEMA IF NOT EXISTS \"spectrum\" FROM DATA CATALOG DATABASE 'spectrum' IAM_ROLE '" + ROLE + "'"
        + " CREATE EXTERNAL DATABASE IF NOT EXISTS", SpectrumSql.createSchema("spectrum", "spectrum", ROLE));
    assertEquals("CREATE EXTERNAL TABLE \"spectrum\".\"lake_web_events\" (\"event_id\" VARCHAR(65535), \"event_time\" TIMESTAMP,"
        + " \"revenue\" DECIMAL(12,2), \"page_count\" INTEGER, \"is_bot\" BOOLEAN) PARTITIONED BY (\"event_date\" DATE)"
        + " ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'"
        + " STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'"
        + " OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'"
        + " LOCATION 's3://treebo-data-lake/tables/web_events/_symlink_format_manifest/'", SpectrumSql.createTable("spectrum", WEB));
    assertEquals("CREATE EXTERNAL TABLE \"spectrum\".\"dw_fact_booking\" (\"booking_key\" BIGINT, \"booked_at\" TIMESTAMP,"
        + " \"nights\" SMALLINT, \"amount\" DOUBLE PRECISION)"
        + " ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'"
        + " STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'"
        + " OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'"
        + " LOCATION 's3://treebo-data-lake/dw/fact_booking/_symlink_format_manifest/'", SpectrumSql.createTable("spectrum", FACT));
    assertEquals(List.of("ALTER TABLE \"spectrum\".\"lake_web_events\" ADD IF NOT EXISTS"
        + " PARTITION (event_date='2026-11-20') LOCATION 's3://treebo-data-lake/tables/web_events/_symlink_format_manifest/event_date=2026-11-20/'"
        + " PARTITION (event_date='2026-11-21') LOCATION 's3://treebo-data-lake/tables/web_events/_symlink_format_manifest/event_date=2026-11-21/'"),
        SpectrumSql.addPartitions("spectrum", WEB, List.of("event_date=2026-11-20", "event_date=2026-11-21")));
    assertEquals("ALTER TABLE \"spectrum\".\"lake_web_events\" DROP PARTITION (event_date='2026-11-19')",
        SpectrumSql.dropPartition("spectrum", WEB, "event_date=2026-11-19"));
  }

  @Test
  void aRefreshAddsOnlyWhatRedshiftLacks() {
    List<String> days = new java.util.ArrayList<>();
    for (int d = 1; d <= 150; d++) {
      days.add("event_date=" + java.time.LocalDate.of(2026, 6, 1).plusDays(d));
    }
    // Nothing in Redshift yet: the schema, both tables, every partition (100 a statement).
    List<String> first = SpectrumSql.plan("spectrum", "spectrum", ROLE, List.of(WEB, FACT), Map.of(), Map.of(),
        Map.of("lake.web_events", days));
    assertEquals(5, first.size(), first.toString());
    assertEquals(100, first.get(2).split(" PARTITION \\(").length - 1);
    assertEquals(50, first.get(3).split(" PARTITION \\(").length - 1);
    assertEquals(SpectrumSql.createTable("spectrum", FACT), first.get(4));

    // As created, with yesterday's partitions: only the new day is added, the day gone from the lake dropped.
    Map<String, List<String>> existing = Map.of(
        "lake_web_events", List.of("event_id varchar(65535)", "event_time timestamp", "revenue decimal(12,2)", "page_count int",
            "is_bot boolean", "event_date date"),
        "dw_fact_booking", List.of("booking_key bigint", "booked_at timestamp", "nights smallint", "amount double"));
    Set<String> held = Set.of(SpectrumSql.folder(WEB, "[\"2026-11-19\"]"), SpectrumSql.folder(WEB, "[\"2026-11-20\"]"));
    assertEquals(List.of(SpectrumSql.createSchema("spectrum", "spectrum", ROLE),
        SpectrumSql.addPartitions("spectrum", WEB, List.of("event_date=2026-11-21")).get(0),
        SpectrumSql.dropPartition("spectrum", WEB, "event_date=2026-11-19")),
        SpectrumSql.plan("spectrum", "spectrum", ROLE, List.of(WEB, FACT), existing, Map.of("lake_web_events", held),
            Map.of("lake.web_events", List.of("event_date=2026-11-20", "event_date=2026-11-21"))));

    // A column the lake gained: the table is created again, with all its partitions.
    StructType wider = EVENTS.add("campaign", DataTypes.StringType);
    SpectrumSql.Table widened = new SpectrumSql.Table("lake.web_events", wider, List.of("event_date"), WEB.location());
    List<String> again = SpectrumSql.plan("spectrum", "spectrum", ROLE, List.of(widened), existing, Map.of("lake_web_events", held),
        Map.of("lake.web_events", List.of("event_date=2026-11-20")));
    assertEquals(List.of(SpectrumSql.createSchema("spectrum", "spectrum", ROLE), SpectrumSql.dropTable("spectrum", widened),
        SpectrumSql.createTable("spectrum", widened), SpectrumSql.addPartitions("spectrum", widened, List.of("event_date=2026-11-20")).get(0)),
        again);
  }
}
