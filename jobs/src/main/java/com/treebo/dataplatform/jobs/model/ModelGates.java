package com.treebo.dataplatform.jobs.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.treebo.dataplatform.jobs.runtime.SideBySide;
import com.treebo.dataplatform.model.Bounds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The data-quality gates a build must pass before it is published: every planned table's keys
 * unique, every fact's dimension keys found in the dimensions as they will be (an inferred member
 * counts), every measure within its declared {@link Bounds}, and the facts' row counts equal to what
 * the lake holds (live bookings, payments, nights of live stays, sessions). Flagged rows
 * ({@code dq_flags}) pass: they are counted, not stopped.
 *
 * <p>For a table the build changes, the gates look at its change set and what is stored, before
 * anything is written ({@code after} false): a failed gate writes nothing. For a table the build
 * creates (the first build), at the table once written ({@code after} true: one columnar scan per
 * gate instead of computing the rows again for each): a failed gate drops what the build created.
 * Either way nothing is published.
 */
final class ModelGates {
  /** One gate's outcome: how many rows fail it (0 passes). */
  record Check(String name, long failing) {
    boolean passed() {
      return failing == 0;
    }
  }

  /** The dimension keys each fact carries, by the dimension table they refer to. */
  static final Map<String, List<String>> FOREIGN_KEYS = Map.of(
      "fact_room_night", List.of("date_key:dim_date", "hotel_key:dim_hotel", "room_type_key:dim_room_type",
          "guest_key:dim_guest", "channel_key:dim_channel", "booking_status_key:dim_booking_status"),
      "fact_booking", List.of("created_date_key:dim_date", "confirmed_date_key:dim_date", "checkin_date_key:dim_date",
          "checkout_date_key:dim_date", "cancelled_date_key:dim_date", "hotel_key:dim_hotel", "guest_key:dim_guest",
          "channel_key:dim_channel", "booking_status_key:dim_booking_status"),
      "fact_payment", List.of("date_key:dim_date", "hotel_key:dim_hotel", "guest_key:dim_guest"),
      "fact_web_session", List.of("date_key:dim_date", "hotel_key:dim_hotel", "guest_key:dim_guest"));

  private final SparkSession spark;
  private final ModelTables dw;
  private final Map<String, ModelBuild.Planned> plans = new LinkedHashMap<>();
  private final int parallel;

  /** {@code parallel}: how many gates run side by side ({@link SideBySide}). */
  ModelGates(SparkSession spark, ModelTables dw, List<ModelBuild.Planned> planned, int parallel) {
    this.spark = spark;
    this.dw = dw;
    this.parallel = parallel;
    planned.forEach(p -> plans.put(p.table(), p));
  }

