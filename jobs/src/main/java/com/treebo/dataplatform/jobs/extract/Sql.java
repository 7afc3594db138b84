package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.conf.Identifiers;

/**
 * Quoting for the PostgreSQL text this package builds. COPY takes no bind parameters, so bounds
 * travel as quoted literals with an explicit cast; identifiers are quoted by {@link Identifiers}.
 * Every value quoted here comes from the source's catalog or the control store, never from a user.
 */
final class Sql {
  private Sql() {}

  static String identifier(String name) {
    return Identifiers.quote(name);
  }

  static String table(String schema, String table) {
    return Identifiers.quote(schema, table);
  }

  /** {@code 'value'::type}; requires standard_conforming_strings (the default since PostgreSQL 9.1). */
  static String literal(String value, String pgType) {
    return "'" + value.replace("'", "''") + "'::" + pgType;
  }
}
