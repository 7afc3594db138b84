package com.treebo.dataplatform.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The machine's PostgreSQL client and server programs (the same ones the local runtime starts). */
final class LocalPostgresBinaries {
  private LocalPostgresBinaries() {}

  /** The path of {@code program} of the newest PostgreSQL under /usr/lib/postgresql (or $PG_BIN). */
  static String bin(String program) {
    String env = System.getenv("PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, program))) {
      return Path.of(env, program).toString();
    }
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin").resolve(program)).filter(Files::isExecutable)
          .max(Comparator.comparing(Path::toString)).orElseThrow(() -> new IllegalStateException("no " + program + " found"))
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
