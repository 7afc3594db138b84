package com.treebo.dataplatform.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformConfigTest {

  private static PlatformConfig load(String overlay) {
    return PlatformConfig.load(Optional.of(overlay), "test overlay");
  }

  @Test
  void builtInDefaultsDescribeEveryContractTableAndALocalRun() {
    PlatformConfig c = PlatformConfig.defaults();
    assertEquals(List.of("billing.payment", "crm.guest", "crs.booking", "crs.room_stay", "catalog.city", "catalog.hotel",
        "catalog.hotel_room_type", "catalog.room_type"), c.tables().stream().map(TableConfig::qualifiedName).toList());
    TableConfig guest = c.table("crm.guest").orElseThrow();
    assertEquals(Map.of("full_name", PersonalData.NAME, "email", PersonalData.EMAIL, "phone", PersonalData.PHONE), guest.personalData());
    assertEquals(ExtractMode.SNAPSHOT, c.table("inventory.catalog.city").orElseThrow().mode());
    assertEquals(Optional.of(Duration.ofDays(1)), c.table("crs.room_stay").orElseThrow().detectDeletesEvery());
    assertEquals(List.of("hotel_id", "room_type_id"), c.table("catalog.hotel_room_type").orElseThrow().primaryKey());
    assertTrue(c.local().enabled());
    assertTrue(c.lake().root().startsWith("file:/") && c.lake().root().endsWith("/.dataplatform-local/lake"), c.lake().root());
  }

  @Test
  void aNewSourceTableIsOneConfigBlock() {
    PlatformConfig c = load("sources.booking.tables.\"crs.booking_note\" { primary-key = [note_id], mode = append,"
        + " watermark-column = note_id }");
    TableConfig note = c.table("booking.crs.booking_note").orElseThrow();
    assertEquals("crs_booking_note", note.lakeName());
    assertEquals(Optional.of("note_id"), note.watermarkColumn());
  }

  @Test
  void incrementalTableWithoutItsColumnNamesTheBlock() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load("sources.booking.tables.\"crs.x\" { primary-key = [id], mode = incremental }"));
    assertEquals("Invalid configuration at sources.booking.tables.\"crs.x\": mode incremental needs watermark-column", e.getMessage());
  }

  @Test
  void identifiersThatWouldNeedQuotingAreRefused() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load("sources.booking.tables.\"crs.y\" { primary-key = [\"id; drop table x\"], mode = snapshot }"));
    assertEquals("Invalid configuration at sources.booking.tables.\"crs.y\".primary-key: 'id; drop table x' is not a plain"
        + " lower-case SQL identifier (letters, digits and _, starting with a letter or _, at most 63 characters)", e.getMessage());
  }

  @Test
  void lakeRootMustBeALocalOrS3Uri() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load("lake.root = \"hdfs://nn/lake\""));
    assertEquals("Invalid configuration at lake.root: 'hdfs://nn/lake' must be a file:, s3a:// or s3:// URI", e.getMessage());
    assertEquals("s3://bucket/lake", load("lake.root = \"s3://bucket/lake/\"").lake().root());
  }

  @Test
  void modelParallelTablesIsPositiveAndNamedWhenNot() {
    assertEquals(4, load("").model().parallelTables());
    assertEquals(1, load("model.parallel-tables = 1").model().parallelTables());
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load("model.parallel-tables = 0"));
    assertTrue(e.getMessage().startsWith("Invalid configuration at model.parallel-tables: "), e.getMessage());
  }

  @Test
  void secretsNeverShowInTheRecordsText() {
    PlatformConfig c = load("sources.booking.password = \"hunter2-secret\"\npii.hash-key = \"k3y-secret\"");
    assertEquals("hunter2-secret", c.sources().get(0).jdbc().password().reveal());
    assertFalse(c.toString().contains("hunter2-secret"), c.toString());
    assertFalse(c.toString().contains("k3y-secret"));
  }

  @Test
  void unparseableOverlayNamesItsOrigin() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load("lake { root = "));
    assertTrue(e.getMessage().startsWith("Invalid configuration at test overlay: "), e.getMessage());
  }
}
