package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.jobs.runtime.Platform;
import java.util.Set;

/**
 * One subcommand of {@code bin/dataplatform}: its name, a one-line summary, its usage text and the
 * options it takes. The list of commands is {@link Main#COMMANDS}: registration by listing, not
 * by reflection.
 *
 * @param valueOptions options that take a value ({@code --to 2026-11-20})
 * @param flagOptions switches ({@code --full})
 */
record Command(String name, String summary, String usage, Set<String> valueOptions, Set<String> flagOptions, Runner runner) {

  /** Runs the command; returns the process exit code (0 ok, 1 some work failed). */
  interface Runner {
    int run(Platform platform, Args args) throws Exception;
  }
}
