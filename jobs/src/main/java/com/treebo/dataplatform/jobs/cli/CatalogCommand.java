package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.catalog.CatalogReport;
import com.treebo.dataplatform.jobs.catalog.Publication;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.warehouse.SpectrumSql;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code catalog}: how each table is reached from Athena and Redshift Spectrum. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = {
        "Print, for every lake, dw and rpt table (or the TABLEs named), its location, its columns as the metastore",
        "(Glue on EMR) holds them, the Athena statement that registers it and, for the tables catalog.spectrum.tables",
        "lists, the Redshift Spectrum external table the load keeps over its symlink manifest.",
        "",
        "Every job publishes the tables it writes (real columns, location, table_type = DELTA) after each write;",
        "--publish does it now for the tables printed, e.g. after changing catalog.spectrum.tables."})
final class CatalogCommand extends PlatformCommand {
  @Option(names = "--publish", description = "Write each table's metastore entry and manifest state first (idempotent).")
  private boolean publish;

  @Parameters(paramLabel = "TABLE", arity = "0..*", description = "database.table names (default: every table of lake.database,"
      + " model.database and model.report-database).")
  private List<String> tables = new ArrayList<>();

  @Override
  protected int run(Platform platform) {
    PlatformConfig config = platform.config();
    SparkSession spark = platform.spark();
    List<String> names = CatalogReport.tables(spark, config, tables);
    int failed = 0;
    if (publish) {
      for (String t : names) {
        try {
          Publication.publish(spark, config.catalog(), t);
        } catch (RuntimeException e) {
          failed++;
          System.out.println("catalog: cannot publish " + t + ": " + e.getMessage());
        }
      }
    }
    String role = config.catalog().spectrumIamRole().or(() -> config.warehouse().iamRole()).orElse("<warehouse.iam-role>");
    System.out.println("Spectrum's schema (created by the load when the warehouse is Redshift):");
    System.out.println("  " + SpectrumSql.createSchema(config.catalog().spectrumSchema(), config.catalog().spectrumDatabase(), role));
    System.out.println();
    for (String t : names) {
      if (!spark.catalog().tableExists(t)) {
        System.out.println(t + "\n  no such table in the metastore\n");
        failed++;
        continue;
      }
      CatalogReport.print(spark, config.catalog(), t, q -> SpectrumSql.createTable(config.catalog().spectrumSchema(),
          SpectrumSql.table(spark, q)), System.out);
    }
    System.out.println(names.size() + " table(s)" + (failed > 0 ? ", " + failed + " with a problem (above)" : ""));
    return failed > 0 ? 1 : 0;
  }
}
