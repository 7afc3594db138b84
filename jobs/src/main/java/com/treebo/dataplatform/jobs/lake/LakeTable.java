package com.treebo.dataplatform.jobs.lake;

import com.treebo.dataplatform.conf.CatalogConfig;
import com.treebo.dataplatform.conf.Identifiers;
import com.treebo.dataplatform.conf.LakeConfig;
import com.treebo.dataplatform.jobs.catalog.Publication;
import com.treebo.dataplatform.jobs.runtime.SessionSettings;
import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One source table's current state in the lake: a Delta table at {@code <lake.root>/tables/<name>},
 * registered in the metastore as {@code lake.<name>}, one row per primary key, plus system columns:
 * {@code _deleted} (gone from the source), {@code _deleted_at} (when the platform noticed),
 * {@code _seen_at} (when the platform wrote this version of the row) and {@code _run_id}.
 *
 * <p>Writes are idempotent by key, which is what makes a rerun after a crash exact: merging the
 * same slice twice leaves the table as merging it once (a row is rewritten only if it differs), and
 * a row's newer version (by its watermark column) is never replaced by an older one.
 *
 * <p>Delta keeps file statistics on the key, the watermark and {@code _seen_at}/{@code _deleted_at}
 * only: the merge prunes files by key, and the model finds the rows changed since its last build by
 * the time the platform wrote them.
 */
public final class LakeTable {
  public static final List<String> SYSTEM_COLUMNS = List.of("_deleted", "_deleted_at", "_seen_at", "_run_id", "_row_hash");
  /** System columns Delta keeps statistics for (besides key and watermark). */
  private static final List<String> SYSTEM_STATS_COLUMNS = List.of("_seen_at", "_deleted_at");

  private final SparkSession spark;
  private final String qualified;
  private final String path;
  private final List<String> key;
  private final List<String> statsColumns;
  private final CatalogConfig catalog;

  /**
   * @param key the primary key columns
   * @param statsColumns the columns Delta keeps file statistics for (key and watermark: what
   *     queries filter on); statistics on every column would cost more to write than they save
   * @param catalog how the table is published beyond Spark (Athena's entry, Spectrum's manifest)
   */
  public LakeTable(SparkSession spark, LakeConfig lake, CatalogConfig catalog, String name, List<String> key, List<String> statsColumns) {
    this.spark = spark;
    this.catalog = catalog;
    this.qualified = lake.qualified(name);
    this.path = lake.tablePath(name);
    this.key = List.copyOf(key);
    List<String> stats = new ArrayList<>(statsColumns);
    SYSTEM_STATS_COLUMNS.stream().filter(c -> !stats.contains(c)).forEach(stats::add);
    this.statsColumns = List.copyOf(stats);
    spark.sql("CREATE DATABASE IF NOT EXISTS " + q(lake.database()));
  }

  public String name() {
    return qualified;
  }

  /**
   * The table's data columns (system columns left out), if it exists. A Delta table found at the
   * path but missing from the metastore (a crash between the two) is registered first. A table
   * registered in the metastore whose files are gone (a lake folder deleted, an S3 prefix emptied)
   * is an error naming the table, its location and the ways out.
   */
  public Optional<StructType> dataSchema() {
    boolean registered = spark.catalog().tableExists(qualified);
    boolean files = DeltaTable.isDeltaTable(spark, path);
    if (!registered && files) {
      spark.sql("CREATE TABLE IF NOT EXISTS " + qualifiedQuoted() + " USING delta LOCATION " + Identifiers.literalSpark(path));
      registered = true;
    }
    if (!registered) {
      return Optional.empty();
    }
    if (!files) {
      throw new LakeTableException("Lake table " + qualified + " is registered in the metastore at " + location()
          + ", but no Delta table is there (its folder was deleted or its S3 prefix emptied). Either restore the files"
          + " at that location, or drop the registration (bin/dataplatform sql \"DROP TABLE " + qualified + "\") so that"
          + " the next run loads the table again from its source. Nothing was written to it.");
    }
    StructField[] data = Arrays.stream(spark.table(qualified).schema().fields())
        .filter(f -> !SYSTEM_COLUMNS.contains(f.name())).toArray(StructField[]::new);
    return Optional.of(new StructType(data));
  }

