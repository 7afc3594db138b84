package com.treebo.dataplatform.jobs.extract;

import com.treebo.dataplatform.jobs.control.RunCounts;
import java.time.Duration;
import java.util.Optional;

/** The outcome of one table's extract, for the run summary. */
public record TableResult(String tableId, String mode, RunCounts counts, Duration duration, Optional<String> error) {
  public boolean succeeded() {
    return error.isEmpty();
  }
}
