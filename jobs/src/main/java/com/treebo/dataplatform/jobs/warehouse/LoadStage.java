package com.treebo.dataplatform.jobs.warehouse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.WarehouseConfig;
import com.treebo.dataplatform.jobs.control.Checkpoint;
import com.treebo.dataplatform.jobs.control.Publications;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.stage.Faults;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.RunIds;
import com.treebo.dataplatform.jobs.stage.Stage;
import com.treebo.dataplatform.jobs.stage.StageException;
import com.treebo.dataplatform.jobs.stage.StageReport;
import com.treebo.dataplatform.jobs.stage.StageRun;
import com.treebo.dataplatform.model.FactBooking;
import com.treebo.dataplatform.model.FactPayment;
import com.treebo.dataplatform.model.FactRoomNight;
import com.treebo.dataplatform.model.FactWebSession;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * {@code bin/dataplatform load}: the build the model last published, into the warehouse, exactly
 * once, and the report views over it.
 * <ol>
 *   <li>The build: the last published model run and the Delta version of each table it recorded;
 *       a build already in the warehouse's audit table is not loaded again.</li>
 *   <li>Per table, the rows changed between the version last loaded and the published one (the
 *       change data feed, netted per key: {@link ChangeFeed}); a table never loaded goes whole.</li>
 *   <li>Tables are created, and columns the model gained added ({@code ALTER TABLE ... ADD COLUMN}:
 *       never dropped and recreated, which would lose grants and views); a text value longer than
 *       its column stops the load before anything is written, naming table, column and lengths.</li>
 *   <li>Staging, in parallel from the executors ({@link Staging}): PostgreSQL through COPY FROM
 *       STDIN into unlogged stage tables; Redshift through Parquet and a manifest on S3.</li>
 *   <li>One transaction for the whole build: (Redshift: temporary stages and their COPY,) a check
 *       that no load committed this build meanwhile, per table delete the rows the stage replaces or
 *       deletes and insert its upserts, the audit rows, commit. A crash anywhere before the commit
 *       leaves the warehouse as it was, and the rerun loads the build again from the start.</li>
 *   <li>Stages and staged files removed; views replaced; each table's rows counted and recorded.</li>
 * </ol>
 */
