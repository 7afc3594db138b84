package com.treebo.dataplatform.jobs.control;

import java.time.Instant;
import java.util.Optional;

/**
 * One table's line in {@code bin/dataplatform status}.
 *
 * @param lastSuccess the newest succeeded run
 * @param watermark the committed watermark
 * @param lastFailure the newest failed or abandoned run, if newer than the last success
 */
public record TableStatus(
    String tableId,
    Optional<RunRecord> lastSuccess,
    Optional<String> watermark,
    Optional<RunRecord> lastFailure) {}