  /**
   * Runs the gates of the tables the build changes ({@code after} false, before writing) or creates
   * ({@code after} true, once written). {@code expected}: the facts' row counts the lake implies
   * (see {@link #expectedCounts}).
   */
  List<Check> run(Map<String, Long> expected, boolean after) {
    List<Callable<List<Check>>> gates = new ArrayList<>();
    for (ModelBuild.Planned p : plans.values()) {
      if (p.create() != after) {
        continue;
      }
      gates.add(() -> {
        Column[] key = p.key().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        long duplicates = written(p).groupBy(key).count().where(col("count").gt(1)).count();
        return List.of(new Check(p.table() + ": " + String.join(", ", p.key()) + " unique", duplicates));
      });
    }
    for (Map.Entry<String, List<String>> fact : FOREIGN_KEYS.entrySet()) {
      ModelBuild.Planned p = plans.get(fact.getKey());
      if (p == null || p.create() != after) {
        continue;
      }
      gates.add(() -> factChecks(fact.getKey(), written(p), fact.getValue(), after));
    }
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      if (plans.containsKey(e.getKey()) && plans.get(e.getKey()).create() == after) {
        gates.add(() -> {
          long rows = rowsAfter(plans.get(e.getKey()));
          return List.of(new Check(e.getKey() + " rows (" + rows + ") reconcile with the lake (" + e.getValue() + ")",
              Math.abs(rows - e.getValue())));
        });
      }
    }
    return SideBySide.run(spark, parallel, gates).stream().flatMap(List::stream).toList();
  }

  /**
   * The facts' row counts the lake implies: live bookings, live payments, nights of the live stays
   * that can be placed, web sessions. Scans of a few columns of each lake table.
   */
  static Map<String, Long> expectedCounts(SparkSession spark, Map<String, ModelInput> inputs, int maxStayNights, int parallel) {
    List<String> facts = new ArrayList<>();
    List<Callable<Long>> counts = new ArrayList<>();
    if (ModelBuild.LAKE_INPUTS.stream().allMatch(n -> inputs.get(n).exists())) {
      facts.add("fact_booking");
      counts.add(() -> live(spark, inputs.get("crs_booking")).count());
      facts.add("fact_payment");
      counts.add(() -> live(spark, inputs.get("billing_payment")).count());
      facts.add("fact_room_night");
      counts.add(() -> {
        Column nights = datediff(col("checkout_date"), col("checkin_date"));
        Row r = live(spark, inputs.get("crs_room_stay")).where(nights.between(1, maxStayNights)).agg(sum(nights)).first();
        return r.isNullAt(0) ? 0L : r.getLong(0);
      });
    }
    if (inputs.get(ModelBuild.SESSIONS).exists()) {
      facts.add("fact_web_session");
      counts.add(() -> inputs.get(ModelBuild.SESSIONS).current(spark).count());
    }
    List<Long> values = SideBySide.run(spark, parallel, counts);
    Map<String, Long> expected = new LinkedHashMap<>();
    for (int i = 0; i < facts.size(); i++) {
      expected.put(facts.get(i), values.get(i));
    }
    return expected;
  }

  private static Dataset<Row> live(SparkSession spark, ModelInput input) {
    return input.current(spark).where(col("_deleted").equalTo(false));
  }

  /**
   * A fact's foreign-key and bounds gates in one scan of its rows: each small dimension's keys are
   * broadcast and left-joined, the misses and the out-of-bounds values counted together; the guest
   * dimension (large) is checked by an anti-join of the fact's distinct guest keys.
   */
  private List<Check> factChecks(String fact, Dataset<Row> rows, List<String> foreignKeys, boolean after) {
    List<Check> checks = new ArrayList<>();
    Dataset<Row> joined = rows;
    List<Column> counts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int i = 0;
    for (String fk : foreignKeys) {
      String column = fk.substring(0, fk.indexOf(':'));
      String dim = fk.substring(fk.indexOf(':') + 1);
      if (!plans.containsKey(dim) && !dw.exists(dim)) {
        continue; // a dimension this build could not build (its inputs are missing): the build's notes say so
      }
      if (dim.equals("dim_guest")) {
        long unresolved = rows.select(col(column).cast("bigint").as("k")).distinct()
            .join(dimensionKeys(dim, after), new String[] {"k"}, "left_anti").count();
        checks.add(new Check(fact + "." + column + " found in " + dim, unresolved));
        continue;
      }
      String alias = "_fk" + i++;
      Dataset<Row> keys = org.apache.spark.sql.functions.broadcast(dimensionKeys(dim, after).distinct()
          .select(col("k").as(alias)));
      joined = joined.join(keys, col(column).cast("bigint").equalTo(col(alias)), "left");
      counts.add(sum(org.apache.spark.sql.functions.when(col(alias).isNull(), lit(1L)).otherwise(lit(0L))));
      names.add(fact + "." + column + " found in " + dim);
    }
    for (Bounds b : Bounds.of(fact)) {
      counts.add(sum(org.apache.spark.sql.functions.when(b.violated(), lit(1L)).otherwise(lit(0L))));
      names.add(b.toString());
    }
    if (!counts.isEmpty()) {
      Row r = joined.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
      for (int c = 0; c < names.size(); c++) {
        checks.add(new Check(names.get(c), r.isNullAt(c) ? 0 : r.getLong(c)));
      }
    }
    return checks;
  }

  /** The rows a plan writes: the created table as written, the upserts of a change set. */
  private Dataset<Row> written(ModelBuild.Planned p) {
    return p.create() ? dw.read(p.table()) : p.rows().where(col("_op").equalTo("upsert"));
  }

  /** The keys a dimension holds once the build is written ({@code k}). */
  private Dataset<Row> dimensionKeys(String dim, boolean after) {
    String keyColumn = dim.equals("dim_date") ? "date_key" : dim.substring(4) + "_key";
    Optional<ModelBuild.Planned> p = Optional.ofNullable(plans.get(dim));
    if (after) {
      return dw.read(dim).select(col(keyColumn).cast("bigint").as("k"));
    }
    if (p.isPresent() && p.get().create()) {
      return p.get().rows().select(col(keyColumn).cast("bigint").as("k"));
    }
    Dataset<Row> stored = dw.exists(dim) ? dw.read(dim).select(col(keyColumn).cast("bigint").as("k"))
        : spark.sql("SELECT CAST(-1 AS BIGINT) AS k");
    if (p.isEmpty()) {
      return stored;
    }
    Dataset<Row> changes = p.get().rows();
    return stored.join(changes.where(col("_op").equalTo("delete")).select(col(keyColumn).cast("bigint").as("k")), new String[] {"k"},
            "left_anti")
        .unionByName(changes.where(col("_op").equalTo("upsert")).select(col(keyColumn).cast("bigint").as("k")));
  }

  /** A table's rows once the plan is written. */
  private long rowsAfter(ModelBuild.Planned p) {
    if (p.create()) {
      return dw.rows(p.table());
    }
    Row counts = p.rows().agg(sum(org.apache.spark.sql.functions.when(col("_new"), lit(1L)).otherwise(lit(0L))),
        sum(org.apache.spark.sql.functions.when(col("_op").equalTo("delete"), lit(1L)).otherwise(lit(0L)))).first();
    long inserted = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long deleted = counts.isNullAt(1) ? 0 : counts.getLong(1);
    return dw.rows(p.table()) + inserted - deleted;
  }
}
