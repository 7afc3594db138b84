package com.treebo.dataplatform.conf;

import java.nio.file.Path;

/**
 * The embedded local runtime (development and tests only).
 *
 * @param enabled start a local PostgreSQL (and S3 server when the lake is on one) for the run
 * @param home absolute folder for the local cluster, lake, metastore and scratch space
 */
public record LocalConfig(boolean enabled, Path home, int postgresPort, int s3Port) {}
