package com.treebo.dataplatform.conf;

import java.util.Optional;

/**
 * The warehouse the model is loaded into: Amazon Redshift ({@code jdbc:redshift:}), or PostgreSQL
 * ({@code jdbc:postgresql:}: the local warehouse of development runs and tests, loaded the same way).
 *
 * @param schema the schema of the dimensions and facts ({@code dw})
 * @param reportSchema the schema of the report views ({@code rpt})
 * @param stagingSchema PostgreSQL only: the schema of the staging tables the executors COPY into
 * @param iamRole Redshift only: the role COPY assumes to read the staged files
 * @param staging Redshift only: the {@code s3://} prefix the staged Parquet files and manifests go to
 */
public record WarehouseConfig(JdbcConfig jdbc, String schema, String reportSchema, String stagingSchema, Optional<String> iamRole,
    Optional<String> staging) {
  public WarehouseConfig {
    if (!(isRedshift(jdbc.url()) || jdbc.url().startsWith("jdbc:postgresql:"))) {
      throw new IllegalArgumentException("jdbc-url '" + jdbc.url() + "' is neither Redshift (jdbc:redshift:) nor PostgreSQL"
          + " (jdbc:postgresql:)");
    }
    if (isRedshift(jdbc.url()) && (iamRole.isEmpty() || staging.isEmpty())) {
      throw new IllegalArgumentException("a Redshift warehouse needs iam-role (the role COPY assumes) and staging (an s3:// prefix"
          + " for the staged files)");
    }
    staging.ifPresent(s -> {
      if (!s.startsWith("s3://") && !s.startsWith("s3a://")) {
        throw new IllegalArgumentException("staging '" + s + "' must be an s3:// prefix");
      }
    });
  }

  public boolean redshift() {
    return isRedshift(jdbc.url());
  }

  private static boolean isRedshift(String url) {
    return url.startsWith("jdbc:redshift:");
  }
}
