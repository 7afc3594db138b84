package com.treebo.dataplatform.jobs.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Spark SQL settings changed for one statement and put back afterwards, whatever happens. */
public final class SessionSettings {
  private SessionSettings() {}

  /** Runs {@code body} with {@code settings} in force in {@code spark}'s session, then restores what was there. */
  public static <T> T with(SparkSession spark, Map<String, String> settings, Supplier<T> body) {
    Map<String, String> before = new LinkedHashMap<>();
    settings.forEach((k, v) -> {
      before.put(k, spark.conf().getOption(k).getOrElse(() -> null));
      spark.conf().set(k, v);
    });
    try {
      return body.get();
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
  }

  /** Delta: the MERGE source is read as it is, not first copied (it must be immutable and deterministic). */
  public static final String MERGE_MATERIALIZE_SOURCE = "spark.databricks.delta.merge.materializeSource";
}
