package com.treebo.dataplatform.jobs.model;

import static org.apache.spark.sql.functions.col;

import com.treebo.dataplatform.conf.ModelConfig;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.Publications;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.control.RunRecord;
import com.treebo.dataplatform.jobs.extract.ExtractStage;
import com.treebo.dataplatform.jobs.runtime.SessionSettings;
import com.treebo.dataplatform.jobs.runtime.SideBySide;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.RunIds;
import com.treebo.dataplatform.jobs.stage.Stage;
import com.treebo.dataplatform.jobs.stage.StageException;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.stage.StageRun;
import com.treebo.dataplatform.model.Changes;
import com.treebo.dataplatform.model.FunnelDaily;
import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/dataplatform model}: the star schema of {@code dimensional-model/BUS-MATRIX.md}, built
 * incrementally from the lake tables and the raw zone into the Delta tables of {@code model.database}
 * ({@code dw}), and {@code rpt.funnel_daily}. One build is one run of the unit
 * {@code model.<database>} (one at a time: a second build waits or stops, see
 * {@link StageRun}):
 * <ol>
 *   <li>inputs: each lake table pinned to its current Delta version, split at the previous
 *       published build's high-water marks ({@link ModelInput});</li>
 *   <li>plan: every table's first contents or changes ({@link ModelBuild}); nothing written;</li>
 *   <li>gates on the changes ({@link ModelGates}); a failure writes nothing;</li>
 *   <li>write: history, dimensions, facts, quarantine, then the report table; each a Delta commit,
 *       up to {@code model.parallel-tables} side by side (plan and gates likewise);</li>
 *   <li>publish: in one control-store transaction the run succeeds with the Delta version and row
 *       count of every table and the inputs' marks ({@link Publications}). The warehouse load reads
 *       exactly those versions; a build that stops before publishing leaves the published model
 *       as it was, and the next build, starting from the same published marks, completes its
 *       changes (every write compares with what is stored).</li>
 * </ol>
 * {@code --rebuild} recomputes every table from the whole raw zone and the lake (history from the raw
 * zone, current state from the lake) and writes only what differs: after a correct night-by-night
 * history, nothing.
 */
public final class ModelStage implements Stage {
  public static final String NAME = "model";
  private static final Logger LOG = LoggerFactory.getLogger(ModelStage.class);
  /** Tables every build writes; a nightly build needs all of them (else it builds fully). */
  static final List<String> TABLES = List.of("hist_catalog_hotel", "hist_catalog_city", "hist_catalog_hotel_room_type", "dim_date",
      "dim_hotel", "dim_hotel_room_type", "dim_guest", "dim_room_type", "dim_channel", "dim_booking_status", "fact_room_night",
      "fact_booking", "fact_payment", "model_quarantine");

  private final boolean rebuild;

  public ModelStage(boolean rebuild) {
    this.rebuild = rebuild;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The model's unit in the run log: {@code model.<database>}. */
  public static String unit(PlatformConfig config) {
    return NAME + "." + config.model().database();
  }

  @Override
  public StageReport run(Platform platform) {
    Instant began = platform.clock().instant();
    String unit = unit(platform.config());
    StageRun run;
    try {
      run = StageRun.open(platform, NAME, unit, RunIds.next(NAME, began));
    } catch (StageException busy) {
      return new StageReport(NAME, List.of(new StageReport.Unit(unit, Optional.empty(), Map.of(), Duration.ZERO,
          Optional.of(busy.getMessage()))));
    }
    try (run) {
      try {
        ModelSummary summary = build(platform, run);
        summary.print(System.out);
        return new StageReport(NAME, List.of(new StageReport.Unit(unit, Optional.of(run.runId()), summary.totals(),
            Duration.between(began, platform.clock().instant()), summary.failure())));
      } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, yet thrown
        String message = StageRun.message(e);
        LOG.error("{}: build failed: {}", unit, message, e);
        run.fail(RunCounts.of(0, 0), message);
        return new StageReport(NAME, List.of(new StageReport.Unit(unit, Optional.of(run.runId()), Map.of(),
            Duration.between(began, platform.clock().instant()), Optional.of(message))));
      }
    }
  }

