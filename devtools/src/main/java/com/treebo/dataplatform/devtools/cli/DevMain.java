package com.treebo.dataplatform.devtools.cli;

import com.treebo.dataplatform.jobs.cli.Main;
import java.util.List;

/**
 * {@code bin/dataplatform} on a development machine: every production command of {@link Main},
 * plus the local tools that generate synthetic sources ({@code demo}, {@code generate}). The EMR jar
 * holds {@link Main} only: nothing that writes into source databases ships to production.
 */
public final class DevMain {
  private DevMain() {}

  public static void main(String[] argv) {
    int code = run(List.of(argv));
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line; returns the exit code (tests call this). */
  public static int run(List<String> argv) {
    return Main.commandLine(List.of(new DemoCommand(), new GenerateCommand(), new PsqlCommand())).execute(argv.toArray(String[]::new));
  }
}
