package com.treebo.dataplatform.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Exact comparison of small datasets: schema first, then rows both ways (duplicates counted). */
public final class DatasetAssertions {
  private DatasetAssertions() {}

  /** Asserts same column names and types (nullability ignored) and the same multiset of rows. */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema().simpleString(), actual.schema().simpleString(), "schema");
    Dataset<Row> missing = expected.exceptAll(actual);
    Dataset<Row> unexpected = actual.exceptAll(expected);
    long missingCount = missing.count();
    long unexpectedCount = unexpected.count();
    if (missingCount > 0 || unexpectedCount > 0) {
      fail("rows differ\n  missing (expected, not found): " + missingCount + " rows, e.g. " + missing.takeAsList(20)
          + "\n  unexpected (found, not expected): " + unexpectedCount + " rows, e.g. " + unexpected.takeAsList(20));
    }
  }
}
