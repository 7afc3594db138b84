package com.treebo.dataplatform.conf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Parses one {@code sources.<name>} block and its table blocks. */
final class SourceParser {
  private SourceParser() {}

  static SourceConfig parse(ConfigReader r, String name) {
    Identifiers.require(name, r.key(""));
    JdbcConfig jdbc = PlatformConfig.jdbc(r);
    ConfigReader tablesR = r.child("tables");
    List<TableConfig> tables = new ArrayList<>();
    for (String qualified : new TreeSet<>(tablesR.keys())) {
      tables.add(table(tablesR.child(qualified), name, qualified));
    }
    return new SourceConfig(name, jdbc, tables);
  }

  private static TableConfig table(ConfigReader r, String source, String qualified) {
    String[] parts = qualified.split("\\.", -1);
    if (parts.length != 2) {
      throw new InvalidConfigException(r.key(""), "a table block is named schema.table (got '" + qualified + "')");
    }
    String schema = Identifiers.require(parts[0], r.key(""));
    String table = Identifiers.require(parts[1], r.key(""));
    List<String> key = new ArrayList<>();
    for (String column : r.stringList("primary-key")) {
      key.add(Identifiers.require(column, r.key("primary-key")));
    }
    ExtractMode mode = ExtractMode.parse(r.string("mode"), r.key("mode"));
    Optional<String> watermark = r.optionalString("watermark-column")
        .map(c -> Identifiers.require(c, r.key("watermark-column")));
    Map<String, PersonalData> pii = new LinkedHashMap<>();
    if (r.has("personal-data")) {
      ConfigReader piiR = r.child("personal-data");
      for (String column : new TreeSet<>(piiR.keys())) {
        Identifiers.require(column, piiR.key(column));
        pii.put(column, PersonalData.parse(piiR.string(column), piiR.key(column)));
      }
    }
    Optional<Duration> deletes = r.has("detect-deletes-every") ? Optional.of(r.duration("detect-deletes-every")) : Optional.empty();
    if (deletes.isPresent() && mode != ExtractMode.INCREMENTAL) {
      throw new InvalidConfigException(r.key("detect-deletes-every"),
          "only incremental tables need it (snapshot tables see deletes on every read; append tables have none)");
    }
    long rereadIds = r.has("reread-ids") ? r.nonNegativeLong("reread-ids") : 0;
    return r.build(() -> new TableConfig(source, schema, table, key, mode, watermark, pii, deletes, rereadIds));
  }
}
