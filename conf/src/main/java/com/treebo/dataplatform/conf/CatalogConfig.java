package com.treebo.dataplatform.conf;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the platform's tables are published beyond Spark: Athena reads every {@code lake}, {@code dw}
 * and {@code rpt} table through its catalog entry (real columns, {@code table_type = DELTA}); Redshift
 * Spectrum reads the tables {@code spectrumTables} names through symlink manifests.
 *
 * @param spectrumTables metastore names, {@code database.table} or {@code database.*}, of the tables
 *     kept readable by Spectrum (their manifest rewritten at every commit, no deletion vectors)
 * @param spectrumSchema the Redshift external schema the load creates them in
 * @param spectrumDatabase the Glue database behind that external schema (never {@code lake} or
 *     {@code dw}: Redshift writes its own entries there)
 * @param spectrumIamRole the role Redshift assumes to read Glue and the lake's files (empty: the
 *     warehouse's COPY role)
 */
public record CatalogConfig(List<String> spectrumTables, String spectrumSchema, String spectrumDatabase, Optional<String> spectrumIamRole) {
  private static final Pattern ENTRY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.([A-Za-z_][A-Za-z0-9_]*|\\*)");

  public CatalogConfig {
    spectrumTables = List.copyOf(spectrumTables);
    for (String t : spectrumTables) {
      if (!ENTRY.matcher(t).matches()) {
        throw new IllegalArgumentException("'" + t + "' is not database.table or database.* (e.g. dw.* or lake.web_events)");
      }
    }
  }

  /** Whether Spectrum reads {@code qualified} ({@code database.table}), so that it keeps a symlink manifest. */
  public boolean spectrum(String qualified) {
    String q = qualified.toLowerCase(java.util.Locale.ROOT);
    int dot = q.indexOf('.');
    return spectrumTables.stream().map(t -> t.toLowerCase(java.util.Locale.ROOT))
        .anyMatch(t -> t.equals(q) || (t.endsWith(".*") && dot > 0 && t.substring(0, t.length() - 2).equals(q.substring(0, dot))));
  }
}
