package com.treebo.dataplatform.tests;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.ExtractOptions;
import com.treebo.dataplatform.jobs.extract.TableResult;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Runs the extract job in-process, exactly as the launcher does after parsing its arguments. */
final class Extracts {
  private Extracts() {}

  /** Validates and extracts {@code tables} (all configured ones when none) of the scenario. */
  static List<TableResult> run(Scenario scenario, String hocon, String... tables) {
    return run(scenario, hocon, Clock.systemUTC(), ExtractOptions.DEFAULT, tables);
  }

  /** As {@link #run(Scenario, String, String...)}, at the time {@code clock} tells, with {@code options}. */
  static List<TableResult> run(Scenario scenario, String hocon, Clock clock, ExtractOptions options, String... tables) {
    PlatformConfig config = scenario.config(hocon);
    try (Platform platform = new Platform(config, TestPlatform.get().runtime(), "test extract")) {
      List<TableConfig> selected = ExtractJob.select(config, List.of(tables));
      ExtractJob.validate(config, selected);
      return ExtractJob.run(platform.withClock(clock), selected, options);
    }
  }

  static TableResult runOne(Scenario scenario, String hocon, String table) {
    return run(scenario, hocon, table).get(0);
  }

  /** The lake table {@code lake_<scenario>.<name>} as a Dataset. */
  static Dataset<Row> lake(Scenario scenario, String name) {
    return TestPlatform.get().spark().table("lake_" + scenario.id() + "." + name);
  }

  /** Applies the source contract's DDL (both databases) to the scenario's source databases. */
  static void createContractSchemas(Scenario scenario) throws SQLException {
    try (Connection b = scenario.booking(); Connection i = scenario.inventory()) {
      execute(b, resource("contracts/source/booking.sql"));
      execute(i, resource("contracts/source/inventory.sql"));
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A classpath resource as UTF-8 text (the packaged source contracts). */
  static String resource(String name) {
    try (var in = Extracts.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
