package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.SourceConfig;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.Publications;
import com.treebo.dataplatform.jobs.control.RunRecord;
import com.treebo.dataplatform.jobs.extract.SourceSnapshot;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.warehouse.LoadStage;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of {@code status} after the tables: the model's last build (its gates, its tables'
 * rows), the warehouse's last load, and the night's counts side by side, source to warehouse:
 * rows in the source now, live rows in the lake as the last build read them, rows the build
 * published, rows the warehouse holds after the last load. Lake, model and warehouse must agree
 * (a mismatch is flagged); the source may have moved on since the night's extract.
 */
final class NightReport {
  /** One line of the reconciliation: the source table, and the fact that mirrors it. */
  private record Entity(String label, Optional<String> source, Optional<String> sourceSql, String fact) {}

  private static final List<Entity> ENTITIES = List.of(
      new Entity("bookings", Optional.of("booking"), Optional.of("SELECT count(*) FROM crs.booking"), "fact_booking"),
      new Entity("payments", Optional.of("booking"), Optional.of("SELECT count(*) FROM billing.payment"), "fact_payment"),
      new Entity("room nights", Optional.of("booking"),
          Optional.of("SELECT coalesce(sum(checkout_date - checkin_date), 0) FROM crs.room_stay"), "fact_room_night"),
      new Entity("web sessions", Optional.empty(), Optional.empty(), "fact_web_session"));

  private NightReport() {}

  /** Prints the report; returns 1 when the last build or load failed or the counts disagree. */
  static int print(PlatformConfig config, ControlStore control, PrintStream out) {
    int problems = 0;
    String unit = ModelStage.unit(config);
    Optional<Publications.Publication> build = control.publications().last(ModelStage.NAME, unit);
    out.printf("%nmodel (%s)%n", unit);
    List<RunRecord> recent = control.runs().recent(unit, 1);
    if (!recent.isEmpty() && !recent.get(0).status().equals("succeeded")) {
      problems++;
      out.printf("  latest build %s %s: %s%n", recent.get(0).runId(), recent.get(0).status(),
          recent.get(0).error().orElse("").lines().findFirst().orElse(""));
    }
    if (build.isEmpty()) {
      out.println("  no build published yet (bin/dataplatform model)");
      return problems;
    }
    Map<String, Long> modelMetrics = control.runs().metrics(build.get().runId(), unit);
    long gates = modelMetrics.keySet().stream().filter(k -> k.startsWith("gate.")).count();
    out.printf("  published build %s, finished %s; %d gate(s) passed%n", build.get().runId(),
        build.get().finishedAt().map(Object::toString).orElse("-"), gates);
    build.get().outputs().values().forEach(o -> out.printf("    %-40s version %6d %12d rows%n", o.table(), o.deltaVersion(), o.rows()));

    Optional<RunRecord> load = control.runs().recent(LoadStage.UNIT, 1).stream().findFirst();
    Map<String, Long> loadMetrics = load.filter(l -> l.status().equals("succeeded"))
        .map(l -> control.runs().metrics(l.runId(), LoadStage.UNIT)).orElse(Map.of());
    out.printf("%nwarehouse (%s)%n", LoadStage.UNIT);
    if (load.isEmpty()) {
      out.println("  never loaded (bin/dataplatform load)");
    } else {
      out.printf("  latest load %s %s%s%n", load.get().runId(), load.get().status(),
          load.get().error().map(e -> ": " + e.lines().findFirst().orElse("")).orElse(""));
      if (!load.get().status().equals("succeeded")) {
        problems++;
      }
    }

    out.printf("%nthe night, source to warehouse%n  %-14s %12s %12s %12s %12s%n", "", "source now", "lake", "model", "warehouse");
    for (Entity e : ENTITIES) {
      Long lake = modelMetrics.get("lake." + e.fact() + ".expected");
      Long model = Optional.ofNullable(build.get().outputs().get(config.model().database() + "." + e.fact()))
          .map(Publications.Output::rows).orElse(null);
      Long warehouse = loadMetrics.get(e.fact() + ".rows");
      boolean mismatch = (lake != null && model != null && !lake.equals(model))
          || (model != null && warehouse != null && !model.equals(warehouse));
      if (mismatch) {
        problems++;
      }
      out.printf("  %-14s %12s %12s %12s %12s%s%n", e.label(), e.sourceSql().map(q -> sourceCount(config, e.source().get(), q))
          .orElse("-"), show(lake), show(model), show(warehouse), mismatch ? "  MISMATCH" : "");
    }
    return problems == 0 ? 0 : 1;
  }

  private static String show(Long n) {
    return n == null ? "-" : Long.toString(n);
  }

  private static String sourceCount(PlatformConfig config, String source, String sql) {
    Optional<SourceConfig> s = config.sources().stream().filter(x -> x.name().equals(source)).findFirst();
    if (s.isEmpty()) {
      return "-";
    }
    try (Connection c = SourceSnapshot.connect(s.get().name(), s.get().jdbc()); Statement st = c.createStatement()) {
      st.setQueryTimeout(30);
      try (ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return Long.toString(rs.getLong(1));
      }
    } catch (RuntimeException | SQLException e) {
      return "unreachable";
    }
  }
}
