package com.treebo.dataplatform.tests;

import com.treebo.dataplatform.conf.PlatformConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One test's world: source databases {@code <id>_booking} and {@code <id>_inventory}, a control
 * database and a lake root of its own, all on the shared {@link TestPlatform}.
 */
public final class Scenario {
  private final TestPlatform platform;
  private final String id;

  Scenario(TestPlatform platform, String id) {
    this.platform = platform;
    this.id = id;
    for (String db : new String[] {bookingDb(), inventoryDb(), controlDb(), warehouseDb()}) {
      platform.postgres().dropDatabase(db);
      platform.postgres().ensureDatabase(db);
    }
  }

  public String id() {
    return id;
  }

  public String bookingDb() {
    return id + "_booking";
  }

  public String inventoryDb() {
    return id + "_inventory";
  }

  public String controlDb() {
    return id + "_control";
  }

  /** The scenario's local warehouse (PostgreSQL, loaded as Redshift would be). */
  public String warehouseDb() {
    return id + "_warehouse";
  }

  public String lakeRoot() {
    return "s3a://" + TestPlatform.bucket() + "/" + id;
  }

  /** The scenario's model database ({@code model.database}). */
  public String dw() {
    return "dw_" + id;
  }

  /** The scenario's report database ({@code model.report-database}). */
  public String rpt() {
    return "rpt_" + id;
  }

  public TestPlatform platform() {
    return platform;
  }

  /** The scenario's overlay: local runtime, sources and control pointed at its own databases. */
  public String overlay() {
    int port = platform.pgPort();
    return platform.baseOverlay() + """
        lake.root = "%s"
        lake.database = "%s"
        model { database = "dw_%s", report-database = "rpt_%s" }
        warehouse.jdbc-url = "jdbc:postgresql://127.0.0.1:%d/%s"
        control.jdbc-url = "jdbc:postgresql://127.0.0.1:%d/%s"
        sources.booking.jdbc-url = "jdbc:postgresql://127.0.0.1:%d/%s"
        sources.inventory.jdbc-url = "jdbc:postgresql://127.0.0.1:%d/%s"
        """.formatted(lakeRoot(), "lake_" + id, id, id, port, warehouseDb(), port, controlDb(), port, bookingDb(), port, inventoryDb());
  }

  /** The scenario's config, with {@code extraHocon} layered over {@link #overlay()}. */
  public PlatformConfig config(String extraHocon) {
    return PlatformConfig.load(Optional.of(overlay() + "\n" + extraHocon), "scenario " + id);
  }

  public PlatformConfig config() {
    return config("");
  }

  public Connection booking() throws SQLException {
    return DriverManager.getConnection(platform.postgres().jdbcUrl(bookingDb()), "postgres", "");
  }

  public Connection inventory() throws SQLException {
    return DriverManager.getConnection(platform.postgres().jdbcUrl(inventoryDb()), "postgres", "");
  }

  public Connection warehouse() throws SQLException {
    return DriverManager.getConnection(platform.postgres().jdbcUrl(warehouseDb()), "postgres", "");
  }

  public Connection control() throws SQLException {
    return DriverManager.getConnection(platform.postgres().jdbcUrl(controlDb()), "postgres", "");
  }
}
