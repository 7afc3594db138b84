package com.treebo.dataplatform.conf;

import java.util.regex.Pattern;

/**
 * SQL identifiers that come from configuration (schemas, tables, columns). They are validated here,
 * once, so that code that quotes them into SQL never sees an unchecked string.
 */
public final class Identifiers {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Identifiers() {}

  /** Returns {@code name} if it is a plain lower-case SQL identifier, else fails naming {@code key}. */
  public static String require(String name, String key) {
    if (name == null || !PLAIN.matcher(name).matches()) {
      throw new InvalidConfigException(key, "'" + name + "' is not a plain lower-case SQL identifier "
          + "(letters, digits and _, starting with a letter or _, at most 63 characters)");
    }
    return name;
  }

  /** Double-quotes a validated identifier for PostgreSQL and ANSI SQL. */
  public static String quote(String validated) {
    return '"' + validated + '"';
  }

  /** Back-quotes a validated identifier for Spark SQL. */
  public static String quoteSpark(String validated) {
    return '`' + validated + '`';
  }
}
