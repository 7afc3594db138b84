package com.treebo.dataplatform.jobs.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The Redshift statements of the load, as exact text: what PostgreSQL cannot run is checked here. */
class WarehouseSqlTest {
  private final WarehouseSql redshift = new WarehouseSql(true, "dw", "dp_staging");
  private final List<WarehouseColumn> columns = List.of(
      WarehouseColumn.of("fact_room_night", "room_stay_id", DataTypes.LongType, 0),
      WarehouseColumn.of("fact_room_night", "stay_date", DataTypes.DateType, 0),
      WarehouseColumn.of("fact_room_night", "date_key", DataTypes.IntegerType, 0),
      WarehouseColumn.of("fact_room_night", "booking_id", DataTypes.LongType, 0),
      WarehouseColumn.of("fact_room_night", "nightly_rate", DataTypes.createDecimalType(10, 2), 0),
      WarehouseColumn.of("fact_room_night", "adults", DataTypes.ShortType, 0),
      WarehouseColumn.of("fact_room_night", "dq_flags", DataTypes.StringType, 45));

  @Test
  void createsFactsDistributedOnTheBookingAndSortedByDateAndSmallDimensionsEverywhere() {
    assertEquals("CREATE TABLE IF NOT EXISTS \"dw\".\"fact_room_night\" (\"room_stay_id\" BIGINT, \"stay_date\" DATE,"
        + " \"date_key\" INTEGER, \"booking_id\" BIGINT, \"nightly_rate\" NUMERIC(10,2), \"adults\" SMALLINT, \"dq_flags\" VARCHAR(128))"
        + " DISTSTYLE KEY DISTKEY (\"booking_id\") SORTKEY (\"date_key\")", redshift.createTable("fact_room_night", columns));
    assertEquals("CREATE TABLE IF NOT EXISTS \"dw\".\"dim_channel\" (\"channel_key\" BIGINT, \"channel\" VARCHAR(64)) DISTSTYLE ALL",
        redshift.createTable("dim_channel", List.of(WarehouseColumn.of("dim_channel", "channel_key", DataTypes.LongType, 0),
            WarehouseColumn.of("dim_channel", "channel", DataTypes.StringType, 9))));
    assertEquals("CREATE TABLE IF NOT EXISTS \"dw\".\"dim_guest\" (\"guest_key\" BIGINT, \"created_at\" TIMESTAMPTZ)"
        + " DISTSTYLE KEY DISTKEY (\"guest_key\") SORTKEY (\"guest_key\")",
        redshift.createTable("dim_guest", List.of(WarehouseColumn.of("dim_guest", "guest_key", DataTypes.LongType, 0),
            WarehouseColumn.of("dim_guest", "created_at", DataTypes.TimestampType, 0))));
  }

  @Test
  void evolvesByAddingAColumnNeverByRecreating() {
    assertEquals("ALTER TABLE \"dw\".\"dim_channel\" ADD COLUMN \"channel_group\" VARCHAR(64)",
        redshift.addColumn("dim_channel", WarehouseColumn.of("dim_channel", "channel_group", DataTypes.StringType, 12)));
  }

  @Test
  void stagesInATemporaryTableLoadedByCopyOfParquetFromAManifest() {
    assertEquals("CREATE TEMP TABLE \"stage_fact_room_night\" (\"room_stay_id\" BIGINT, \"stay_date\" DATE, \"date_key\" INTEGER,"
        + " \"booking_id\" BIGINT, \"nightly_rate\" NUMERIC(10,2), \"adults\" SMALLINT, \"dq_flags\" VARCHAR(128), \"_op\" VARCHAR(8))",
        redshift.createStage("fact_room_night", "r1", columns));
    assertEquals("COPY \"stage_fact_room_night\" FROM 's3://lake/staging/r1/fact_room_night.manifest'"
        + " IAM_ROLE 'arn:aws:iam::123456789012:role/copy' FORMAT AS PARQUET MANIFEST",
        redshift.copyFromS3("fact_room_night", "r1", "s3://lake/staging/r1/fact_room_night.manifest",
            "arn:aws:iam::123456789012:role/copy"));
  }

  @Test
  void mergesByDeletingWhatTheStageReplacesAndInsertingItsUpsertsOnce() {
    assertEquals("DELETE FROM \"dw\".\"fact_room_night\" USING \"stage_fact_room_night\" WHERE"
        + " \"dw\".\"fact_room_night\".\"room_stay_id\" = \"stage_fact_room_night\".\"room_stay_id\" AND"
        + " \"dw\".\"fact_room_night\".\"stay_date\" = \"stage_fact_room_night\".\"stay_date\"",
        redshift.deleteStaged("fact_room_night", "r1", List.of("room_stay_id", "stay_date")));
    assertEquals("INSERT INTO \"dw\".\"fact_room_night\" (\"room_stay_id\", \"stay_date\", \"date_key\", \"booking_id\","
        + " \"nightly_rate\", \"adults\", \"dq_flags\") SELECT DISTINCT \"room_stay_id\", \"stay_date\", \"date_key\", \"booking_id\","
        + " \"nightly_rate\", \"adults\", \"dq_flags\" FROM \"stage_fact_room_night\" WHERE \"_op\" = 'upsert'",
        redshift.insertStaged("fact_room_night", "r1", columns));
  }

  @Test
  void recordsEachBuildInTheAuditTableOnce() {
    assertEquals("CREATE TABLE IF NOT EXISTS \"dw\".\"dp_load_audit\" (\"build_id\" VARCHAR(64) NOT NULL, \"table_name\" VARCHAR(255)"
        + " NOT NULL, \"delta_version\" BIGINT NOT NULL, \"rows_upserted\" BIGINT NOT NULL, \"rows_deleted\" BIGINT NOT NULL,"
        + " \"load_run_id\" VARCHAR(64) NOT NULL, \"loaded_at\" TIMESTAMPTZ NOT NULL, PRIMARY KEY (\"build_id\", \"table_name\"))"
        + " DISTSTYLE ALL", redshift.createAudit());
    assertEquals("SELECT COUNT(*) FROM \"dw\".\"dp_load_audit\" WHERE \"build_id\" = ?", redshift.auditCount());
    assertEquals("INSERT INTO \"dw\".\"dp_load_audit\" (\"build_id\", \"table_name\", \"delta_version\", \"rows_upserted\","
        + " \"rows_deleted\", \"load_run_id\", \"loaded_at\") VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))", redshift.auditInsert());
  }

  @Test
  void textColumnsAreSizedInBytesWithRoomToGrowAndOtherTypesKeepTheirFidelity() {
    assertEquals(64, WarehouseColumn.widthFor(0));
    assertEquals(128, WarehouseColumn.widthFor(33));
    // A Kannada city name: 9 characters, 27 bytes in UTF-8.
    assertEquals(64, WarehouseColumn.widthFor("ಬೆಂಗಳೂರು".getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    assertEquals(65535, WarehouseColumn.widthFor(40000));
    assertEquals("NUMERIC(12,2)", WarehouseColumn.of("t", "c", DataTypes.createDecimalType(12, 2), 0).sqlType());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WarehouseColumn.of("fact_x", "tags", DataTypes.createArrayType(DataTypes.StringType), 0));
    assertEquals("Cannot load fact_x.tags into the warehouse: its type ARRAY<STRING> has no warehouse column type (model columns"
        + " must be numbers, booleans, dates, timestamps or text)", e.getMessage());
  }
}
