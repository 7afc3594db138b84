package com.treebo.dataplatform.conf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One source table and how to extract it: the whole of what a new source table needs.
 *
 * @param source the configured source database it belongs to ({@code sources.<source>})
 * @param schema source schema, e.g. {@code crs}
 * @param table source table, e.g. {@code booking}
 * @param primaryKey key columns, in order; the lake table holds one row per key
 * @param mode how the table is read
 * @param watermarkColumn the mode's column: a timestamp for incremental, an id for append
 * @param personalData columns replaced by a keyed hash, with how each is normalised
 * @param detectDeletesEvery when present, hard deletes are found by key reconciliation this often
 * @param rereadIds append mode: every run reads again this many ids behind the last id known final,
 *     for rows whose ids were allocated long before they were inserted (sequence caches, ORM id
 *     blocks, two-phase commits); re-read rows are deduplicated by key
 */
public record TableConfig(
    String source,
    String schema,
    String table,
    List<String> primaryKey,
    ExtractMode mode,
    Optional<String> watermarkColumn,
    Map<String, PersonalData> personalData,
    Optional<Duration> detectDeletesEvery,
    long rereadIds) {

  public TableConfig {
    primaryKey = List.copyOf(primaryKey);
    personalData = Map.copyOf(personalData);
    if (primaryKey.isEmpty()) {
      throw new IllegalArgumentException("primary-key must name at least one column");
    }
    if (mode == ExtractMode.SNAPSHOT && watermarkColumn.isPresent()) {
      throw new IllegalArgumentException("watermark-column has no meaning for mode snapshot");
    }
    if (mode != ExtractMode.SNAPSHOT && watermarkColumn.isEmpty()) {
      throw new IllegalArgumentException("mode " + mode.configName() + " needs watermark-column");
    }
    if (rereadIds < 0 || (rereadIds > 0 && mode != ExtractMode.APPEND)) {
      throw new IllegalArgumentException("reread-ids is a non-negative id count, for mode append only");
    }
    for (String key : primaryKey) {
      if (personalData.containsKey(key)) {
        throw new IllegalArgumentException("primary-key column " + key + " cannot be personal data");
      }
    }
  }

  /** {@code schema.table}, as the source database names it. */
  public String qualifiedName() {
    return schema + "." + table;
  }

  /** {@code schema_table}: the lake table's name in the metastore and the raw zone's folder. */
  public String lakeName() {
    return schema + "_" + table;
  }

  /** {@code source.schema.table}: unique across sources; the control store's key for this table. */
  public String id() {
    return source + "." + qualifiedName();
  }
}
