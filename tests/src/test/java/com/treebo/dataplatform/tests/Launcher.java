package com.treebo.dataplatform.tests;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/dataplatform}'s entry point in a child JVM, as EMR runs a step: a fresh process
 * that can be killed without touching the test JVM. Same classpath and JVM flags as the tests.
 */
final class Launcher {
  private Launcher() {}

  record Result(int exitCode, String output) {}

  static Result run(Path workDir, List<String> systemProperties, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty") || a.startsWith("-Ddataplatform.s3proxy.jar")) {
        command.add(a);
      }
    }
    command.add("-Xmx1g");
    command.addAll(systemProperties);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("com.treebo.dataplatform.jobs.cli.Main");
    command.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "launch-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = builder.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("launcher did not finish in 5 minutes: " + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log));
  }
}
