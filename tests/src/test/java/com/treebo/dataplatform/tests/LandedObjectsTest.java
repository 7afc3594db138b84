package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.Secret;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.LandedObjects;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The clickstream ledger of landed objects on both control-store engines (PostgreSQL locally, MySQL/MariaDB in production). */
class LandedObjectsTest {

  private static JdbcConfig database(String engine, String name) {
    return engine.equals("mariadb")
        ? new JdbcConfig(LocalMariaDb.get().newDatabase(name), LocalMariaDb.get().user(), new Secret(LocalMariaDb.get().password()))
        : new JdbcConfig(TestPlatformAccess.newDatabase(name), "postgres", new Secret(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void recordsObjectsOnceAndListsThoseOfTheAskedHours(String engine) {
    String longKey = "s3a://lake/clickstream/landing/year=2026/month=11/day=20/hour=09/" + "ಕ".repeat(600) + "-1.gz";
    try (ControlStore store = ControlStore.open(database(engine, "ledger_" + engine))) {
      LandedObjects ledger = store.landedObjects();
      ledger.record("run-1", List.of(
          new LandedObjects.Entry("s3a://lake/landing/hour=08/a.gz", "2026-11-20T08", 10),
          new LandedObjects.Entry(longKey, "2026-11-20T09", 20),
          new LandedObjects.Entry("s3a://lake/landing/hour=11/c.gz", "2026-11-20T11", 30)));
      assertEquals(Set.of("s3a://lake/landing/hour=08/a.gz", longKey), ledger.recorded("2026-11-20T08", "2026-11-20T10"));
      assertEquals(Set.of(longKey, "s3a://lake/landing/hour=11/c.gz"), ledger.recorded("2026-11-20T09", "2026-11-20T11"));
      assertEquals(Set.of(), ledger.recorded("2026-11-21T00", "2026-11-21T23"));
    }
  }
}
