package com.treebo.dataplatform.jobs.runtime;

import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded local runtime of a development run or a test: a local PostgreSQL holding the
 * source and control databases, an S3 server when the lake root is an {@code s3a://} URI, and the
 * folders of the Derby metastore. {@link #none()} stands for EMR, where all of it is real AWS.
 */
public final class LocalRuntime implements AutoCloseable {
  private final Path home;
  private final Optional<LocalPostgres> postgres;
  private final Optional<LocalS3> s3;

  private LocalRuntime(Path home, Optional<LocalPostgres> postgres, Optional<LocalS3> s3) {
    this.home = home;
    this.postgres = postgres;
    this.s3 = s3;
  }

  /** No local runtime: production. */
  public static LocalRuntime none() {
    return new LocalRuntime(null, Optional.empty(), Optional.empty());
  }

  /** Starts what {@code config} needs locally, or returns {@link #none()} when local.enabled is false. */
  public static LocalRuntime start(PlatformConfig config) {
    if (!config.local().enabled()) {
      return none();
    }
    Path home = config.local().home();
    mkdirs(home);
    LocalPostgres pg = LocalPostgres.start(home.resolve("postgres"), config.local().postgresPort());
    LocalS3 s3 = null;
    try {
      for (JdbcConfig jdbc : Stream.concat(Stream.of(config.control().jdbc(), config.warehouse().jdbc()), config.sources().stream().map(s -> s.jdbc())).toList()) {
        localDatabase(jdbc.url(), pg.port()).ifPresent(pg::ensureDatabase);
      }
      URI lake = URI.create(config.lake().root());
      if ("s3a".equals(lake.getScheme())) {
        s3 = LocalS3.start(home.resolve("s3"), config.local().s3Port(), List.of(lake.getHost()));
      }
      return new LocalRuntime(home, Optional.of(pg), Optional.ofNullable(s3));
    } catch (RuntimeException e) {
      if (s3 != null) {
        s3.close();
      }
      pg.close();
      throw e;
    }
  }

  public boolean isLocal() {
    return home != null;
  }

  public Path home() {
    return home;
  }

  public Optional<LocalPostgres> postgres() {
    return postgres;
  }

  public Optional<LocalS3> s3() {
    return s3;
  }

  /**
   * The PII hash key: the configured one, or for local runs without one, a random key generated once
   * and kept under local.home (readable by its owner only). Outside local runs a missing key is an error.
   */
  public Secret piiKey(PlatformConfig config) {
    if (!config.pii().hashKey().isEmpty()) {
      return config.pii().hashKey();
    }
    if (!isLocal()) {
      throw new IllegalStateException("Invalid configuration at pii.hash-key: is empty. Set the environment "
          + "variable DATAPLATFORM_PII_KEY (e.g. from AWS Secrets Manager in the EMR step) to the HMAC key.");
    }
    Path file = home.resolve("pii.key");
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(file, HexFormat.of().formatHex(key));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return new Secret(Files.readString(file).trim());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read or create the local PII key " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.ifPresent(LocalS3::close);
    postgres.ifPresent(LocalPostgres::close);
  }

  /** The database name of a JDBC URL that points at the local cluster's port, if it does. */
  public static Optional<String> localDatabase(String jdbcUrl, int port) {
    String prefix = "jdbc:postgresql://127.0.0.1:" + port + "/";
    String prefixLocalhost = "jdbc:postgresql://localhost:" + port + "/";
    for (String p : List.of(prefix, prefixLocalhost)) {
      if (jdbcUrl.startsWith(p)) {
        String rest = jdbcUrl.substring(p.length());
        int q = rest.indexOf('?');
        return Optional.of(q >= 0 ? rest.substring(0, q) : rest);
      }
    }
    return Optional.empty();
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create local.home " + dir + ": " + e.getMessage(), e);
    }
  }
}
