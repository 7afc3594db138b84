package com.treebo.dataplatform.jobs.runtime;

import com.treebo.dataplatform.conf.PlatformConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession of a job: Delta Lake and the metastore always (Glue on EMR, where the
 * cluster configures it); master, scratch folders, Derby metastore and the local S3 server only for
 * local runs. On EMR nothing here overrides what spark-submit and the cluster set.
 */
public final class Sessions {
  private Sessions() {}

  public static SparkSession create(PlatformConfig config, LocalRuntime runtime, String appName) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", config.spark().timeZone())
        .config("spark.sql.shuffle.partitions", config.spark().shufflePartitions())
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
        // Constraint inference is exponential in the aliases of wide projections over unions (the
        // model's change sets): planning would take minutes and the driver's heap.
        .config("spark.sql.constraintPropagation.enabled", "false")
        .enableHiveSupport();
    if (runtime.isLocal()) {
      for (Map.Entry<String, String> e : localSettings(config, runtime).entrySet()) {
        builder.config(e.getKey(), e.getValue());
      }
    }
    return builder.getOrCreate();
  }

  /** Settings of a local session: every scratch path explicit, so nothing litters the working directory. */
  static Map<String, String> localSettings(PlatformConfig config, LocalRuntime runtime) {
    String home = runtime.home().toString();
    System.setProperty("derby.system.home", home + "/metastore");
    System.setProperty("derby.stream.error.file", home + "/metastore/derby.log");
    java.util.LinkedHashMap<String, String> s = new java.util.LinkedHashMap<>();
    s.put("spark.master", config.spark().master());
    s.put("spark.driver.host", "127.0.0.1");
    s.put("spark.driver.bindAddress", "127.0.0.1");
    s.put("spark.ui.enabled", "false");
    s.put("spark.ui.showConsoleProgress", "false");
    s.put("spark.local.dir", home + "/tmp/spark");
    s.put("spark.sql.warehouse.dir", home + "/warehouse");
    s.put("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + home + "/metastore/metastore_db;create=true");
    // The catalog entries of Delta tables replace Spark's placeholder column (col array<string>) with the
    // real ones, which Hive's own metastore refuses as a type change unless told otherwise (Glue does not check).
    s.put("spark.hadoop.hive.metastore.disallow.incompatible.col.type.changes", "false");
    s.put("spark.hadoop.hive.exec.scratchdir", home + "/tmp/hive-scratch");
    s.put("spark.hadoop.hive.exec.local.scratchdir", home + "/tmp/hive-local");
    s.put("spark.hadoop.hive.downloaded.resources.dir", home + "/tmp/hive-resources");
    s.put("spark.hadoop.hadoop.tmp.dir", home + "/tmp/hadoop");
    s.put("spark.hadoop.fs.s3a.buffer.dir", home + "/tmp/s3a");
    s.put("spark.hadoop.fs.s3a.committer.staging.tmp.path", home + "/tmp/staging");
    s.put("spark.sql.adaptive.enabled", "true");
    // Delta rebuilds a table's state with 50 tasks by default: overhead, not parallelism, on a laptop.
    s.put("spark.databricks.delta.snapshotPartitions", Integer.toString(config.spark().shufflePartitions()));
    runtime.s3().ifPresent(s3 -> {
      s3.hadoopSettings().forEach((k, v) -> s.put("spark.hadoop." + k, v));
      s.put("spark.hadoop.fs.s3a.committer.name", "magic");
      s.put("spark.hadoop.fs.s3a.committer.magic.enabled", "true");
      s.put("spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a", "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory");
      s.put("spark.sql.sources.commitProtocolClass", "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol");
      s.put("spark.sql.parquet.output.committer.class", "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter");
    });
    return s;
  }
}
