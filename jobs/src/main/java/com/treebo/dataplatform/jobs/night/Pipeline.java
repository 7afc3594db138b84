package com.treebo.dataplatform.jobs.night;

import com.treebo.dataplatform.conf.NightConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamJob;
import com.treebo.dataplatform.jobs.clickstream.ClickstreamSummary;
import com.treebo.dataplatform.jobs.extract.ExtractJob;
import com.treebo.dataplatform.jobs.extract.ExtractOptions;
import com.treebo.dataplatform.jobs.extract.ExtractStage;
import com.treebo.dataplatform.jobs.lake.LakeMaintenance;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.warehouse.LoadStage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The night, defined once: its steps, what each waits for, and what runs it. {@code bin/dataplatform
 * run} executes it in one Spark application; {@code bin/dataplatform emr steps} turns each step into
 * an EMR step ({@code run --only STEP}), and the Airflow DAG in {@code emr/airflow/} is generated from
 * it. Steps are listed in an order that respects their dependencies.
 *
 * <pre>
 *   extract ----\
 *                +--> model --> load --> maintain (every night.maintain-every)
 *   clickstream -/
 * </pre>
 *
 * The clickstream does not need the extract (orders are linked to bookings by the model, which
 * re-links an order whose booking arrives later); the model waits for both, so it reads one night's lake;
 * the load publishes the model's build to the warehouse and replaces the report views; maintenance
 * compacts and vacuums only after the build it could affect is loaded.
 */
public final class Pipeline {
  /**
   * One step of the night.
   *
   * @param name its name: {@code run --only NAME}, the EMR step's name, the Airflow task id
   * @param after the steps it waits for; when one of them fails this night, it does not run
   * @param every for a scheduled step, how often it is due; empty: every night
   * @param continueOnFailure whether the night goes on past a failure of this step (EMR:
   *     {@code ActionOnFailure CONTINUE}); the steps that wait for it do not run either way
   * @param description one line for the plan and the step list
   */
  public record Step(String name, List<String> after, Optional<Duration> every, boolean continueOnFailure, String description,
      Function<Platform, StageReport> action) {
    public Step {
      after = List.copyOf(after);
    }

    /** Whether a scheduled step is due at {@code now}, its last success at {@code last}: after three quarters of its interval. */
    public boolean due(Optional<Instant> last, Instant now) {
      return every.map(e -> last.map(l -> !l.plus(e.minus(e.dividedBy(4))).isAfter(now)).orElse(true)).orElse(true);
    }
  }

  public static final String EXTRACT = "extract";
  public static final String CLICKSTREAM = "clickstream";
  public static final String MODEL = "model";
  public static final String LOAD = "load";
  public static final String MAINTAIN = "maintain";

  private final Map<String, Step> steps;

  private Pipeline(List<Step> steps) {
    Map<String, Step> byName = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (Step s : steps) {
      for (String a : s.after()) {
        if (!seen.contains(a)) {
          throw new IllegalArgumentException("step " + s.name() + " waits for " + a + ", which is not listed before it");
        }
      }
      if (!seen.add(s.name())) {
        throw new IllegalArgumentException("step " + s.name() + " is listed twice");
      }
      byName.put(s.name(), s);
    }
    this.steps = byName;
  }

  /** The night, with the maintenance schedule of {@code night}. */
  public static Pipeline night(NightConfig night) {
    return new Pipeline(List.of(
        new Step(EXTRACT, List.of(), Optional.empty(), true,
            "every configured table into the lake (incremental, snapshot or append; deletes when due)", Pipeline::extract),
        new Step(CLICKSTREAM, List.of(), Optional.empty(), true,
            "every landed clickstream object not read yet into the web tables", Pipeline::clickstream),
        new Step(MODEL, List.of(EXTRACT, CLICKSTREAM), Optional.empty(), false,
            "the star schema from the lake, checked and published", p -> new ModelStage(false).run(p)),
        new Step(LOAD, List.of(MODEL), Optional.empty(), false,
            "the published build into the warehouse, then the report views", p -> new LoadStage().run(p)),
        new Step(MAINTAIN, List.of(LOAD), Optional.of(night.maintainEvery()), true,
            "compact the lake and dw Delta tables by their keys, then VACUUM (retention " + night.vacuumRetention().toDays()
                + " days)", p -> new LakeMaintenance().run(p))));
  }

  /** The steps in run order. */
  public List<Step> steps() {
    return List.copyOf(steps.values());
  }

  public List<String> names() {
    return List.copyOf(steps.keySet());
  }

  /** The step called {@code name}; the error lists the steps there are. */
  public Step step(String name) {
    Step s = steps.get(name);
    if (s == null) {
      throw new IllegalArgumentException("there is no step '" + name + "' in the night; the steps are " + names());
    }
    return s;
  }

  /** {@code name} and every step after it in run order. */
  public List<Step> from(String name) {
    List<String> names = names();
    int i = names.indexOf(step(name).name());
    return steps().subList(i, names.size());
  }

  /** The steps that wait, directly or not, for {@code name}. */
  public Set<String> downstreamOf(String name) {
    Set<String> out = new HashSet<>();
    for (Step s : steps.values()) {
      if (s.after().stream().anyMatch(a -> a.equals(name) || out.contains(a))) {
        out.add(s.name());
      }
    }
    return out;
  }

  private static StageReport extract(Platform platform) {
    List<TableConfig> tables = ExtractJob.select(platform.config(), List.of());
    ExtractJob.validate(platform.config(), tables);
    return new ExtractStage(tables, ExtractOptions.DEFAULT).run(platform);
  }

  private static StageReport clickstream(Platform platform) {
    Instant start = Instant.now();
    ClickstreamSummary s = ClickstreamJob.run(platform, ClickstreamJob.Request.normal());
    s.print(System.out);
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put("objects", (long) s.objectsRead());
    metrics.put("read", s.records());
    metrics.put("quarantined", s.quarantined());
    metrics.put("events", s.eventsInserted());
    metrics.put("sessions", s.sessionsNew() + s.sessionsChanged());
    List<StageReport.Unit> units = new ArrayList<>();
    units.add(new StageReport.Unit(ClickstreamJob.TABLE_ID, Optional.of(s.runId()), metrics, Duration.between(start, Instant.now()),
        Optional.empty()));
    return new StageReport(CLICKSTREAM, units);
  }
}
