package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.ExtractMode;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.SourceConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.control.Checkpoint;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.lake.LakeTable;
import com.treebo.dataplatform.jobs.lake.MergeCounts;
import com.treebo.dataplatform.jobs.lake.RawZone;
import com.treebo.dataplatform.jobs.source.SourceCatalog;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import com.treebo.dataplatform.transforms.Pii;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table's extract, in the order that makes a crash at any point harmless: snapshot and bounds
 * → schema check → slice to the raw zone → merge into the lake table → (deletes) → checkpoint.
 * The checkpoint moves last, in the control store, only after the lake commit; a rerun after a
 * crash re-reads from the old checkpoint and the idempotent merge absorbs the repeat.
 */
final class TableExtract {
  private static final Logger LOG = LoggerFactory.getLogger(TableExtract.class);

  private final SparkSession spark;
  private final PlatformConfig config;
  private final ControlStore control;
  private final RawZone raw;
  private final byte[] piiKey;
  private final String runId;

  TableExtract(SparkSession spark, PlatformConfig config, ControlStore control, RawZone raw, byte[] piiKey, String runId) {
    this.spark = spark;
    this.config = config;
    this.control = control;
    this.raw = raw;
    this.piiKey = piiKey.clone();
    this.runId = runId;
  }

  /**
   * Extracts one table; never throws for a table-level failure (it is recorded and returned).
   *
   * @param reconcileDeletes reconcile hard deletes now, whatever the table's interval
   */
  TableResult run(TableConfig table, boolean reconcileDeletes) {
    Instant started = Instant.now();
    String id = table.id();
    control.startRun(runId, "extract", id, Optional.empty(), Optional.empty());
    RunCounts counts = RunCounts.of(0, 0);
    try {
      List<String> abandoned = control.abandonStaleRuns(id, runId);
      if (!abandoned.isEmpty()) {
        LOG.info("{}: removed raw output of {} abandoned run(s) {}", id, raw.removeRuns(table.lakeName(), abandoned), abandoned);
      }
      spark.sparkContext().setJobGroup("extract " + id, "extract " + id + " (run " + runId + ")", false);
      counts = extract(table, control.checkpoint(id).orElse(Checkpoint.initial(id)), started, reconcileDeletes);
      return new TableResult(id, table.mode().configName(), counts, Duration.between(started, Instant.now()), Optional.empty());
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.error("{}: extract failed: {}", id, message, e);
      control.fail(runId, id, counts, message);
      return new TableResult(id, table.mode().configName(), counts, Duration.between(started, Instant.now()), Optional.of(message));
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  private RunCounts extract(TableConfig table, Checkpoint committed, Instant started, boolean reconcileDeletes) throws Exception {
    SourceConfig source = config.source(table);
    List<String> statsColumns = new java.util.ArrayList<>(table.primaryKey());
    table.watermarkColumn().filter(w -> !statsColumns.contains(w)).ifPresent(statsColumns::add);
    LakeTable lake = new LakeTable(spark, config.lake(), table.lakeName(), table.primaryKey(), statsColumns);
    try (SourceSnapshot snapshot = SourceSnapshot.open(source.name(), source.jdbc())) {
      List<SourceColumn> columns = SourceCatalog.columns(snapshot.connection(), table.schema(), table.table());
      Map<String, SourceColumn> byName = columns.stream()
          .collect(Collectors.toMap(SourceColumn::name, c -> c, (a, b) -> a, LinkedHashMap::new));
      SourceChecks.requireColumns(table, byName);

      Optional<StructType> lakeSchema = lake.dataSchema();
      Checkpoint checkpoint = committed;
      if (lakeSchema.isEmpty() && checkpoint.watermark().isPresent()) {
        LOG.warn("{}: lake table {} is missing but a checkpoint exists; reading the whole table again", table.id(), lake.name());
        checkpoint = Checkpoint.initial(table.id());
      }
      Optional<String> lower = WatermarkRules.lowerBound(table.mode(), checkpoint, config.extract().overlap());
      SlicePlan plan = SlicePlanner.plan(snapshot, table, byName, lower, config.extract(), spark.sparkContext().defaultParallelism());
      control.setBounds(runId, table.id(), lower, table.mode() == ExtractMode.INCREMENTAL
          ? Optional.of(snapshot.clock().committedBefore().toString()) : Optional.empty());
      LOG.info("{}: slice {} ({} rows estimated, {} partition(s)), snapshot {}", table.id(), plan.predicate(),
          plan.estimatedRows(), plan.ranges().size(), snapshot.snapshotId());

      Dataset<Row> slice = Pii.hashColumns(
          SliceReader.read(spark, source.jdbc(), snapshot, table, columns, plan.predicate(), plan.ranges()),
          piiKinds(table), piiKey, config.pii().defaultCountryCode());
      List<StructField> added = lakeSchema.map(s -> SchemaDrift.addedColumns(table.id(), lake.name(), slice.schema(),
          pgTypes(columns), s)).orElse(List.of());
      Dataset<Row> records = LakeTable.records(slice, runId, started);
      String rawPath = raw.runPath(table.lakeName(), LocalDate.ofInstant(started, ZoneOffset.UTC), runId);
      Written written = lakeSchema.isEmpty()
          ? firstLoad(table, lake, records, rawPath)
          : mergeSlice(table, lake, records, rawPath, added, started);

      Checkpoint next = WatermarkRules.next(table.mode(), checkpoint, snapshot.clock(), written.maxSeen());
      long deleted = written.merged().flaggedDeleted();
      if (table.detectDeletesEvery().isPresent()) {
        boolean reconcileNow = lakeSchema.isPresent() && (reconcileDeletes || deletesDue(table, checkpoint, started));
        if (reconcileNow) {
          List<SourceColumn> keyColumns = table.primaryKey().stream().map(byName::get).toList();
          SlicePlan whole = SlicePlanner.plan(snapshot, table, byName, Optional.empty(), config.extract(), spark.sparkContext().defaultParallelism());
          deleted += lake.flagDeleted(SliceReader.read(spark, source.jdbc(), snapshot, table, keyColumns, "TRUE", whole.ranges()),
              runId, started);
        }
        if (reconcileNow || lakeSchema.isEmpty()) {
          // A table just created from this very snapshot counts as reconciled.
          next = next.withLastDeleteCheck(Optional.of(started));
        }
      }
      Faults.at(Faults.AFTER_LAKE_COMMIT, table.id());

      RunCounts counts = new RunCounts(written.rowsRead(), written.merged().merged(), deleted, 0);
      control.succeed(runId, table.id(), counts, Optional.of(next));
      LOG.info("{}: read {}, merged {}, flagged deleted {}; watermark {}", table.id(), written.rowsRead(),
          written.merged().merged(), deleted, next.watermark().orElse("-"));
      return counts;
    }
  }

  /** What a slice did to the lake: rows read, the write's counts, and (append mode) the highest id seen. */
  private record Written(long rowsRead, MergeCounts merged, Optional<String> maxSeen) {}

  /** First load: the rows are encoded once, into the new lake table; the raw zone gets byte copies of its files. */
  private Written firstLoad(TableConfig table, LakeTable lake, Dataset<Row> records, String rawPath) {
    LakeTable.Created created = lake.create(records);
    raw.landCopies(created.dataFiles(), rawPath);
    Faults.at(Faults.AFTER_RAW_WRITE, table.id());
    Optional<String> maxSeen = table.mode() == ExtractMode.APPEND && created.rows() > 0
        ? Optional.of(maxOf(spark.table(lake.name()), table.watermarkColumn().orElseThrow())) : Optional.empty();
    return new Written(created.rows(), new MergeCounts(created.rows(), 0, 0), maxSeen);
  }

  /** Later loads: the slice lands in the raw zone, then is merged from there into the lake table. */
  private Written mergeSlice(TableConfig table, LakeTable lake, Dataset<Row> records, String rawPath, List<StructField> added,
      Instant started) {
    raw.land(records, rawPath);
    Faults.at(Faults.AFTER_RAW_WRITE, table.id());
    Dataset<Row> landed = spark.read().parquet(rawPath);
    long rows = landed.count();
    Optional<String> maxSeen = table.mode() == ExtractMode.APPEND && rows > 0
        ? Optional.of(maxOf(landed, table.watermarkColumn().orElseThrow())) : Optional.empty();
    lake.addColumns(added);
    MergeCounts merged = rows == 0 && table.mode() != ExtractMode.SNAPSHOT
        ? new MergeCounts(0, 0, 0)
        : lake.merge(landed, runId, started, table.mode() == ExtractMode.SNAPSHOT, table.watermarkColumn());
    return new Written(rows, merged, maxSeen);
  }

  /** The highest value of {@code column}, as text (an aggregate: one row reaches the driver). */
  private static String maxOf(Dataset<Row> rows, String column) {
    return rows.agg(functions.max(column).cast("string")).first().getString(0);
  }

  private static boolean deletesDue(TableConfig table, Checkpoint checkpoint, Instant now) {
    return table.detectDeletesEvery()
        .map(every -> checkpoint.lastDeleteCheck().map(last -> !last.plus(every).isAfter(now)).orElse(true))
        .orElse(false);
  }

  private static Map<String, Pii.Kind> piiKinds(TableConfig table) {
    Map<String, Pii.Kind> kinds = new LinkedHashMap<>();
    table.personalData().forEach((column, kind) -> kinds.put(column, Pii.Kind.valueOf(kind.name())));
    return kinds;
  }

  private static Map<String, String> pgTypes(List<SourceColumn> columns) {
    return columns.stream().collect(Collectors.toMap(SourceColumn::name, SourceColumn::pgType, (a, b) -> a));
  }
}
