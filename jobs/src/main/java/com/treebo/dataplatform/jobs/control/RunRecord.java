package com.treebo.dataplatform.jobs.control;

import java.time.Instant;
import java.util.Optional;

/**
 * One run of one table, as the control store recorded it. Status: running, succeeded, failed or
 * abandoned. {@code runner} is the host and process id that ran it.
 */
public record RunRecord(
    String runId,
    String job,
    String tableId,
    String status,
    Optional<String> lowerBound,
    Optional<String> upperBound,
    RunCounts counts,
    Instant startedAt,
    Optional<Instant> finishedAt,
    Optional<String> error,
    Optional<String> runner) {}
