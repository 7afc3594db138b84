package com.treebo.dataplatform.jobs.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible server on 127.0.0.1 (s3proxy over a local folder), so that {@code s3a://} lake
 * paths are exercised for real in development and tests. It runs as a child JVM from its own fat
 * jar, never on our classpath (its Jetty and Guava would clash with Spark's).
 *
 * <p>The credentials are fixed, local-only values: this server holds throwaway data on loopback.
 */
public final class LocalS3 implements AutoCloseable {
  /** Access key of the local server (not a secret: loopback-only throwaway data). */
  public static final String ACCESS_KEY = "local-access";
  /** Secret key of the local server (not a secret: loopback-only throwaway data). */
  public static final String SECRET_KEY = "local-secret-key";

  private final Process process;
  private final int port;

  private LocalS3(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server on {@code port}, storing objects under {@code dataDir}, with {@code buckets} created. */
  public static LocalS3 start(Path dataDir, int port, List<String> buckets) {
    Path jar = s3proxyJar();
    try {
      Files.createDirectories(dataDir);
      for (String bucket : buckets) {
        Files.createDirectories(dataDir.resolve(bucket));
      }
      Path properties = dataDir.resolveSibling(dataDir.getFileName() + "-s3proxy.properties");
      StringBuilder text = new StringBuilder();
      Map.of(
          "s3proxy.endpoint", "http://127.0.0.1:" + port,
          "s3proxy.authorization", "aws-v2-or-v4",
          "s3proxy.identity", ACCESS_KEY,
          "s3proxy.credential", SECRET_KEY,
          "jclouds.provider", "filesystem-nio2",
          "jclouds.filesystem.basedir", dataDir.toString(),
          "jclouds.identity", ACCESS_KEY,
          "jclouds.credential", SECRET_KEY).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Files.writeString(properties, text);
      Path log = dataDir.resolveSibling(dataDir.getFileName() + "-s3proxy.log");
      Process process = new ProcessBuilder(javaBinary(), "-Xmx512m", "-jar", jar.toString(), "--properties", properties.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      LocalS3 server = new LocalS3(process, port);
      server.awaitPort(log);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the local S3 server in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The Hadoop settings that point S3A at this server (prefix them with spark.hadoop. for Spark). */
  public Map<String, String> hadoopSettings() {
    return Map.of(
        "fs.s3a.endpoint", endpoint(),
        "fs.s3a.endpoint.region", "us-east-1",
        "fs.s3a.path.style.access", "true",
        "fs.s3a.connection.ssl.enabled", "false",
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "fs.s3a.access.key", ACCESS_KEY,
        "fs.s3a.secret.key", SECRET_KEY,
        "fs.s3a.change.detection.mode", "none");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitPort(Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("s3proxy exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    close();
    throw new IOException("s3proxy did not listen on port " + port + " within 60 s; see " + log);
  }

  private static Path s3proxyJar() {
    String configured = System.getProperty("dataplatform.s3proxy.jar");
    Path jar = configured != null ? Path.of(configured) : Path.of("jobs/target/local-runtime/s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("The local S3 server's jar is not at " + jar.toAbsolutePath()
          + ": build the project (mvn -DskipTests package) or set -Ddataplatform.s3proxy.jar");
    }
    return jar;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
