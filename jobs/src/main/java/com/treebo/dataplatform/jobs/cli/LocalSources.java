package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.SourceConfig;
import com.treebo.dataplatform.jobs.extract.SourceSnapshot;
import java.sql.Connection;

/** The local source databases the synthetic commands write to; refused outside local runs. */
final class LocalSources {
  private LocalSources() {}

  static void requireLocal(PlatformConfig config, String command) {
    if (!config.local().enabled()) {
      throw new UsageException(command + ": writes synthetic rows into the source databases, so it only runs with"
          + " local.enabled = true (the embedded local runtime), never against real sources");
    }
  }

  static Connection connect(PlatformConfig config, String source) {
    SourceConfig s = config.sources().stream().filter(x -> x.name().equals(source)).findFirst()
        .orElseThrow(() -> new UsageException("the configuration has no source database '" + source + "' (sources." + source + ")"));
    return SourceSnapshot.connect(s.name(), s.jdbc());
  }
}