  private ModelSummary build(Platform platform, StageRun run) {
    PlatformConfig config = platform.config();
    ModelConfig model = config.model();
    SparkSession spark = platform.spark();
    ModelTables dw = new ModelTables(spark, config.lake(), config.catalog(), model.database());
    ModelTables rpt = new ModelTables(spark, config.lake(), config.catalog(), model.reportDatabase());
    ControlStore control = platform.control();
    Optional<Publications.Publication> previous = control.publications().last(NAME, run.unit());
    boolean full = rebuild || previous.isEmpty() || TABLES.stream().anyMatch(t -> !dw.exists(t));
    Map<String, ModelInput> inputs = inputs(platform, full ? Optional.empty() : previous);
    ModelSummary summary = new ModelSummary(run.runId(), full ? (rebuild ? "rebuild" : "full") : "incremental", inputs);
    LocalDate today = TimeZones.kolkataDate(platform.clock().instant());

    if (!full && inputs.values().stream().noneMatch(ModelInput::changedSincePrevious)) {
      // Nothing was extracted or landed since the last build: publish the same versions again (no Spark job).
      summary.notes().add("nothing changed since build " + previous.get().runId());
      publish(run, dw, rpt, inputs, summary);
      return summary;
    }
    ModelBuild plan = new ModelBuild(spark, dw, inputs, full, model.maxStayNights(), model.yearsAhead(), today, run,
        model.parallelTables());
    try {
      long t = System.nanoTime();
      plan.plan(ModelResources.holidays(spark, model), ModelResources.statuses(spark));
      summary.notes().addAll(plan.notes());
      t = summary.lap("plan", t);
      Map<String, Long> expected = ModelGates.expectedCounts(spark, inputs, model.maxStayNights(), model.parallelTables());
      summary.expected().putAll(expected);
      ModelGates gates = new ModelGates(spark, dw, plan.plans(), model.parallelTables());
      run.describe("quality gates on the changes");
      summary.checks().addAll(gates.run(expected, false));
      t = summary.lap("gates", t);
      if (summary.failure().isPresent()) {
        run.fail(RunCounts.of(0, 0), summary.failure().get());
        return summary;
      }
      List<String> created = plan.plans().stream().filter(ModelBuild.Planned::create).map(ModelBuild.Planned::table).toList();
      // Every change set is already computed and kept: the tables are written side by side. The
      // merges' sources are those kept rows (immutable): Delta need not copy them first.
      List<long[]> counts = SessionSettings.with(spark, Map.of(SessionSettings.MERGE_MATERIALIZE_SOURCE, "none"),
          () -> SideBySide.run(spark, model.parallelTables(), plan.plans().stream().map(p -> (Callable<long[]>) () -> {
            run.describe((p.create() ? "create " : "write the changes of ") + dw.qualified(p.table()));
            return write(dw, p);
          }).toList()));
      for (int i = 0; i < counts.size(); i++) {
        summary.written().put(plan.plans().get(i).table(), counts.get(i));
      }
      t = summary.lap("write", t);
      if (!created.isEmpty()) {
        run.describe("quality gates on the tables created");
        summary.checks().addAll(gates.run(expected, true));
        if (summary.failure().isPresent()) {
          created.forEach(dw::drop);
          run.fail(RunCounts.of(0, 0), summary.failure().get() + " The tables this build created were dropped.");
          return summary;
        }
      }
      if (dw.exists("fact_web_session")) {
        run.describe("replace the changed dates of " + rpt.qualified("funnel_daily"));
        summary.written().put("rpt.funnel_daily", SessionSettings.with(spark, Map.of(SessionSettings.MERGE_MATERIALIZE_SOURCE, "none"),
            () -> funnel(dw, rpt, plan, full)));
      }
      summary.lap("gates+report", t);
      publish(run, dw, rpt, inputs, summary);
      return summary;
    } finally {
      plan.release();
    }
  }

  /** Writes one plan; returns {inserted, updated, deleted}. */
  private static long[] write(ModelTables dw, ModelBuild.Planned p) {
    if (p.create()) {
      return new long[] {dw.create(p.table(), p.rows(), p.stats()), 0, 0};
    }
    Row counts = p.rows().groupBy().count().first();
    if (counts.getLong(0) == 0) {
      return new long[] {0, 0, 0};
    }
    return dw.apply(p.table(), p.rows().drop("_new"), p.key(), p.prune());
  }

