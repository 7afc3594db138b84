package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.ExtractMode;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.SourceConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.control.Checkpoint;
import com.treebo.dataplatform.jobs.control.RunCounts;
import com.treebo.dataplatform.jobs.lake.LakeTable;
import com.treebo.dataplatform.jobs.lake.MergeCounts;
import com.treebo.dataplatform.jobs.lake.RawZone;
import com.treebo.dataplatform.jobs.source.SourceCatalog;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import com.treebo.dataplatform.jobs.stage.Faults;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageException;
import com.treebo.dataplatform.jobs.stage.StageRun;
import com.treebo.dataplatform.transforms.Pii;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table's extract, in the order that makes a crash at any point harmless: lock and run record
 * → snapshot and bounds → schema check → deletions counted and guarded → slice to the raw zone →
 * merge into the lake table → deletions flagged → checkpoint. The checkpoint moves last, in the
 * control store, only after the lake commits; a rerun after a crash re-reads from the old checkpoint
 * and the idempotent merge absorbs the repeat.
 */
final class TableExtract {
  private static final Logger LOG = LoggerFactory.getLogger(TableExtract.class);

  private final Platform platform;
  private final SparkSession spark;
  private final PlatformConfig config;
  private final RawZone raw;
  private final byte[] piiKey;
  private final String runId;
  private final ExtractOptions options;

  TableExtract(Platform platform, RawZone raw, byte[] piiKey, String runId, ExtractOptions options) {
    this.platform = platform;
    this.spark = platform.spark();
    this.config = platform.config();
    this.raw = raw;
    this.piiKey = piiKey.clone();
    this.runId = runId;
    this.options = options;
  }

  /** Extracts one table; never throws for a table-level failure (it is recorded and returned). */
  TableResult run(TableConfig table) {
    Instant began = platform.clock().instant();
    String id = table.id();
    StageRun run;
    try {
      run = StageRun.open(platform, ExtractStage.NAME, id, runId);
    } catch (StageException busy) {
      return new TableResult(id, table.mode().configName(), RunCounts.of(0, 0), Duration.ZERO, Optional.of(busy.getMessage()));
    }
    try (run) {
      if (!run.abandoned().isEmpty()) {
        LOG.info("{}: removed raw output of {} abandoned run(s) {}", id, raw.removeRuns(table.lakeName(), run.abandoned()),
            run.abandoned());
      }
      Progress progress = new Progress();
      try {
        RunCounts counts = extract(table, run, platform.control().checkpoints().get(id).orElse(Checkpoint.initial(id)), progress);
        return new TableResult(id, table.mode().configName(), counts, Duration.between(began, platform.clock().instant()),
            Optional.empty());
      } catch (Exception e) {
        String message = StageRun.message(e);
        LOG.error("{}: extract failed: {}", id, message, e);
        if (!progress.lakeCommitted) {
          // Nothing of this run reached the lake: its raw slice (if any) must not outlive it.
          raw.removeRuns(table.lakeName(), List.of(runId));
        }
        run.fail(RunCounts.of(progress.rowsRead, 0), message);
        return new TableResult(id, table.mode().configName(), RunCounts.of(progress.rowsRead, 0),
            Duration.between(began, platform.clock().instant()), Optional.of(message));
      }
    }
  }

  /** How far a table's run got, for its failure record. */
  private static final class Progress {
    long rowsRead;
    boolean lakeCommitted;
  }

