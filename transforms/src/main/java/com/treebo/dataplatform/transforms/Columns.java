package com.treebo.dataplatform.transforms;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Input-column preconditions of transforms, checked before any Spark job runs. */
public final class Columns {
  private Columns() {}

  /** Fails naming the transform and the missing columns unless {@code input} has all of {@code required}. */
  public static void require(Dataset<Row> input, String transform, Collection<String> required) {
    Set<String> present = Set.of(input.columns());
    List<String> missing = required.stream().filter(c -> !present.contains(c)).sorted().toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(transform + " needs columns " + missing + " (input has "
          + Arrays.toString(input.columns()) + ")");
    }
  }
}
