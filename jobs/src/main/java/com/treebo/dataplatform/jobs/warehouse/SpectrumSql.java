package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.conf.Identifiers;
import com.treebo.dataplatform.jobs.catalog.AthenaDdl;
import com.treebo.dataplatform.jobs.catalog.Publication;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Redshift Spectrum statements that make lake tables readable from Redshift in place: an
 * external schema over a Glue database of its own, and per table an external table over its
 * symlink manifest ({@link Publication}), with its partitions. Types are the warehouse load's
 * ({@link WarehouseColumn}), except that Spectrum reads timestamps as {@code TIMESTAMP} (the
 * files hold UTC instants) and text as {@code VARCHAR(65535)} (an external table stores nothing,
 * so the widest costs nothing and truncates nothing).
 *
 * <p>Redshift runs these outside a transaction block (CREATE EXTERNAL TABLE cannot run in one).
 */
public final class SpectrumSql {
  /** Redshift adds at most this many partitions in one ALTER TABLE. */
  static final int PARTITIONS_PER_STATEMENT = 100;

  private SpectrumSql() {}

  /** A table as Spectrum reads it. */
  public record Table(String qualified, StructType schema, List<String> partitionColumns, String location) {
    /** Its name in the external schema: {@code <database>_<table>}. */
    public String externalName() {
      return qualified.replace('.', '_');
    }

    String manifest() {
      return AthenaDdl.s3(location) + "/" + Publication.MANIFEST_FOLDER + "/";
    }

    /** Its columns as the external table declares them, partition columns last: {@code name TYPE}. */
    List<String> columns() {
      List<String> out = new ArrayList<>();
      for (StructField f : schema.fields()) {
        if (!partitionColumns.contains(f.name())) {
          out.add(f.name() + " " + type(qualified, f));
        }
      }
      for (String p : partitionColumns) {
        out.add(p + " " + type(qualified, schema.apply(p)));
      }
      return out;
    }
  }

  /** {@code qualified} (a Delta table) as Spectrum reads it: its columns, partition columns and location, from its Delta log. */
  public static Table table(org.apache.spark.sql.SparkSession spark, String qualified) {
    io.delta.tables.DeltaTable table = io.delta.tables.DeltaTable.forName(spark, qualified);
    org.apache.spark.sql.Row detail = table.detail().first();
    List<String> parts = detail.getList(detail.fieldIndex("partitionColumns"));
    return new Table(qualified, table.toDF().schema(), List.copyOf(parts), detail.getAs("location"));
  }

  /** The Spectrum type of a column: the load's, timestamps without zone, text at the widest. */
  static String type(String table, StructField f) {
    DataType t = f.dataType();
    if (t instanceof StringType) {
      return "VARCHAR(" + WarehouseColumn.MAX_VARCHAR_BYTES + ")";
    }
    String load = WarehouseColumn.of(table, f.name(), t, 0).sqlType();
    return switch (load) {
      case "TIMESTAMPTZ" -> "TIMESTAMP";
      case "NUMERIC" -> "DECIMAL";
      default -> load.startsWith("NUMERIC(") ? "DECIMAL" + load.substring("NUMERIC".length()) : load;
    };
  }

  /** The external schema over {@code glueDatabase}, created with it if missing. */
  public static String createSchema(String schema, String glueDatabase, String iamRole) {
    return "CREATE EXTERNAL SCHEMA IF NOT EXISTS " + Identifiers.quote(schema) + " FROM DATA CATALOG DATABASE "
        + Identifiers.literal(glueDatabase) + " IAM_ROLE " + Identifiers.literal(iamRole) + " CREATE EXTERNAL DATABASE IF NOT EXISTS";
  }

  /** The external table over {@code t}'s symlink manifest. */
  public static String createTable(String schema, Table t) {
    List<String> data = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    for (StructField f : t.schema().fields()) {
      String column = Identifiers.quote(f.name()) + " " + type(t.qualified(), f);
      (t.partitionColumns().contains(f.name()) ? parts : data).add(column);
    }
    return "CREATE EXTERNAL TABLE " + Identifiers.quote(schema, t.externalName()) + " (" + String.join(", ", data) + ")"
        + (parts.isEmpty() ? "" : " PARTITIONED BY (" + String.join(", ", parts) + ")")
        + " ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'"
        + " STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'"
        + " OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'"
        + " LOCATION " + Identifiers.literal(t.manifest());
  }

