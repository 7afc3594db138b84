package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.ExtractConfig;
import com.treebo.dataplatform.conf.ExtractMode;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans a slice inside the snapshot: its predicate, its size, and key ranges that stay balanced
 * when keys are skewed (split points are quantiles of the key, not an even division of its span).
 *
 * <p>Cost on the source: one count over the slice (an index range scan for incremental slices; the
 * planner's statistics for whole-table reads), and for multi-partition slices one quantile query
 * over the slice or over a page sample of the table.
 */
final class SlicePlanner {
  /** Rows a page sample aims at when quantiles are taken over a whole table. */
  private static final long SAMPLE_ROWS = 200_000;

  private SlicePlanner() {}

  /**
   * @param parallelism the cluster's task slots: a multi-partition slice is cut into a multiple of
   *     them, so the last wave of tasks does not run on a fraction of the cores
   */
  static SlicePlan plan(SourceSnapshot snapshot, TableConfig table, Map<String, SourceColumn> columns,
      Optional<String> lowerBound, ExtractConfig tuning, int parallelism) throws SQLException {
    String from = Sql.table(table.schema(), table.table());
    String predicate = predicate(table, columns, lowerBound);
    boolean whole = predicate.equals("TRUE");
    long rows = whole ? statisticsRows(snapshot, from) : -1;
    if (rows < 1000) {
      rows = Long.parseLong(snapshot.queryText("SELECT count(*) FROM " + from + " WHERE " + predicate).orElse("0"));
    }
    int partitions = (int) Math.max(1, Math.min(tuning.maxPartitions(), (rows + tuning.rowsPerPartition() - 1) / tuning.rowsPerPartition()));
    if (partitions > 1 && parallelism > 1) {
      int waves = (partitions + parallelism - 1) / parallelism;
      partitions = Math.max(2, Math.min(tuning.maxPartitions(), waves * parallelism));
    }
    if (partitions == 1) {
      return new SlicePlan(lowerBound, predicate, rows, List.of(new RangeSpec(0, "TRUE")));
    }
    SourceColumn key = columns.get(table.primaryKey().get(0));
    String sampled = whole
        ? from + " TABLESAMPLE SYSTEM (" + Math.min(100.0, Math.max(0.01, 100.0 * SAMPLE_ROWS / rows)) + ")"
        : from + " WHERE " + predicate;
    List<String> splits = splitPoints(snapshot, key, sampled, partitions);
    List<RangeSpec> ranges = new ArrayList<>();
    String k = Sql.identifier(key.name());
    for (int i = 0; i <= splits.size(); i++) {
      String lower = i == 0 ? null : k + " >= " + Sql.literal(splits.get(i - 1), key.pgType());
      String upper = i == splits.size() ? null : k + " < " + Sql.literal(splits.get(i), key.pgType());
      String p = lower == null ? (upper == null ? "TRUE" : upper) : (upper == null ? lower : lower + " AND " + upper);
      ranges.add(new RangeSpec(i, p));
    }
    return new SlicePlan(lowerBound, predicate, rows, ranges);
  }

  /** The mode's predicate: {@code column >= bound} for timestamps (ties re-read), {@code id > bound} for ids. */
  static String predicate(TableConfig table, Map<String, SourceColumn> columns, Optional<String> lowerBound) {
    if (lowerBound.isEmpty() || table.mode() == ExtractMode.SNAPSHOT) {
      return "TRUE";
    }
    SourceColumn column = columns.get(table.watermarkColumn().orElseThrow());
    String op = table.mode() == ExtractMode.APPEND ? " > " : " >= ";
    return Sql.identifier(column.name()) + op + Sql.literal(lowerBound.get(), column.pgType());
  }

  /** The planner's row estimate: -1 when never analysed; small or stale estimates are then counted exactly. */
  private static long statisticsRows(SourceSnapshot snapshot, String from) throws SQLException {
    String text = snapshot.queryText("SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass", from).orElse("-1");
    return Long.parseLong(text);
  }

  /** Distinct quantiles of the key splitting {@code from} into {@code partitions} near-equal parts. */
  private static List<String> splitPoints(SourceSnapshot snapshot, SourceColumn key, String from, int partitions)
      throws SQLException {
    StringBuilder fractions = new StringBuilder("ARRAY[");
    for (int i = 1; i < partitions; i++) {
      fractions.append(i > 1 ? "," : "").append((double) i / partitions);
    }
    fractions.append("]::float8[]");
    String sql = "SELECT (percentile_disc(" + fractions + ") WITHIN GROUP (ORDER BY " + Sql.identifier(key.name())
        + "))::text[] FROM " + from;
    try (PreparedStatement ps = snapshot.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      if (!rs.next() || rs.getArray(1) == null) {
        return List.of();
      }
      Array array = rs.getArray(1);
      LinkedHashSet<String> distinct = new LinkedHashSet<>();
      for (Object o : (Object[]) array.getArray()) {
        if (o != null) {
          distinct.add((String) o);
        }
      }
      return List.copyOf(distinct);
    }
  }
}
