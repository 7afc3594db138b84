package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.source.PgBinaryCopy;
import com.treebo.dataplatform.jobs.source.SourceCatalog;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * A slice as a DataFrame: one Spark partition per key range, each on its own connection importing
 * the coordinator's exported snapshot and streaming {@code COPY (SELECT ...) TO STDOUT (FORMAT
 * binary)} decoded straight into Spark's internal rows (measured fastest: see STACK.md). Nothing is
 * read until an action runs; the snapshot must stay open until then.
 */
final class SliceReader {
  private SliceReader() {}

  static Dataset<Row> read(SparkSession spark, JdbcConfig jdbc, SourceSnapshot snapshot, TableConfig table,
      List<SourceColumn> columns, String predicate, List<RangeSpec> ranges) {
    String select = columns.stream().map(SourceColumn::selectExpression).collect(Collectors.joining(", "));
    String query = "SELECT " + select + " FROM " + Sql.table(table.schema(), table.table()) + " WHERE " + predicate;
    JavaRDD<RangeSpec> specs = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ranges, ranges.size());
    JavaRDD<InternalRow> rows = specs.mapPartitions(
        new PartitionReader(jdbc.url(), jdbc.user(), jdbc.password().reveal(), snapshot.snapshotId(), query, columns, table.qualifiedName()));
    StructType schema = SourceCatalog.schema(columns);
    return spark.internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /** Runs on executors: reads one key range of the slice inside the imported snapshot. */
  private static final class PartitionReader implements FlatMapFunction<Iterator<RangeSpec>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final String url;
    private final String user;
    private final String password;
    private final String snapshotId;
    private final String query;
    private final List<SourceColumn> columns;
    private final String tableName;

    PartitionReader(String url, String user, String password, String snapshotId, String query,
        List<SourceColumn> columns, String tableName) {
      this.url = url;
      this.user = user;
      this.password = password;
      this.snapshotId = snapshotId;
      this.query = query;
      this.columns = List.copyOf(columns);
      this.tableName = tableName;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<RangeSpec> specs) throws SQLException {
      if (!specs.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      RangeSpec spec = specs.next();
      Connection c = DriverManager.getConnection(url, user, password);
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> close(c));
      }
      try {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          s.execute("SET TRANSACTION SNAPSHOT '" + snapshotId.replace("'", "''") + "'");
        }
        String copy = "COPY (" + query + " AND (" + spec.predicate() + ")) TO STDOUT (FORMAT binary)";
        return PgBinaryCopy.stream(c, copy, columns);
      } catch (SQLException e) {
        close(c);
        throw new SQLException("Cannot read partition " + spec.index() + " of " + tableName + " (" + spec.predicate()
            + "): " + e.getMessage(), e);
      }
    }

    private static void close(Connection c) {
      try {
        c.close();
      } catch (SQLException e) {
        // The task is over; a connection that fails to close is dropped by the server.
      }
    }
  }
}
