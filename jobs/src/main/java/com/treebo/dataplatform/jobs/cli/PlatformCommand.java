package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that runs against the platform: the configuration is parsed (every config error found
 * here, before any work starts: exit 2), the local runtime started when the configuration asks for
 * it, and {@link #run} called; the runtime is stopped after. Subclasses declare their options with
 * picocli annotations.
 */
public abstract class PlatformCommand implements Callable<Integer> {
  @ParentCommand
  private Main root;

  @Spec
  protected CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    PlatformConfig config = root.config();
    check(config);
    try (Platform platform = Platform.start(config, "dataplatform " + spec.name())) {
      return run(platform);
    }
  }

  /** Checks the options against the configuration before anything starts; throw a ParameterException or InvalidConfigException. */
  protected void check(PlatformConfig config) {}

  /** Runs the command; returns the exit code (0 ok, 1 some of its work failed). */
  protected abstract int run(Platform platform) throws Exception;
}
