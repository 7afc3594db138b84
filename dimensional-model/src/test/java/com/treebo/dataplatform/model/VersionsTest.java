package com.treebo.dataplatform.model;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;

import com.treebo.dataplatform.transforms.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class VersionsTest {
  private static final List<String> KEYS = List.of("id");
  private static final List<String> TRACKED = List.of("category", "stars");

  private static SparkSession spark() {
    return TestSpark.get();
  }

  /** Observations: (id, category, stars, seen). */
  private static Dataset<Row> observed(String values) {
    return spark().sql("SELECT id, category, CAST(stars AS DECIMAL(2,1)) AS stars, CAST(seen AS TIMESTAMP) AS seen FROM VALUES "
        + values + " AS t(id, category, stars, seen)");
  }

  private static Dataset<Row> versions(String values) {
    return spark().sql("SELECT id, category, CAST(stars AS DECIMAL(2,1)) AS stars, CAST(valid_from AS TIMESTAMP) AS valid_from,"
        + " CAST(valid_to AS TIMESTAMP) AS valid_to, version FROM VALUES " + values
        + " AS t(id, category, stars, valid_from, valid_to, version)");
  }

  @Test
  void aValueGoingNullAndBackIsTwoChanges() {
    Dataset<Row> v = Versions.collapse(observed("(1, 'budget', 3.0, '2026-01-01 02:00:00'), (1, 'budget', NULL, '2026-01-02 02:00:00'),"
        + " (1, 'budget', 3.0, '2026-01-03 02:00:00')"), KEYS, TRACKED, "seen");
    assertSameRows(versions("(1, 'budget', 3.0, '2026-01-01 02:00:00', '2026-01-02 02:00:00', 1),"
        + " (1, 'budget', NULL, '2026-01-02 02:00:00', '2026-01-03 02:00:00', 2),"
        + " (1, 'budget', 3.0, '2026-01-03 02:00:00', '9999-12-31 00:00:00', 3)"), v);
  }

  @Test
  void repeatedObservationsAddNothingAndAChangeBackIsANewVersion() {
    Dataset<Row> v = Versions.collapse(observed("(1, 'budget', 3.0, '2026-01-01 02:00:00'), (1, 'budget', 3.0, '2026-01-02 02:00:00'),"
        + " (1, 'premium', 3.0, '2026-01-03 02:00:00'), (1, 'premium', 3.0, '2026-01-03 02:00:00'),"
        + " (1, 'budget', 3.0, '2026-01-04 02:00:00'), (2, 'trend', NULL, '2026-01-01 02:00:00')"), KEYS, TRACKED, "seen");
    assertSameRows(versions("(1, 'budget', 3.0, '2026-01-01 02:00:00', '2026-01-03 02:00:00', 1),"
        + " (1, 'premium', 3.0, '2026-01-03 02:00:00', '2026-01-04 02:00:00', 2),"
        + " (1, 'budget', 3.0, '2026-01-04 02:00:00', '9999-12-31 00:00:00', 3),"
        + " (2, 'trend', NULL, '2026-01-01 02:00:00', '9999-12-31 00:00:00', 1)"), v);
  }

  @Test
  void nightByNightEqualsAllAtOnce() {
    String night1 = "(1, 'budget', 3.0, '2026-01-01 02:00:00'), (1, 'premium', 3.0, '2026-01-01 09:00:00')";
    String night2 = "(1, 'premium', 3.0, '2026-01-02 02:00:00'), (1, 'premium', 3.5, '2026-01-02 09:00:00'),"
        + " (2, 'trend', 4.0, '2026-01-02 02:00:00')";
    Dataset<Row> first = Versions.collapse(observed(night1), KEYS, TRACKED, "seen");
    Dataset<Row> storedAsObserved = first.selectExpr("id", "category", "stars", "valid_from AS seen");
    Dataset<Row> second = Versions.collapse(storedAsObserved.unionByName(observed(night2)), KEYS, TRACKED, "seen");
    assertSameRows(Versions.collapse(observed(night1 + ", " + night2), KEYS, TRACKED, "seen"), second);
  }
}