  public static String dropTable(String schema, Table t) {
    return "DROP TABLE IF EXISTS " + Identifiers.quote(schema, t.externalName());
  }

  /**
   * {@code ALTER TABLE ... ADD IF NOT EXISTS PARTITION (...) LOCATION '...' ...} for {@code values}
   * (each a partition's {@code column=value} folder under the manifest), at most
   * {@link #PARTITIONS_PER_STATEMENT} a statement.
   */
  public static List<String> addPartitions(String schema, Table t, List<String> folders) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < folders.size(); i += PARTITIONS_PER_STATEMENT) {
      String parts = folders.subList(i, Math.min(folders.size(), i + PARTITIONS_PER_STATEMENT)).stream()
          .map(f -> "PARTITION (" + spec(f) + ") LOCATION " + Identifiers.literal(t.manifest() + f + "/"))
          .collect(Collectors.joining(" "));
      out.add("ALTER TABLE " + Identifiers.quote(schema, t.externalName()) + " ADD IF NOT EXISTS " + parts);
    }
    return out;
  }

  public static String dropPartition(String schema, Table t, String folder) {
    return "ALTER TABLE " + Identifiers.quote(schema, t.externalName()) + " DROP PARTITION (" + spec(folder) + ")";
  }

  /** {@code a=1/b=x} to {@code a='1', b='x'} (folder names are Hive-escaped: %XX decoded). */
  private static String spec(String folder) {
    return Arrays.stream(folder.split("/")).map(kv -> {
      int eq = kv.indexOf('=');
      return kv.substring(0, eq) + "=" + Identifiers.literal(unescape(kv.substring(eq + 1)));
    }).collect(Collectors.joining(", "));
  }

  private static String unescape(String v) {
    return java.net.URLDecoder.decode(v.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The partition folders of a partition spec Redshift reports ({@code ["2026-11-20"]}) for {@code t}. */
  static String folder(Table t, String values) {
    String inner = values.trim();
    if (inner.startsWith("[") && inner.endsWith("]")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    String[] v = inner.isEmpty() ? new String[0] : inner.split(",");
    List<String> kv = new ArrayList<>();
    for (int i = 0; i < v.length && i < t.partitionColumns().size(); i++) {
      kv.add(t.partitionColumns().get(i) + "=" + v[i].trim().replaceAll("^\"|\"$", ""));
    }
    return String.join("/", kv);
  }

  /**
   * The statements that bring the external schema in line with the lake, given what Redshift holds:
   * {@code existing} maps each external table to its columns ({@code name TYPE} as Redshift
   * reports them, partition columns last), {@code partitions} each to its partition folders.
   * A table missing, or whose column names differ, is (re)created with all its partitions; a table
   * as it should be gets the partitions it lacks and loses those the lake no longer has.
   *
   * @param folders each table's partition folders under its manifest, as the lake holds them now
   */
  public static List<String> plan(String schema, String glueDatabase, String iamRole, List<Table> tables, Map<String, List<String>> existing,
      Map<String, Set<String>> partitions, Map<String, List<String>> folders) {
    List<String> out = new ArrayList<>();
    out.add(createSchema(schema, glueDatabase, iamRole));
    for (Table t : tables) {
      List<String> want = folders.getOrDefault(t.qualified(), List.of());
      List<String> has = existing.get(t.externalName());
      boolean same = has != null && names(has).equals(names(t.columns()));
      Set<String> present = same ? partitions.getOrDefault(t.externalName(), Set.of()) : Set.of();
      if (!same) {
        if (has != null) {
          out.add(dropTable(schema, t));
        }
        out.add(createTable(schema, t));
      }
      if (!t.partitionColumns().isEmpty()) {
        out.addAll(addPartitions(schema, t, want.stream().filter(f -> !present.contains(f)).sorted().toList()));
        new TreeSet<>(present).stream().filter(f -> !want.contains(f)).forEach(f -> out.add(dropPartition(schema, t, f)));
      }
    }
    return out;
  }

  private static List<String> names(List<String> columns) {
    return columns.stream().map(c -> c.substring(0, c.indexOf(' ')).toLowerCase(java.util.Locale.ROOT)).toList();
  }
}
