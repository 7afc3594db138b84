package com.treebo.dataplatform.conf;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kind of a personal-data value: it decides how the value is normalised before it is hashed. */
public enum PersonalData {
  /** Trimmed, lower-cased. */
  EMAIL,
  /** Digits only, with the country code. */
  PHONE,
  /** Trimmed, inner whitespace collapsed, lower-cased. */
  NAME;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static PersonalData parse(String value, String key) {
    for (PersonalData kind : values()) {
      if (kind.configName().equals(value)) {
        return kind;
      }
    }
    throw new InvalidConfigException(key, "'" + value + "' is not one of "
        + Arrays.stream(values()).map(PersonalData::configName).collect(Collectors.joining(", ")));
  }
}