  /** rpt.funnel_daily for the session dates the build changed in fact_web_session (all, when built fully). */
  private static long[] funnel(ModelTables dw, ModelTables rpt, ModelBuild plan, boolean full) {
    Dataset<Row> facts = dw.read("fact_web_session");
    Optional<ModelBuild.Planned> changed = plan.plans().stream().filter(p -> p.table().equals("fact_web_session")).findFirst();
    if (!full && rpt.exists("funnel_daily") && changed.isPresent() && !changed.get().create()) {
      TreeSet<java.sql.Date> dates = new TreeSet<>();
      changed.get().rows().select("session_date").distinct().collectAsList().forEach(r -> dates.add(r.getDate(0)));
      if (dates.isEmpty()) {
        return new long[] {0, 0, 0};
      }
      Dataset<Row> recomputed = FunnelDaily.build(facts.where(col("session_date").isin(dates.toArray())));
      Dataset<Row> stored = rpt.read("funnel_daily").where(col("event_date").isin(dates.toArray()));
      return rpt.apply("funnel_daily", Changes.of(recomputed, stored, List.of("event_date", "platform")).drop("_new"),
          List.of("event_date", "platform"), "");
    }
    Dataset<Row> all = FunnelDaily.build(facts);
    if (!rpt.exists("funnel_daily")) {
      return new long[] {rpt.create("funnel_daily", all, List.of("event_date", "platform")), 0, 0};
    }
    return rpt.apply("funnel_daily", Changes.of(all, rpt.read("funnel_daily"), List.of("event_date", "platform")).drop("_new"),
        List.of("event_date", "platform"), "");
  }

  /** Records the build as published: its run, the tables' versions and rows, the inputs' marks, in one transaction. */
  private static void publish(StageRun run, ModelTables dw, ModelTables rpt, Map<String, ModelInput> inputs, ModelSummary summary) {
    List<Publications.Output> outputs = new ArrayList<>();
    for (String t : TABLES) {
      if (dw.exists(t)) {
        outputs.add(new Publications.Output(dw.qualified(t), dw.version(t), dw.rows(t)));
      }
    }
    for (String t : List.of("fact_web_session")) {
      if (dw.exists(t)) {
        outputs.add(new Publications.Output(dw.qualified(t), dw.version(t), dw.rows(t)));
      }
    }
    if (rpt.exists("funnel_daily")) {
      outputs.add(new Publications.Output(rpt.qualified("funnel_daily"), rpt.version("funnel_daily"), rpt.rows("funnel_daily")));
    }
    summary.outputs().addAll(outputs);
    run.describe("publish the model's tables in the catalog");
    for (Publications.Output o : outputs) {
      ModelTables tables = o.table().startsWith(rpt.database() + ".") ? rpt : dw;
      tables.publish(o.table().substring(o.table().indexOf('.') + 1));
    }
    List<Publications.Input> records = inputs.values().stream().map(ModelInput::record).toList();
    run.succeed(summary.counts(), Optional.empty(), summary.metrics(),
        c -> Publications.record(c, run.runId(), records, outputs));
  }

  /** Every input, pinned and split at {@code previous}'s marks (none: a full build). */
  static Map<String, ModelInput> inputs(Platform platform, Optional<Publications.Publication> previous) {
    PlatformConfig config = platform.config();
    SparkSession spark = platform.spark();
    Map<String, ModelInput> inputs = new LinkedHashMap<>();
    for (String name : ModelBuild.LAKE_INPUTS) {
      Optional<TableConfig> table = config.tables().stream().filter(t -> t.lakeName().equals(name)).findFirst();
      inputs.put(name, input(platform, name, config.lake().tablePath(name), Optional.of(config.lake().rawPath(name)),
          ExtractStage.NAME, table.map(TableConfig::id), previous));
    }
    inputs.put(ModelBuild.SESSIONS, input(platform, ModelBuild.SESSIONS, config.lake().tablePath(ModelBuild.SESSIONS),
        Optional.empty(), ClickstreamJob.NAME, Optional.of(ClickstreamJob.TABLE_ID), previous));
    return inputs;
  }

  private static ModelInput input(Platform platform, String name, String location, Optional<String> raw, String job,
      Optional<String> unit, Optional<Publications.Publication> previous) {
    SparkSession spark = platform.spark();
    Optional<Instant> before = previous.flatMap(p -> Optional.ofNullable(p.inputs().get(name))).flatMap(Publications.Input::highWater);
    List<ModelInput.Run> runs = unit.map(u -> platform.control().runs().succeededAfter(job, u, before)).orElse(List.of()).stream()
        .map((RunRecord r) -> new ModelInput.Run(r.runId(), r.startedAt())).toList();
    Optional<Instant> highWater = runs.isEmpty() ? before : Optional.of(runs.get(runs.size() - 1).startedAt());
    // Pinned after the marks are read: a run that commits in between is beyond the marks (it started
    // after the last succeeded one) and waits for the next build.
    Optional<Long> version = DeltaTable.isDeltaTable(spark, location)
        ? Optional.of(DeltaTable.forPath(spark, location).history(1).first().<Long>getAs("version")) : Optional.empty();
    return new ModelInput(name, platform.config().lake().qualified(name), location, raw, version, before, highWater, runs,
        new ModelInput.Pinned());
  }
}