  /** Where the metastore says the table is (falling back to the configured path). */
  private String location() {
    int dot = qualified.indexOf('.');
    try {
      return spark.sharedState().externalCatalog().getTable(qualified.substring(0, dot), qualified.substring(dot + 1))
          .location().toString();
    } catch (RuntimeException e) {
      return path;
    }
  }

  /** Adds columns that appeared at the source; older rows read them as null. */
  public void addColumns(List<StructField> columns) {
    if (columns.isEmpty()) {
      return;
    }
    String list = columns.stream().map(c -> q(c.name()) + " " + c.dataType().sql()).collect(Collectors.joining(", "));
    spark.sql("ALTER TABLE " + qualifiedQuoted() + " ADD COLUMNS (" + list + ")");
  }

  /**
   * The lake record of a slice: its columns plus the system columns, as written to both the raw
   * zone and the lake table ({@code _deleted} false, {@code _deleted_at} null, {@code _seen_at} the
   * run's start, {@code _run_id}, and {@code _row_hash}, a 64-bit hash of the data columns that
   * lets a merge tell a changed row without reading every column of the table).
   */
  public static Dataset<Row> records(Dataset<Row> slice, String runId, Instant seenAt) {
    Column[] data = Arrays.stream(slice.columns()).map(functions::col).toArray(Column[]::new);
    return slice
        .withColumn("_deleted", functions.lit(false))
        .withColumn("_deleted_at", functions.lit(null).cast(DataTypes.TimestampType))
        .withColumn("_seen_at", timestamp(seenAt))
        .withColumn("_run_id", functions.lit(runId))
        .withColumn("_row_hash", functions.xxhash64(data));
  }

  /**
   * Creates and registers the table from its first slice's {@link #records} in one Delta commit
   * (CREATE TABLE ... AS SELECT), no merge. Returns the rows written and the table's data files,
   * which the raw zone copies.
   *
   * <p>Deletion vectors are on: a nightly 1% of updates scattered over every file then marks the
   * old rows deleted instead of rewriting every file (readers need Delta 2.3+ or a reader that
   * supports the deletionVectors table feature), unless Spectrum reads the table
   * ({@link Publication#creationProperties}).
   */
  public Created create(Dataset<Row> records) {
    removeUncommittedFiles();
    String view = "new_" + qualified.replaceAll("[^A-Za-z0-9]", "_");
    records.createOrReplaceTempView(view);
    try {
      spark.sql("CREATE TABLE " + qualifiedQuoted() + " USING delta LOCATION " + Identifiers.literalSpark(path)
          + " TBLPROPERTIES (" + Publication.tblProperties(Publication.creationProperties(catalog, qualified, true))
          + ", 'delta.dataSkippingStatsColumns' = '" + String.join(",", statsColumns) + "') AS SELECT * FROM " + q(view));
    } finally {
      spark.catalog().dropTempView(view);
    }
    // The commit's own metrics and file list: no second pass over the data.
    Row commit = spark.sql("DESCRIBE HISTORY " + qualifiedQuoted() + " LIMIT 1").first();
    scala.collection.Map<String, String> metrics = commit.getAs("operationMetrics");
    long rows = Long.parseLong(metrics.getOrElse("numOutputRows", () -> "0"));
    return new Created(rows, spark.read().format("delta").load(path).inputFiles());
  }

  /**
   * What a landed slice holds, from one aggregate (one Spark job over the slice): its rows, the
   * bounds of its key (a single integral key only) and the highest value of {@code highest} (an
   * append table's id), as text.
   */
  public record SliceStats(long rows, Optional<long[]> keyBounds, Optional<String> highest) {}

  /** The {@link SliceStats} of {@code landed}; {@code highest}: the column whose maximum to report, if any. */
  public SliceStats stats(Dataset<Row> landed, Optional<String> highest) {
    List<Column> aggs = new ArrayList<>(List.of(functions.count(functions.lit(1))));
    boolean integralKey = key.size() == 1 && isIntegral(landed.schema().apply(key.get(0)).dataType());
    if (integralKey) {
      aggs.add(functions.min(key.get(0)).cast("long"));
      aggs.add(functions.max(key.get(0)).cast("long"));
    }
    highest.ifPresent(h -> aggs.add(functions.max(h).cast("string")));
    Row r = landed.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    int i = 1;
    Optional<long[]> bounds = Optional.empty();
    if (integralKey) {
      bounds = r.isNullAt(1) ? Optional.empty() : Optional.of(new long[] {r.getLong(1), r.getLong(2)});
      i = 3;
    }
    Optional<String> max = highest.isPresent() && !r.isNullAt(i) ? Optional.of(r.getString(i)) : Optional.empty();
    return new SliceStats(r.getLong(0), bounds, max);
  }

