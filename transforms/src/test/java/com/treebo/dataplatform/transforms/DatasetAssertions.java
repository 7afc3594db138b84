package com.treebo.dataplatform.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Exact comparison of small datasets: schema first, then rows both ways (duplicates counted). */
public final class DatasetAssertions {
  private DatasetAssertions() {}

  /** Asserts same column names and types (nullability ignored) and the same multiset of rows. */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema().simpleString(), actual.schema().simpleString(), "schema");
    List<Row> missing = expected.exceptAll(actual).collectAsList();
    List<Row> unexpected = actual.exceptAll(expected).collectAsList();
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      fail("rows differ\n  missing (expected, not found): " + missing + "\n  unexpected (found, not expected): " + unexpected);
    }
  }
}
