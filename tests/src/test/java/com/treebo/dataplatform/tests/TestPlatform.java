package com.treebo.dataplatform.tests;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.runtime.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;

/**
 * The one local runtime (PostgreSQL, S3 server, Derby metastore) and the one SparkSession of this
 * test JVM, started on first use and stopped when the JVM exits. Tests never stop them.
 *
 * <p>Each test gets its own source databases and lake root through {@link #newScenario(String)}, so
 * tests do not see each other's rows.
 */
public final class TestPlatform {
  private static final AtomicInteger SCENARIOS = new AtomicInteger();
  private static TestPlatform instance;

  private final Path home;
  private final int pgPort;
  private final int s3Port;
  private final LocalRuntime runtime;
  private final SparkSession spark;

  private TestPlatform(Path home, int pgPort, int s3Port) {
    this.home = home;
    this.pgPort = pgPort;
    this.s3Port = s3Port;
    PlatformConfig base = PlatformConfig.load(Optional.of(baseOverlay()), "test platform");
    this.runtime = LocalRuntime.start(base);
    this.spark = Sessions.create(base, runtime, "dataplatform-tests");
    spark.sparkContext().setLogLevel("WARN");
    // Before the first s3a:// access creates (and caches) the file system: see UnbufferedS3AFileSystem.
    spark.sparkContext().hadoopConfiguration().set("fs.s3a.impl", UnbufferedS3AFileSystem.class.getName());
  }

  public static synchronized TestPlatform get() {
    if (instance == null) {
      String tmp = System.getProperty("dataplatform.test.tmp", "target/test-tmp");
      Path home = Path.of(tmp, "platform-" + ProcessHandle.current().pid()).toAbsolutePath();
      try {
        Files.createDirectories(home);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      instance = new TestPlatform(home, freePort(), freePort());
      TestPlatform started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started.runtime::close));
    }
    return instance;
  }

  public SparkSession spark() {
    return spark;
  }

  public LocalRuntime runtime() {
    return runtime;
  }

  public LocalPostgres postgres() {
    return runtime.postgres().orElseThrow();
  }

  public Path home() {
    return home;
  }

  /** The S3 bucket every scenario's lake lives in. */
  public static String bucket() {
    return "lake-test";
  }

  /**
   * A fresh scenario: its own source databases, control database and lake root (on the local S3
   * server), as a config overlay to which a test may add its own HOCON.
   */
  public Scenario newScenario(String name) {
    String id = name.replaceAll("[^a-z0-9]", "_").toLowerCase() + "_" + SCENARIOS.incrementAndGet();
    return new Scenario(this, id);
  }

  String baseOverlay() {
    return """
        local { enabled = true, home = "%s", postgres-port = %d, s3-port = %d }
        spark { master = "local[2]", shuffle-partitions = 2 }
        lake.root = "s3a://%s/base"
        control.jdbc-url = "jdbc:postgresql://127.0.0.1:%d/control_base"
        pii.hash-key = "test-only-pii-key"
        """.formatted(home, pgPort, s3Port, bucket(), pgPort);
  }

  int pgPort() {
    return pgPort;
  }

  /** A TCP port free on 127.0.0.1 right now (for servers the tests start). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
