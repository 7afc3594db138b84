package com.treebo.dataplatform.jobs.catalog;

import io.delta.tables.DeltaTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalog;
import org.apache.spark.sql.hive.HiveExternalCatalog;
import org.apache.spark.sql.hive.client.HiveClient;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.Tuple2;

/**
 * The metastore entries of the platform's Delta tables as engines other than Spark read them.
 *
 * <p>Spark registers a Delta table in a Hive metastore (Glue on EMR) with a placeholder schema
 * ({@code col array<string>}) and a placeholder location, keeping the real ones in the Delta log
 * and in Spark-only properties (delta-io/delta#1679): Athena and Glue's console cannot use such an
 * entry. {@link #publish} rewrites the entry, through the same metastore client Spark uses (so the
 * Glue client on EMR), to hold the table's real columns (partition columns included: Delta keeps
 * partitions in its log, so the entry declares no Hive partitions), its real location and
 * {@code table_type = DELTA}, which is what Athena's native Delta reader asks for. Spark's own
 * properties stay, so Spark reads the table as before.
 *
 * <p>Cost: one metastore read per table, and one write when the entry differs (a new table, a new
 * column); no Spark job.
 */
public final class MetastoreEntries {
  private static final Logger LOG = LoggerFactory.getLogger(MetastoreEntries.class);
  /** The parameter Athena's Delta reader looks for. */
  public static final String TABLE_TYPE = "table_type";
  public static final String DELTA = "DELTA";

  private MetastoreEntries() {}

  /** An entry as the metastore holds it: its columns ({@code name type}), its location and parameters. */
  public record Entry(String qualified, List<Column> columns, String location, Map<String, String> parameters) {
    public boolean readableByAthena(StructType schema, String path) {
      return columns.equals(columnsOf(schema)) && path.equals(location) && DELTA.equals(parameters.get(TABLE_TYPE));
    }
  }

  /** A column as the metastore holds it, its type in Hive's (and Athena's) spelling. */
  public record Column(String name, String type) {}

  /**
   * Makes {@code qualified}'s entry hold the Delta table's real columns, its location and
   * {@code table_type = DELTA}; a no-op when it does. Returns whether it wrote the entry.
   *
   * @throws CatalogException naming the table when the metastore refuses the entry
   */
  public static boolean publish(SparkSession spark, String qualified) {
    return publish(spark, qualified, DeltaTable.forName(spark, qualified).toDF().schema(), Publication.location(spark, qualified));
  }

  /** {@link #publish(SparkSession, String)} with the table's schema and location known. */
  static boolean publish(SparkSession spark, String qualified, StructType schema, String location) {
    Optional<HiveClient> client = client(spark);
    if (client.isEmpty()) {
      return false;
    }
    String[] name = split(qualified);
    try {
      CatalogTable raw = client.get().getTable(name[0], name[1]);
      if (entry(qualified, raw).readableByAthena(schema, location)) {
        return false;
      }
      Map<String, String> properties = new LinkedHashMap<>(scala.collection.JavaConverters.mapAsJavaMap(raw.properties()));
      properties.put(TABLE_TYPE, DELTA);
      CatalogStorageFormat s = raw.storage();
      CatalogStorageFormat storage = s.copy(Option.apply(URI.create(location)), s.inputFormat(), s.outputFormat(), s.serde(),
          s.compressed(), s.properties());
      CatalogTable next = raw.copy(raw.identifier(), raw.tableType(), storage, plain(schema), raw.provider(),
          raw.partitionColumnNames(), raw.bucketSpec(), raw.owner(), raw.createTime(), raw.lastAccessTime(), raw.createVersion(),
          scalaMap(properties), raw.stats(), raw.viewText(), raw.comment(), raw.unsupportedFeatures(), raw.tracksPartitionsInCatalog(),
          raw.schemaPreservesCase(), raw.ignoredProperties(), raw.viewOriginalText());
      client.get().alterTable(name[0], name[1], next);
      LOG.info("{}: metastore entry now holds its {} columns, location {} and {} = {}", qualified, schema.size(), location,
          TABLE_TYPE, DELTA);
      return true;
    } catch (RuntimeException e) {
      String cause = String.valueOf(rootCause(e).getMessage());
      String hint = cause.contains("incompatible") ? " (a Hive metastore server refuses to replace Spark's placeholder column"
          + " unless its hive.metastore.disallow.incompatible.col.type.changes is false; Glue does not check)" : "";
      throw new CatalogException("Cannot write the metastore entry of " + qualified + " (its real columns and location, for"
          + " Athena): " + cause + hint + ". The table's data is committed and Spark reads it; the next run tries again.", e);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** The entry of {@code qualified} as the metastore holds it, if the table is registered (and the metastore is Hive's or Glue). */
  public static Optional<Entry> read(SparkSession spark, String qualified) {
    String[] name = split(qualified);
    return client(spark).flatMap(c -> {
      Option<CatalogTable> raw = c.getTableOption(name[0], name[1]);
      return raw.isDefined() ? Optional.of(entry(qualified, raw.get())) : Optional.empty();
    });
  }

  private static Entry entry(String qualified, CatalogTable raw) {
    Option<URI> uri = raw.storage().locationUri();
    return new Entry(qualified, columnsOf(raw.schema()), uri.isDefined() ? uri.get().toString() : "",
        new java.util.TreeMap<>(scala.collection.JavaConverters.mapAsJavaMap(raw.properties())));
  }

  static List<Column> columnsOf(StructType schema) {
    List<Column> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(new Column(f.name(), f.dataType().catalogString()));
    }
    return out;
  }

  /** The schema without Spark's column metadata (Delta's column statistics hints, char lengths). */
  private static StructType plain(StructType schema) {
    return new StructType(Arrays.stream(schema.fields())
        .map(f -> new StructField(f.name(), f.dataType(), f.nullable(), Metadata.empty())).toArray(StructField[]::new));
  }

  private static Optional<HiveClient> client(SparkSession spark) {
    ExternalCatalog catalog = spark.sharedState().externalCatalog().unwrapped();
    return catalog instanceof HiveExternalCatalog hive ? Optional.of(hive.client()) : Optional.empty();
  }

  private static String[] split(String qualified) {
    int dot = qualified.indexOf('.');
    if (dot < 1) {
      throw new IllegalArgumentException("'" + qualified + "' is not database.table");
    }
    return new String[] {qualified.substring(0, dot), qualified.substring(dot + 1)};
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> m) {
    scala.collection.immutable.Map<String, String> out = scala.collection.immutable.Map$.MODULE$.empty();
    for (Map.Entry<String, String> e : m.entrySet()) {
      out = out.$plus(new Tuple2<>(e.getKey(), e.getValue()));
    }
    return out;
  }
}
