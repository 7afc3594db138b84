package com.treebo.dataplatform.conf;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a source table is read. */
public enum ExtractMode {
  /** Re-read whole on every run: small tables without change tracking. Deletes come for free. */
  SNAPSHOT,
  /** Rows changed since the watermark, by a timestamp column set at transaction start. */
  INCREMENTAL,
  /** Rows inserted since the watermark, by an ever-growing id. Rows are never updated or deleted. */
  APPEND;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ExtractMode parse(String value, String key) {
    for (ExtractMode mode : values()) {
      if (mode.configName().equals(value)) {
        return mode;
      }
    }
    throw new InvalidConfigException(key, "'" + value + "' is not one of "
        + Arrays.stream(values()).map(ExtractMode::configName).collect(Collectors.joining(", ")));
  }
}
