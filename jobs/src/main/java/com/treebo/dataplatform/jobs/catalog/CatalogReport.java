package com.treebo.dataplatform.jobs.catalog;

import com.treebo.dataplatform.conf.CatalogConfig;
import com.treebo.dataplatform.conf.Identifiers;
import com.treebo.dataplatform.conf.PlatformConfig;
import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code bin/dataplatform catalog} prints: for every table of the platform's databases (the
 * lake's, the model's, the reports'), where it is, its columns as the metastore holds them, and the
 * statements that reach it from Athena and from Redshift Spectrum. Reads only the metastore and the
 * tables' Delta logs.
 */
public final class CatalogReport {
  private CatalogReport() {}

  /** The platform's tables, database by database, or those {@code only} names. */
  public static List<String> tables(SparkSession spark, PlatformConfig config, List<String> only) {
    if (!only.isEmpty()) {
      return only;
    }
    List<String> out = new ArrayList<>();
    for (String db : List.of(config.lake().database(), config.model().database(), config.model().reportDatabase())) {
      if (spark.catalog().databaseExists(db)) {
        spark.sql("SHOW TABLES IN " + Identifiers.quoteSpark(db)).where("NOT isTemporary").collectAsList().stream()
            .map(r -> db + "." + r.getString(1)).sorted().forEach(out::add);
      }
    }
    return out;
  }

  /**
   * Prints one table's entry; {@code spectrumDdl} renders its external table (given the table's
   * metastore name) when Spectrum reads it.
   */
  public static void print(SparkSession spark, CatalogConfig catalog, String qualified, java.util.function.Function<String, String> spectrumDdl,
      PrintStream out) {
    out.println(qualified);
    if (location(spark, qualified).isEmpty()) {
      out.println("  not a Delta table: not published beyond Spark");
      out.println();
      return;
    }
    Row detail = DeltaTable.forName(spark, qualified).detail().first();
    String location = detail.getAs("location");
    List<String> parts = detail.getList(detail.fieldIndex("partitionColumns"));
    out.println("  location   " + AthenaDdl.s3(location));
    Optional<MetastoreEntries.Entry> entry = MetastoreEntries.read(spark, qualified);
    if (entry.isEmpty()) {
      out.println("  catalog    no entry in the metastore");
    } else {
      MetastoreEntries.Entry e = entry.get();
      boolean ready = e.readableByAthena(DeltaTable.forName(spark, qualified).toDF().schema(), location);
      out.println("  catalog    " + (ready ? "table_type = DELTA, " : "NOT YET READABLE BY ATHENA (published at the table's next"
          + " write, or now with --publish), ") + e.columns().size() + " columns"
          + (parts.isEmpty() ? "" : ", partitioned by " + String.join(", ", parts) + " (in the Delta log)") + ":");
      for (MetastoreEntries.Column c : e.columns()) {
        out.println("               " + c.name() + " " + c.type());
      }
    }
    out.println("  athena     " + AthenaDdl.create(qualified, location).replace("\n", "\n             "));
    if (catalog.spectrum(qualified)) {
      out.println("  spectrum   SELECT * FROM " + catalog.spectrumSchema() + "." + qualified.replace('.', '_') + " (created by the load:)");
      out.println("             " + spectrumDdl.apply(qualified));
    } else {
      out.println("  spectrum   not listed in catalog.spectrum.tables: no manifest, Spectrum cannot read it");
    }
    out.println();
  }

  private static Optional<String> location(SparkSession spark, String qualified) {
    try {
      return Optional.of(DeltaTable.forName(spark, qualified).detail().first().<String>getAs("location"));
    } catch (RuntimeException e) {
      return Optional.empty(); // not a Delta table (a view, a Parquet table someone registered)
    }
  }
}
