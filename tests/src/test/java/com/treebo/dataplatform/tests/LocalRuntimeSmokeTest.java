package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The local runtime's parts work together: PostgreSQL as root, S3A on the local server, Delta, metastore. */
class LocalRuntimeSmokeTest {

  /** {@code bin/dataplatform psql}: the server's own psql on the local runtime's port reaches its databases. */
  @Test
  void psqlOfTheLocalRuntimeQueriesItsDatabases() throws Exception {
    java.util.List<String> command = com.treebo.dataplatform.devtools.cli.PsqlCommand.command(TestPlatform.get().postgres(), "postgres",
        java.util.List.of("-A", "-t", "-c", "SELECT 41 + 1"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    org.junit.jupiter.api.Assertions.assertEquals(0, p.waitFor(), out);
    org.junit.jupiter.api.Assertions.assertEquals("42", out);
  }

  @Test
  void deltaTableOnLocalS3IsRegisteredAndReadBackThroughTheMetastore() throws Exception {
    Scenario scenario = TestPlatform.get().newScenario("smoke");
    SparkSession spark = scenario.platform().spark();
    try (Connection c = scenario.booking(); ResultSet rs = c.createStatement().executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
      rs.next();
      assertEquals(true, rs.getInt(1) >= 14, "local PostgreSQL answers");
    }
    String db = "smoke_" + scenario.id();
    spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
    spark.sql("SELECT * FROM VALUES (1, 'Bengaluru'), (2, 'ಮೈಸೂರು') AS t(city_id, city_name)")
        .write().format("delta").option("path", scenario.lakeRoot() + "/smoke").saveAsTable(db + ".city");
    List<Row> rows = spark.sql("SELECT city_name FROM " + db + ".city ORDER BY city_id").collectAsList();
    assertEquals(List.of("Bengaluru", "ಮೈಸೂರು"), rows.stream().map(r -> r.getString(0)).toList());
    String location = spark.sql("DESCRIBE DETAIL " + db + ".city").first().getAs("location");
    assertEquals(scenario.lakeRoot() + "/smoke", location);
  }
}
