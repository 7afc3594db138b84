package com.treebo.dataplatform.devtools.cli;

import com.treebo.dataplatform.conf.InvalidConfigException;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.SourceConfig;
import com.treebo.dataplatform.jobs.extract.SourceSnapshot;
import java.sql.Connection;

/** The local source databases the synthetic commands write to; refused outside local runs. */
final class LocalSources {
  private LocalSources() {}

  static void requireLocal(PlatformConfig config, String command) {
    if (!config.local().enabled()) {
      throw new InvalidConfigException("local.enabled", command + " writes synthetic rows into the source databases, so it"
          + " only runs with local.enabled = true (the embedded local runtime), never against real sources");
    }
  }

  static Connection connect(PlatformConfig config, String source) {
    SourceConfig s = config.sources().stream().filter(x -> x.name().equals(source)).findFirst()
        .orElseThrow(() -> new InvalidConfigException("sources." + source, "the configuration has no source database '" + source
            + "', which the synthetic data is generated into"));
    return SourceSnapshot.connect(s.name(), s.jdbc());
  }
}