  private RunCounts extract(TableConfig table, StageRun run, Checkpoint committed, Progress progress) throws Exception {
    SourceConfig source = config.source(table);
    Instant started = run.startedAt();
    List<String> statsColumns = new ArrayList<>(table.primaryKey());
    table.watermarkColumn().filter(w -> !statsColumns.contains(w)).ifPresent(statsColumns::add);
    LakeTable lake = new LakeTable(spark, config.lake(), config.catalog(), table.lakeName(), table.primaryKey(), statsColumns);
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
      List<StructField> added = lakeSchema.map(s -> SchemaDrift.addedColumns(table.id(), lake.name(), SourceCatalog.schema(columns),
          pgTypes(columns), s)).orElse(List.of());
      // A column added at the source with a DEFAULT fills every existing row without touching the
      // watermark: the whole table is read once, so that the rows already in the lake get it too.
      boolean reload = !added.isEmpty() && table.mode() != ExtractMode.SNAPSHOT;
      if (reload) {
        LOG.warn("{}: the source gained column(s) {}; reading the whole table once so every lake row gets their values",
            table.id(), added.stream().map(StructField::name).toList());
      }
      Optional<String> lower = reload ? Optional.empty()
          : WatermarkRules.lowerBound(table.mode(), checkpoint, config.extract().overlap(), table.rereadIds());
      int slots = spark.sparkContext().defaultParallelism();
      SlicePlan plan = SlicePlanner.plan(snapshot, table, byName, lower, config.extract(), slots);
      run.bounds(lower, table.mode() == ExtractMode.INCREMENTAL
          ? Optional.of(snapshot.clock().committedBefore().toString()) : Optional.empty());
      LOG.info("{}: slice {} ({} rows estimated, {} partition(s)), snapshot {}", table.id(), plan.predicate(),
          plan.estimatedRows(), plan.ranges().size(), snapshot.snapshotId());

      boolean reconcile = table.detectDeletesEvery().isPresent() && lakeSchema.isPresent()
          && (options.reconcileDeletes() || WatermarkRules.deletesDue(table.detectDeletesEvery().get(),
              checkpoint.lastDeleteCheck(), started));
      Optional<Dataset<Row>> missing = Optional.empty();
      if (lakeSchema.isPresent() && (table.mode() == ExtractMode.SNAPSHOT || reconcile)) {
        run.describe("find the rows deleted at the source");
        List<SourceColumn> keyColumns = table.primaryKey().stream().map(byName::get).toList();
        SlicePlan whole = plan.predicate().equals("TRUE") ? plan
            : SlicePlanner.plan(snapshot, table, byName, Optional.empty(), config.extract(), slots);
        Dataset<Row> sourceKeys = SliceReader.read(spark, source.jdbc(), snapshot, table, keyColumns, "TRUE", whole.ranges());
        missing = Optional.of(lake.missingKeys(sourceKeys).persist(StorageLevel.MEMORY_AND_DISK()));
      }
      try {
        long toDelete = missing.map(Dataset::count).orElse(0L);
        guardMassDeletion(table, lake, toDelete);

        // The planner counted a watermarked slice exactly, in this snapshot: an empty one costs no Spark job.
        boolean nothingChanged = lakeSchema.isPresent() && added.isEmpty() && table.mode() != ExtractMode.SNAPSHOT
            && plan.estimatedRows() == 0;
        Written written;
        if (nothingChanged) {
          LOG.info("{}: no row changed since the watermark: nothing to land or merge", table.id());
          written = new Written(0, new MergeCounts(0, 0, 0), Optional.empty());
        } else {
          run.describe("read the slice, land it in the raw zone, merge it into " + lake.name());
          Dataset<Row> slice = Pii.hashColumns(
              SliceReader.read(spark, source.jdbc(), snapshot, table, columns, plan.predicate(), plan.ranges()),
              piiKinds(table), piiKey, config.pii().defaultCountryCode());
          Dataset<Row> records = LakeTable.records(slice, runId, started);
          String rawPath = raw.runPath(table.lakeName(), LocalDate.ofInstant(started, ZoneOffset.UTC), runId);
          written = lakeSchema.isEmpty()
              ? firstLoad(table, lake, records, rawPath, progress)
              : mergeSlice(table, lake, records, rawPath, added, started, progress);
        }

        long deleted = 0;
        if (toDelete > 0) {
          run.describe("flag " + toDelete + " rows deleted in " + lake.name());
          deleted = lake.flagDeleted(missing.get(), runId, started);
        }
        Checkpoint next = WatermarkRules.next(table.mode(), checkpoint, snapshot.clock(), written.maxSeen());
        if (table.detectDeletesEvery().isPresent() && (reconcile || lakeSchema.isEmpty())) {
          // A table just created from this very snapshot counts as reconciled.
          next = next.withLastDeleteCheck(Optional.of(started));
        }
        Faults.at(Faults.AFTER_LAKE_COMMIT, table.id());
        run.describe("publish " + lake.name() + " in the catalog");
        lake.publish(!nothingChanged || deleted > 0);

        RunCounts counts = new RunCounts(written.rowsRead(), written.merged().merged(), deleted, 0);
        run.succeed(counts, Optional.of(next));
        LOG.info("{}: read {}, merged {}, flagged deleted {}; watermark {}", table.id(), written.rowsRead(),
            written.merged().merged(), deleted, next.watermark().orElse("-"));
        return counts;
      } finally {
        missing.ifPresent(Dataset::unpersist);
      }
    }
  }

  /**
   * Stops the table, before anything is written, when it would flag more rows deleted than
   * {@code extract.mass-delete} allows: a TRUNCATE or a table rewrite at the source during a run
   * looks like every row deleted. {@code --confirm-deletes} lets a real mass deletion through.
   */
  private void guardMassDeletion(TableConfig table, LakeTable lake, long toDelete) {
    if (toDelete <= config.extract().massDeleteMinRows() || options.confirmDeletes()) {
      return;
    }
    long live = lake.liveRows();
    double share = live == 0 ? 1 : (double) toDelete / live;
    if (share > config.extract().massDeleteShare()) {
      throw new ExtractException(String.format("Cannot extract %s: this run would flag %,d of the %,d live rows of %s deleted"
          + " (%.0f%%, more than extract.mass-delete.max-share = %.0f%%): the source table looks truncated or rewritten."
          + " Nothing was written. If the rows really were deleted at the source, confirm it with:"
          + " bin/dataplatform extract --tables %s --confirm-deletes", table.id(), toDelete, live, lake.name(), 100 * share,
          100 * config.extract().massDeleteShare(), table.qualifiedName()));
    }
  }

  /** What a slice did to the lake: rows read, the write's counts, and (append mode) the highest id seen. */
  private record Written(long rowsRead, MergeCounts merged, Optional<String> maxSeen) {}

  /** First load: the rows are encoded once, into the new lake table; the raw zone gets byte copies of its files. */
  private Written firstLoad(TableConfig table, LakeTable lake, Dataset<Row> records, String rawPath, Progress progress) {
    LakeTable.Created created = lake.create(records);
    progress.lakeCommitted = true;
    progress.rowsRead = created.rows();
    raw.landCopies(created.dataFiles(), rawPath);
    Faults.at(Faults.AFTER_RAW_WRITE, table.id());
    Optional<String> maxSeen = table.mode() == ExtractMode.APPEND && created.rows() > 0
        ? Optional.of(maxOf(spark.table(lake.name()), table.watermarkColumn().orElseThrow())) : Optional.empty();
    return new Written(created.rows(), new MergeCounts(created.rows(), 0, 0), maxSeen);
  }

  /** Later loads: the slice lands in the raw zone, then is merged from there into the lake table. */
  private Written mergeSlice(TableConfig table, LakeTable lake, Dataset<Row> records, String rawPath, List<StructField> added,
      Instant started, Progress progress) {
    raw.land(records, rawPath);
    Faults.at(Faults.AFTER_RAW_WRITE, table.id());
    Dataset<Row> landed = spark.read().parquet(rawPath);
    // Rows, key bounds (the merge's file pruning) and an append table's highest id: one pass over the slice.
    LakeTable.SliceStats stats = lake.stats(landed, table.mode() == ExtractMode.APPEND ? table.watermarkColumn() : Optional.empty());
    long rows = stats.rows();
    progress.rowsRead = rows;
    Optional<String> maxSeen = stats.highest();
    lake.addColumns(added);
    progress.lakeCommitted = !added.isEmpty();
    MergeCounts merged = rows == 0
        ? new MergeCounts(0, 0, 0)
        : lake.merge(landed, stats, runId, started, table.watermarkColumn());
    progress.lakeCommitted = true;
    return new Written(rows, merged, maxSeen);
  }

  /** The highest value of {@code column}, as text (an aggregate: one row reaches the driver). */
  private static String maxOf(Dataset<Row> rows, String column) {
    return rows.agg(functions.max(column).cast("string")).first().getString(0);
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