  private static boolean isIntegral(DataType type) {
    return type instanceof LongType || type instanceof IntegerType || type instanceof ShortType;
  }

  /**
   * {@code AND t.key >= min AND t.key <= max} over the slice's keys, for a single integral key: a
   * target row outside can match no slice row, and Delta skips every file whose key statistics lie
   * outside, so a night whose changes cluster on recent keys reads only the recent files. Empty for
   * other keys.
   */
  private String keyRange(SliceStats stats) {
    return stats.keyBounds().map(b -> " AND t." + q(key.get(0)) + " >= " + b[0] + " AND t." + q(key.get(0)) + " <= " + b[1])
        .orElse("");
  }

  /** Files at the table's path without a Delta log are a crashed first load's leftovers: nothing refers to them. */
  private void removeUncommittedFiles() {
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path);
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(dir) && !DeltaTable.isDeltaTable(spark, path)) {
        fs.delete(dir, true);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot clear the uncommitted files of " + qualified + " at " + path + ": " + e.getMessage(), e);
    }
  }

  /** What {@link #create} wrote. */
  public record Created(long rows, String[] dataFiles) {}

  /**
   * Merges a slice's {@link #records} (unique keys, current source state) into the table: new keys
   * inserted, changed rows updated, a row flagged deleted and seen again revived. {@code watermark}
   * is the table's watermark column, if it has one. Deletions are flagged separately
   * ({@link #flagDeleted}).
   *
   * <p>Cost: a Delta MERGE, a join of the slice with the table rewriting only files that hold
   * changed rows (deletion vectors mark the old rows). Merging the same slice twice changes nothing
   * the second time.
   */
  public MergeCounts merge(Dataset<Row> records, String runId, Instant seenAt, Optional<String> watermark) {
    return merge(records, stats(records, Optional.empty()), runId, seenAt, watermark);
  }

  /** {@link #merge(Dataset, String, Instant, Optional)} with the slice's {@link #stats} known. */
  public MergeCounts merge(Dataset<Row> records, SliceStats stats, String runId, Instant seenAt, Optional<String> watermark) {
    StructType lakeSchema = dataSchema().orElseThrow(() -> new IllegalStateException(qualified + " does not exist"));
    if (!Arrays.asList(spark.table(qualified).columns()).contains("_row_hash")) {
      // Tables written before the hash existed: old rows compare as changed once, then carry one.
      spark.sql("ALTER TABLE " + qualifiedQuoted() + " ADD COLUMNS (_row_hash BIGINT)");
    }
    List<String> columns = new ArrayList<>();
    List<Column> aligned = new ArrayList<>();
    for (String c : records.columns()) {
      if (!SYSTEM_COLUMNS.contains(c)) {
        columns.add(c);
        aligned.add(functions.col(c).cast(lakeSchema.apply(c).dataType()).as(c));
      }
    }
    for (String c : SYSTEM_COLUMNS) {
      aligned.add(functions.col(c));
    }
    String view = "slice_" + runId.replaceAll("[^A-Za-z0-9]", "_");
    records.select(aligned.toArray(Column[]::new)).createOrReplaceTempView(view);
    try {
      String on = key.stream().map(k -> "t." + q(k) + " = s." + q(k)).collect(Collectors.joining(" AND "))
          + keyRange(stats);
      // A row changed when its watermark or its hash differs: the merge then reads only key, watermark, hash
      // and _deleted of the table to find its matches. A table without a watermark (snapshot mode, small)
      // compares every column, so not even a hash collision could hide a change. A slice never replaces
      // a newer version of a row (a higher watermark) with an older one.
      String same = watermark
          .map(w -> "t." + q(w) + " <=> s." + q(w) + " AND t._row_hash <=> s._row_hash")
          .orElseGet(() -> columns.stream().map(c -> "t." + q(c) + " <=> s." + q(c)).collect(Collectors.joining(" AND ")));
      String notOlder = watermark.map(w -> " AND (t." + q(w) + " IS NULL OR s." + q(w) + " >= t." + q(w) + ")").orElse("");
      String set = columns.stream().map(c -> "t." + q(c) + " = s." + q(c)).collect(Collectors.joining(", "));
      String insertColumns = columns.stream().map(LakeTable::q).collect(Collectors.joining(", "));
      String insertValues = columns.stream().map(c -> "s." + q(c)).collect(Collectors.joining(", "));
      String sql = "MERGE INTO " + qualifiedQuoted() + " t USING " + q(view) + " s ON " + on
          + " WHEN MATCHED AND (t._deleted OR NOT (" + same + "))" + notOlder + " THEN UPDATE SET " + set
          + ", t._deleted = false, t._deleted_at = NULL, t._seen_at = s._seen_at, t._run_id = s._run_id, t._row_hash = s._row_hash"
          + " WHEN NOT MATCHED THEN INSERT (" + insertColumns + ", _deleted, _deleted_at, _seen_at, _run_id, _row_hash) VALUES ("
          + insertValues + ", s._deleted, s._deleted_at, s._seen_at, s._run_id, s._row_hash)";
      // The slice is this run's raw-zone files: immutable, so Delta need not copy it before merging
      // (and a small slice keeps the file size statistics that let the join broadcast it).
      Row metrics = SessionSettings.with(spark, Map.of(SessionSettings.MERGE_MATERIALIZE_SOURCE, "none"), () -> spark.sql(sql).first());
      return new MergeCounts(metrics.getAs("num_inserted_rows"), metrics.getAs("num_updated_rows"), 0);
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /**
   * The live rows' keys that are not among {@code sourceKeys} (all keys of the source table, read
   * in one snapshot): the rows a delete reconciliation would flag. Cost: a scan of the table's key
   * columns and a join with the source keys (shuffle unless one side is small).
   */
  public Dataset<Row> missingKeys(Dataset<Row> sourceKeys) {
    Column[] keys = key.stream().map(functions::col).toArray(Column[]::new);
    return spark.table(qualified).where("NOT _deleted").select(keys).join(sourceKeys.select(keys), key.toArray(String[]::new), "left_anti");
  }

  /** Rows not flagged deleted (a count over the {@code _deleted} column). */
  public long liveRows() {
    return spark.table(qualified).where("NOT _deleted").count();
  }

  /**
   * Flags deleted the live rows whose keys are {@code missing} (from {@link #missingKeys}). Cost: a
   * MERGE joining the missing keys (usually few, broadcast) with the table.
   */
  public long flagDeleted(Dataset<Row> missing, String runId, Instant noticedAt) {
    String view = "missing_" + runId.replaceAll("[^A-Za-z0-9]", "_");
    missing.createOrReplaceTempView(view);
    try {
      String on = key.stream().map(k -> "t." + q(k) + " = s." + q(k)).collect(Collectors.joining(" AND "));
      Row metrics = spark.sql("MERGE INTO " + qualifiedQuoted() + " t USING " + q(view) + " s ON " + on
          + " WHEN MATCHED AND NOT t._deleted THEN UPDATE SET t._deleted = true, t._deleted_at = "
          + timestampSql(noticedAt) + ", t._run_id = " + Identifiers.literalSpark(runId)).first();
      return metrics.getAs("num_updated_rows");
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /**
   * Publishes the table beyond Spark after a write: its metastore entry for Athena, its manifest if
   * Spectrum reads it. A run that wrote nothing ({@code written} false) only checks, with one
   * metastore read, that the entry was published once.
   */
  public void publish(boolean written) {
    if (!written && com.treebo.dataplatform.jobs.catalog.MetastoreEntries.read(spark, qualified)
        .map(e -> com.treebo.dataplatform.jobs.catalog.MetastoreEntries.DELTA.equals(e.parameters().get(
            com.treebo.dataplatform.jobs.catalog.MetastoreEntries.TABLE_TYPE))).orElse(false)) {
      return;
    }
    Publication.publish(spark, catalog, qualified);
  }

  private String qualifiedQuoted() {
    return Identifiers.quoteSparkQualified(qualified);
  }

  private static Column timestamp(Instant t) {
    return functions.lit(java.sql.Timestamp.from(t));
  }

  private static String timestampSql(Instant t) {
    return "TIMESTAMP'" + t.toString() + "'";
  }

  /** Back-quotes a Spark SQL identifier (column names come from the source catalog). */
  static String q(String name) {
    return Identifiers.quoteSpark(name);
  }
}
