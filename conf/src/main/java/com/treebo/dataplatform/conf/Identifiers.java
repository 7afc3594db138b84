package com.treebo.dataplatform.conf;

import java.util.regex.Pattern;

/**
 * SQL identifiers, validated and quoted in one place. Names that come from configuration (schemas,
 * tables, key columns, databases) are validated once, when the configuration is parsed
 * ({@link #require}); names read from a catalog (a source table's columns) may be anything the
 * database allows, so every identifier that reaches SQL text goes through one of the quoting
 * functions here, which escape what they quote. Values never do: they are bound parameters, or
 * typed literals built by the caller from values it produced itself.
 */
public final class Identifiers {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Identifiers() {}

  /** Returns {@code name} if it is a plain lower-case SQL identifier, else fails naming {@code key}. */
  public static String require(String name, String key) {
    if (!isPlain(name)) {
      throw new InvalidConfigException(key, "'" + name + "' is not a plain lower-case SQL identifier "
          + "(letters, digits and _, starting with a letter or _, at most 63 characters)");
    }
    return name;
  }

  /** Whether {@code name} is a plain lower-case identifier (needs no quoting in any engine). */
  public static boolean isPlain(String name) {
    return name != null && PLAIN.matcher(name).matches();
  }

  /** Double-quotes an identifier for PostgreSQL, Redshift and ANSI SQL, doubling inner quotes. */
  public static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code "schema"."name"}. */
  public static String quote(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }

  /** Back-quotes an identifier for Spark SQL, doubling inner back-quotes. */
  public static String quoteSpark(String name) {
    return '`' + name.replace("`", "``") + '`';
  }

  /** {@code `database`.`table`} for Spark SQL, from a qualified {@code database.table} name. */
  public static String quoteSparkQualified(String qualified) {
    int dot = qualified.indexOf('.');
    if (dot < 0) {
      return quoteSpark(qualified);
    }
    return quoteSpark(qualified.substring(0, dot)) + "." + quoteSpark(qualified.substring(dot + 1));
  }

  /** A PostgreSQL/ANSI string literal: single quotes, inner quotes doubled (for paths and names in DDL). */
  public static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A Spark SQL string literal (Spark escapes with backslashes; adjacent literals would concatenate). */
  public static String literalSpark(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
