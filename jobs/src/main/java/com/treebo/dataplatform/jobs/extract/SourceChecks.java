package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.ExtractMode;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Checks a table's config against the source's catalog before anything is read or written: the
 * table exists, its key, watermark and personal-data columns exist and have usable types.
 * Messages name the table, the column, the config key and what the source has instead.
 */
final class SourceChecks {
  private SourceChecks() {}

  /** Throws one {@link ExtractException} listing every problem of {@code table}, if any. */
  static void requireColumns(TableConfig table, Map<String, SourceColumn> columns) {
    List<String> problems = problems(table, columns);
    if (!problems.isEmpty()) {
      throw new ExtractException(String.join("\n", problems));
    }
  }

  static List<String> problems(TableConfig table, Map<String, SourceColumn> columns) {
    String where = "sources." + table.source() + ".tables.\"" + table.qualifiedName() + "\"";
    List<String> problems = new ArrayList<>();
    if (columns.isEmpty()) {
      problems.add("Cannot extract " + table.id() + ": table " + table.qualifiedName() + " not found in source database "
          + table.source() + " (config: " + where + ")");
      return problems;
    }
    String available = String.join(", ", columns.keySet());
    for (String key : table.primaryKey()) {
      if (!columns.containsKey(key)) {
        problems.add("Cannot extract " + table.id() + ": primary-key column " + key + " not found in "
            + table.qualifiedName() + " (config: " + where + ".primary-key; columns: " + available + ")");
      }
    }
    table.watermarkColumn().ifPresent(w -> {
      SourceColumn column = columns.get(w);
      if (column == null) {
        problems.add("Cannot extract " + table.id() + ": watermark column " + w + " not found in " + table.qualifiedName()
            + " (config: " + where + ".watermark-column; columns: " + available + ")");
      } else if (!fitsMode(table.mode(), column.sparkType())) {
        problems.add("Cannot extract " + table.id() + ": watermark column " + w + " is " + column.pgType() + ", but mode "
            + table.mode().configName() + " needs " + (table.mode() == ExtractMode.APPEND ? "an integer id" : "a timestamp")
            + " (config: " + where + ".watermark-column)");
      }
    });
    table.personalData().keySet().forEach(p -> {
      SourceColumn column = columns.get(p);
      if (column == null) {
        problems.add("Cannot extract " + table.id() + ": personal-data column " + p + " not found in " + table.qualifiedName()
            + " (config: " + where + ".personal-data; columns: " + available + ")");
      } else if (!column.sparkType().equals(DataTypes.StringType)) {
        problems.add("Cannot extract " + table.id() + ": personal-data column " + p + " is " + column.pgType()
            + ", not text (config: " + where + ".personal-data)");
      }
    });
    return problems;
  }

  private static boolean fitsMode(ExtractMode mode, DataType type) {
    if (mode == ExtractMode.APPEND) {
      return type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType) || type.equals(DataTypes.ShortType)
          || (type instanceof DecimalType d && d.scale() == 0);
    }
    return type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType);
  }
}
