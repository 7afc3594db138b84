package com.treebo.dataplatform.jobs.model;

import com.treebo.dataplatform.conf.InvalidConfigException;
import com.treebo.dataplatform.conf.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The data files the model reads besides the lake: the holiday calendar
 * ({@code calendar/india-holidays.csv}, or {@code model.holidays}) and the booking statuses of the
 * contract ({@code model/booking-statuses.csv}). Both are small: read on the driver.
 */
final class ModelResources {
  private ModelResources() {}

  /** {@code date, name}: the packaged holidays, or the file {@code model.holidays} names. */
  static Dataset<Row> holidays(SparkSession spark, ModelConfig model) {
    if (model.holidays().isPresent()) {
      String path = model.holidays().get();
      try {
        return spark.read().option("header", "true").schema("date STRING, name STRING").csv(path);
      } catch (RuntimeException e) {
        throw new InvalidConfigException("model.holidays", "cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    return csv(spark, "/calendar/india-holidays.csv", new StructType().add("date", DataTypes.StringType).add("name", DataTypes.StringType));
  }

  /** {@code status, description, is_cancellation, counts_as_sold}. */
  static Dataset<Row> statuses(SparkSession spark) {
    return csv(spark, "/model/booking-statuses.csv", new StructType().add("status", DataTypes.StringType)
        .add("description", DataTypes.StringType).add("is_cancellation", DataTypes.StringType)
        .add("counts_as_sold", DataTypes.StringType));
  }

  /** A small packaged CSV (a header line, then comma-separated values without quotes). */
  private static Dataset<Row> csv(SparkSession spark, String resource, StructType schema) {
    try (InputStream in = ModelResources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " (the dimensional-model jar is incomplete)");
      }
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).filter(l -> !l.isBlank()).toList();
      List<Row> rows = new ArrayList<>();
      for (String line : lines) {
        rows.add(RowFactory.create((Object[]) line.split(",", schema.size())));
      }
      return spark.createDataFrame(rows, schema);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource + ": " + e.getMessage(), e);
    }
  }
}
