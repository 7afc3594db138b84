package com.treebo.dataplatform.conf;

/** The keyed hash that replaces personal data. The key is a {@link Secret}: never logged. */
public record PiiConfig(Secret hashKey, String defaultCountryCode) {
  public PiiConfig {
    if (!defaultCountryCode.matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException("default-country-code must be 1 to 3 digits");
    }
  }
}
