package com.treebo.dataplatform.tests;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.model.ModelStage;
import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;

/** Runs the model stage in-process, as {@code bin/dataplatform model} does. */
final class Models {
  private Models() {}

  static StageReport build(PlatformConfig config) {
    return build(config, false);
  }

  static StageReport build(PlatformConfig config, boolean rebuild) {
    try (Platform platform = new Platform(config, TestPlatform.get().runtime(), "test model")) {
      StageReport report = new ModelStage(rebuild).run(platform);
      if (!report.succeeded()) {
        report.print(System.out);
      }
      return report;
    }
  }
}