public final class LoadStage implements Stage {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoadStage.class);
  public static final String NAME = "load";
  /** The run log's unit of the load. */
  public static final String UNIT = "load.warehouse";

  /** The model tables the warehouse holds, with their keys: dimensions first (facts refer to them). */
  static final Map<String, List<String>> TABLES = tables();

  private final Warehouse.Statements statements;

  public LoadStage() {
    this(Warehouse.Statements.PLAIN);
  }

  /** A load whose statements reach the warehouse through {@code statements} (tests). */
  LoadStage(Warehouse.Statements statements) {
    this.statements = statements;
  }

  private static Map<String, List<String>> tables() {
    Map<String, List<String>> t = new LinkedHashMap<>();
    t.put("dim_date", List.of("date_key"));
    for (String dim : List.of("hotel", "hotel_room_type", "guest", "room_type", "channel", "booking_status")) {
      t.put("dim_" + dim, List.of(dim + "_key"));
    }
    t.put("fact_room_night", FactRoomNight.GRAIN);
    t.put("fact_booking", FactBooking.GRAIN);
    t.put("fact_payment", FactPayment.GRAIN);
    t.put("fact_web_session", FactWebSession.GRAIN);
    return t;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageReport run(Platform platform) {
    Instant began = platform.clock().instant();
    StageRun run;
    try {
      run = StageRun.open(platform, NAME, UNIT, RunIds.next(NAME, began));
    } catch (StageException busy) {
      return new StageReport(NAME, List.of(new StageReport.Unit(UNIT, Optional.empty(), Map.of(), Duration.ZERO,
          Optional.of(busy.getMessage()))));
    }
    try (run) {
      try {
        Map<String, Long> metrics = load(platform, run);
        return new StageReport(NAME, List.of(new StageReport.Unit(UNIT, Optional.of(run.runId()), metrics,
            Duration.between(began, platform.clock().instant()), Optional.empty())));
      } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, yet thrown
        String message = StageRun.message(e);
        run.fail(RunCounts.of(0, 0), message);
        return new StageReport(NAME, List.of(new StageReport.Unit(UNIT, Optional.of(run.runId()), Map.of(),
            Duration.between(began, platform.clock().instant()), Optional.of(message))));
      }
    }
  }

  /** One table of the build: its published version, its changes, its columns in the warehouse. */
  private record Table(String name, long version, List<String> key, ChangeFeed.Changes changes, List<WarehouseColumn> columns,
      long upserts, long deletes, Map<String, Integer> existing, List<String> tooLong) {}

  private Map<String, Long> load(Platform platform, StageRun run) {
    PlatformConfig config = platform.config();
    WarehouseConfig wh = config.warehouse();
    SparkSession spark = platform.spark();
    Publications.Publication build = platform.control().publications().last(ModelStage.NAME, ModelStage.unit(config))
        .orElseThrow(() -> new StageException("Cannot load the warehouse: the model has not published a build yet. Run"
            + " bin/dataplatform model first."));
    WarehouseSql sql = new WarehouseSql(wh.redshift(), wh.schema(), wh.stagingSchema());
    Map<String, Long> metrics = new LinkedHashMap<>();
    List<String> staged = new ArrayList<>();
    try (Warehouse warehouse = Warehouse.open(wh, statements)) {
      warehouse.execute("create the schema " + wh.schema(), sql.createSchema(wh.schema()));
      warehouse.execute("create the schema " + wh.reportSchema(), sql.createSchema(wh.reportSchema()));
      if (!wh.redshift()) {
        warehouse.execute("create the schema " + wh.stagingSchema(), sql.createSchema(wh.stagingSchema()));
      }
      warehouse.execute("create the load audit table", sql.createAudit());
      removeLeftovers(platform, warehouse, sql, wh);
      if (wh.redshift()) {
        // Lake tables Spectrum reads in place: new tables, columns and partitions (their manifests Delta keeps current).
        // Its failure (a role without Glue rights, say) must not hold back the warehouse's own tables: it is
        // reported, counted, and tried again by the next load.
        run.describe("keep Redshift Spectrum's external tables current");
        try {
          SpectrumTables.refresh(spark, warehouse, config.catalog(), config.catalog().spectrumIamRole().orElse(wh.iamRole().orElseThrow()));
        } catch (RuntimeException e) {
          LOG.error("load: Spectrum's external tables were not brought up to date: {}", e.getMessage(), e);
          System.out.println("load: WARNING: Spectrum's external tables (schema " + config.catalog().spectrumSchema() + ") were not"
              + " brought up to date: " + e.getMessage() + " The warehouse load goes on; the next load tries again.");
          metrics.put("spectrum_failed", 1L);
        }
      }
      if (loaded(warehouse, sql, build.runId())) {
        System.out.println("load: build " + build.runId() + " is already in the warehouse; nothing to do");
        metrics.put("already_loaded", 1L);
        run.succeed(RunCounts.of(0, 0), Optional.of(checkpoint(build)), metrics, c -> null);
        return Map.of("upserted", 0L, "deleted", 0L);
      }
      Map<String, Long> lastLoaded = new LinkedHashMap<>();
      warehouse.query("read the load audit", sql.auditLastVersions()).forEach(r -> lastLoaded.put(r[0], Long.parseLong(r[1])));

      // Each table's changes read and measured (Spark), several tables at once: a small table's cost
      // is mostly planning on the driver, which overlaps with another table's scan on the executors.
      run.describe("read and measure the changes of build " + build.runId());
      Map<String, java.util.concurrent.Future<Measured>> pending = new LinkedHashMap<>();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(MEASURE_THREADS);
      List<Table> tables = new ArrayList<>();
      try {
        for (Map.Entry<String, List<String>> t : TABLES.entrySet()) {
          Publications.Output out = build.outputs().get(config.model().database() + "." + t.getKey());
          if (out == null) {
            continue; // not built (its inputs are missing): the model's notes say why
          }
          String location = config.lake().root() + "/" + config.model().database() + "/" + t.getKey();
          Optional<Long> loadedAt = Optional.ofNullable(lastLoaded.get(t.getKey()));
          pending.put(t.getKey(), pool.submit(() -> measure(spark, t.getKey(), location, t.getValue(), loadedAt, out.deltaVersion())));
        }
        for (Map.Entry<String, java.util.concurrent.Future<Measured>> p : pending.entrySet()) {
          Measured m = await(p.getKey(), p.getValue());
          m.changes().note().ifPresent(n -> System.out.println("load: " + p.getKey() + ": " + n));
          tables.add(prepare(warehouse, sql, p.getKey(), build.outputs().get(config.model().database() + "." + p.getKey()).deltaVersion(),
              TABLES.get(p.getKey()), m));
        }
      } catch (RuntimeException e) {
        // Nothing kept behind a failed load: the other tables' reads finish, then are released.
        pending.values().forEach(f -> {
          try {
            f.get().changes().rows().unpersist();
          } catch (Exception ignored) {
            // that read failed too: it kept nothing
          }
        });
        throw e;
      } finally {
        pool.shutdown();
      }
      // Every table checked before any is touched: a value too long for its column stops the whole load here.
      List<String> tooLong = tables.stream().flatMap(t -> t.tooLong().stream()).toList();
      if (!tooLong.isEmpty()) {
        tables.forEach(t -> t.changes().rows().unpersist());
        throw new WarehouseException("Cannot load build " + build.runId() + ": " + String.join("; ", tooLong) + " (UTF-8 bytes, as"
            + " Redshift counts). Nothing was loaded: widen the column (ALTER TABLE ... ALTER COLUMN ... TYPE VARCHAR(n)) and run"
            + " the load again.");
      }
      for (Table t : tables) {
        if (t.existing().isEmpty()) {
          warehouse.execute("create " + t.name(), sql.createTable(t.name(), t.columns()));
        } else {
          for (WarehouseColumn c : t.columns()) {
            if (!t.existing().containsKey(c.name())) {
              warehouse.execute("add the column " + c.name() + " to " + t.name(), sql.addColumn(t.name(), c));
            }
          }
        }
      }

      for (Table t : tables) {
        if (t.upserts() + t.deletes() == 0 && !t.changes().replaceAll()) {
          continue;
        }
        run.describe("stage " + t.upserts() + " upserts and " + t.deletes() + " deletes of " + t.name());
        Dataset<Row> rows = stageColumns(t);
        long began = System.nanoTime();
        if (wh.redshift()) {
          staged.add(t.name());
          Staging.writeParquet(spark, rows, stagingPrefix(wh, run, t.name()));
        } else {
          warehouse.execute("drop the old stage of " + t.name(), sql.dropStage(t.name(), run.runId()));
          warehouse.execute("create the stage of " + t.name(), sql.createStage(t.name(), run.runId(), t.columns()));
          staged.add(t.name());
          Staging.copyIn(rows, wh.jdbc(), sql.copyFromStdin(t.name(), run.runId(), t.columns()));
        }
        LOG.info("{}: {} staged, {} rows ({} ms)", UNIT, t.name(), t.upserts() + t.deletes(), (System.nanoTime() - began) / 1_000_000);
      }

      run.describe("merge the build into the warehouse in one transaction");
      boolean committed = warehouse.inTransaction("load build " + build.runId(), c -> {
        for (Table t : tables) {
          if (staged.contains(t.name()) && wh.redshift()) {
            warehouse.execute(c, sql.createStage(t.name(), run.runId(), t.columns()));
            warehouse.execute(c, sql.copyFromS3(t.name(), run.runId(), stagingPrefix(wh, run, t.name()).replace("s3a://", "s3://")
                + ".manifest", wh.iamRole().orElseThrow()));
          }
        }
        try (PreparedStatement ps = c.prepareStatement(sql.auditCount())) {
          ps.setString(1, build.runId());
          try (var rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
              c.rollback();
              return false; // another load committed this build meanwhile
            }
          }
        }
        for (Table t : tables) {
          if (!staged.contains(t.name())) {
            continue;
          }
          warehouse.execute(c, t.changes().replaceAll() ? sql.deleteAll(t.name()) : sql.deleteStaged(t.name(), run.runId(), t.key()));
          warehouse.execute(c, sql.insertStaged(t.name(), run.runId(), t.columns()));
        }
        Faults.at(Faults.BEFORE_LOAD_COMMIT, UNIT);
        try (PreparedStatement ps = c.prepareStatement(sql.auditInsert())) {
          for (Table t : tables) {
            ps.setString(1, build.runId());
            ps.setString(2, t.name());
            ps.setLong(3, t.version());
            ps.setLong(4, t.upserts());
            ps.setLong(5, t.deletes());
            ps.setString(6, run.runId());
            ps.setString(7, platform.clock().instant().toString());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        return true;
      });

      for (String t : staged) {
        if (wh.redshift()) {
          Staging.remove(spark, stagingPrefix(wh, run, t));
        } else {
          warehouse.execute("drop the stage of " + t, sql.dropStage(t, run.runId()));
        }
      }
      tables.forEach(t -> t.changes().rows().unpersist());
      if (!committed) {
        System.out.println("load: build " + build.runId() + " was committed by another load meanwhile; nothing done");
        run.succeed(RunCounts.of(0, 0), Optional.of(checkpoint(build)), Map.of("already_loaded", 1L), c -> null);
        return Map.of("upserted", 0L, "deleted", 0L);
      }

      run.describe("replace the report views");
      Map<String, String> views = ReportViews.queries(wh.schema());
      boolean bookingTables = tables.stream().anyMatch(t -> t.name().equals("fact_booking"));
      boolean webTables = tables.stream().anyMatch(t -> t.name().equals("fact_web_session"));
      for (Map.Entry<String, String> v : views.entrySet()) {
        if (v.getKey().equals("funnel_daily") ? webTables : bookingTables) {
          warehouse.execute("replace the view " + wh.reportSchema() + "." + v.getKey(),
              ReportViews.create(wh.reportSchema(), v.getKey(), v.getValue()));
        }
      }
      long upserted = 0;
      long deleted = 0;
      for (Table t : tables) {
        long rows = Long.parseLong(warehouse.query("count " + t.name(), sql.count(t.name())).get(0)[0]);
        metrics.put(t.name() + ".rows", rows);
        metrics.put(t.name() + ".upserted", t.upserts());
        metrics.put(t.name() + ".deleted", t.deletes());
        upserted += t.upserts();
        deleted += t.deletes();
        System.out.printf("load: %-22s version %d: %d upserted, %d deleted%s; %d rows in the warehouse%n", t.name(), t.version(),
            t.upserts(), t.deletes(), t.changes().replaceAll() ? " (loaded whole)" : "", rows);
      }
      run.succeed(new RunCounts(upserted + deleted, upserted, deleted, 0), Optional.of(checkpoint(build)), metrics, c -> null);
      Map<String, Long> totals = new LinkedHashMap<>();
      totals.put("upserted", upserted);
      totals.put("deleted", deleted);
      return totals;
    }
  }

  /**
   * Removes what loads that died left staged: PostgreSQL stage tables, Redshift staged files (a
   * temporary stage dies with its session). Only this load runs now: it holds the load's lock.
   */
  private static void removeLeftovers(Platform platform, Warehouse warehouse, WarehouseSql sql, WarehouseConfig wh) {
    if (wh.redshift()) {
      Staging.remove(platform.spark(), wh.staging().orElseThrow());
      return;
    }
    for (String[] t : warehouse.query("list the stage tables left behind", "SELECT table_name FROM information_schema.tables"
        + " WHERE table_schema = ? AND table_name LIKE 'stage\\_%'", wh.stagingSchema())) {
      warehouse.execute("drop the stage table " + t[0] + " left behind", "DROP TABLE IF EXISTS "
          + com.treebo.dataplatform.conf.Identifiers.quote(wh.stagingSchema(), t[0]));
    }
  }

  /** The load's checkpoint: the build it brought into the warehouse. */
  private static Checkpoint checkpoint(Publications.Publication build) {
    return new Checkpoint(UNIT, Optional.of(build.runId()), Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static boolean loaded(Warehouse warehouse, WarehouseSql sql, String buildId) {
    return Long.parseLong(warehouse.query("read the load audit", sql.auditCount(), buildId).get(0)[0]) > 0;
  }

  private static String stagingPrefix(WarehouseConfig wh, StageRun run, String table) {
    String base = wh.staging().orElseThrow();
    return (base.endsWith("/") ? base : base + "/") + run.runId() + "/" + table;
  }

  /** Worker threads reading and measuring the tables' changes at once. */
  private static final int MEASURE_THREADS = 4;

  /** One table's changes, kept, and their measures: upserts, deletes, and the longest text (UTF-8 bytes) of each column. */
  private record Measured(ChangeFeed.Changes changes, long upserts, long deletes, List<StructField> fields, Row stats) {}

  /**
   * Reads a table's changes from its published version (kept: they are measured, then staged) and
   * measures them in one aggregation: the upserts and deletes, and the longest text of each column.
   * A change feed whose files were vacuumed (a build left unloaded beyond the retention) is replaced
   * by the whole table as published, which gives the same rows.
   */
  private static Measured measure(SparkSession spark, String table, String location, List<String> key, Optional<Long> loaded,
      long version) {
    long began = System.nanoTime();
    ChangeFeed.Changes changes = ChangeFeed.read(spark, location, key, loaded, version).persisted();
    Measured m;
    try {
      m = aggregate(changes);
    } catch (Exception e) { // Spark's exceptions are checked in Java's eyes, yet thrown
      changes.rows().unpersist();
      if (changes.replaceAll() || !ChangeFeed.filesGone(e)) {
        throw e;
      }
      changes = ChangeFeed.whole(spark, location, version, "its change feed after version " + loaded.orElse(-1L)
          + " was vacuumed (" + StageRun.message(e) + "): loaded whole").persisted();
      m = aggregate(changes);
    }
    LOG.info("{}: {} read and measured ({} ms)", UNIT, table, (System.nanoTime() - began) / 1_000_000);
    return m;
  }

  private static Measured aggregate(ChangeFeed.Changes changes) {
    Dataset<Row> rows = changes.rows();
    List<StructField> fields = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      if (!f.name().equals(WarehouseSql.OP)) {
        fields.add(f);
      }
    }
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(sum(when(col(WarehouseSql.OP).equalTo("upsert"), lit(1L)).otherwise(lit(0L))));
    aggregates.add(sum(when(col(WarehouseSql.OP).equalTo("delete"), lit(1L)).otherwise(lit(0L))));
    for (StructField f : fields) {
      aggregates.add(f.dataType() instanceof StringType ? max(octet_length(col(f.name()))) : lit(0));
    }
    Row stats = rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
    return new Measured(changes, stats.isNullAt(0) ? 0 : stats.getLong(0), stats.isNullAt(1) ? 0 : stats.getLong(1), fields, stats);
  }

  private static Measured await(String table, java.util.concurrent.Future<Measured> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WarehouseException("Interrupted while reading the changes of " + table, e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new WarehouseException("Cannot read the changes of " + table + ": " + StageRun.message(cause), cause);
    }
  }

  /**
   * Compares the model's columns with the warehouse table's: which exist, and which text would not
   * fit its column.
   */
  private static Table prepare(Warehouse warehouse, WarehouseSql sql, String table, long version, List<String> key, Measured m) {
    List<StructField> fields = m.fields();
    Row stats = m.stats();
    Map<String, Integer> existing = new LinkedHashMap<>();
    warehouse.query("read the columns of " + table, sql.columnsOf(), sqlSchema(sql), table)
        .forEach(r -> existing.put(r[0], r[2] == null ? 0 : Integer.parseInt(r[2])));
    List<WarehouseColumn> columns = new ArrayList<>();
    List<String> tooLong = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      StructField f = fields.get(i);
      int longest = stats.isNullAt(i + 2) ? 0 : ((Number) stats.get(i + 2)).intValue();
      WarehouseColumn column = WarehouseColumn.of(table, f.name(), f.dataType(), longest);
      Integer width = existing.get(f.name());
      if (width != null && column.varcharBytes() > 0) {
        if (longest > width) {
          tooLong.add(table + "." + f.name() + " holds VARCHAR(" + width + ") but a value to load is " + longest + " bytes long");
        }
        column = new WarehouseColumn(f.name(), "VARCHAR(" + width + ")", f.dataType(), width);
      }
      columns.add(column);
    }
    return new Table(table, version, key, m.changes(), columns, m.upserts(), m.deletes(), existing, tooLong);
  }

  /** The schema name as information_schema holds it. */
  private static String sqlSchema(WarehouseSql sql) {
    String target = sql.target("x");
    return target.substring(1, target.indexOf('"', 1));
  }

  /** The change set's columns in the stage's order: the table's columns, then {@code _op}. */
  private static Dataset<Row> stageColumns(Table t) {
    List<Column> cols = new ArrayList<>();
    t.columns().forEach(c -> cols.add(col(c.name())));
    cols.add(col(WarehouseSql.OP));
    return t.changes().rows().select(cols.toArray(Column[]::new));
  }
}
