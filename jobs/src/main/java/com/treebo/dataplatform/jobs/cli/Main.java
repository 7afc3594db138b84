package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.InvalidConfigException;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.runtime.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one entry point, locally ({@code bin/dataplatform}) and on EMR ({@code spark-submit --class
 * com.treebo.dataplatform.jobs.cli.Main dataplatform-emr.jar [--conf FILE] <command> ...}).
 *
 * <p>Exit codes: 0 done; 1 the command ran and some of its work failed (the summary says which);
 * 2 the command line or the configuration is wrong and nothing was done.
 */
public final class Main {
  static final List<Command> COMMANDS = List.of(
      DemoCommand.COMMAND,
      GenerateCommand.COMMAND,
      ExtractCommand.COMMAND,
      StatusCommand.COMMAND,
      ClickstreamCommand.COMMAND,
      SqlCommand.COMMAND);

  private Main() {}

  public static void main(String[] argv) {
    int code = run(Arrays.asList(argv));
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line; returns the exit code instead of exiting (tests call this). */
  public static int run(List<String> argv) {
    List<String> args = new ArrayList<>(argv);
    Optional<String> confFile = Optional.empty();
    while (!args.isEmpty() && args.get(0).startsWith("--")) {
      String a = args.remove(0);
      if (a.equals("--conf") && !args.isEmpty()) {
        confFile = Optional.of(args.remove(0));
      } else if (a.startsWith("--conf=")) {
        confFile = Optional.of(a.substring("--conf=".length()));
      } else if (a.equals("--help") || a.equals("-h")) {
        System.out.println(usage());
        return 0;
      } else {
        System.err.println("dataplatform: unknown option " + a + "\n\n" + usage());
        return 2;
      }
    }
    if (args.isEmpty()) {
      System.err.println(usage());
      return 2;
    }
    String name = args.remove(0);
    Optional<Command> command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
    if (command.isEmpty()) {
      System.err.println("dataplatform: unknown command '" + name + "'\n\n" + usage());
      return 2;
    }
    return run(command.get(), confFile, args);
  }

  private static int run(Command command, Optional<String> confFile, List<String> rest) {
    Args args;
    try {
      args = Args.parse(rest, command.valueOptions(), command.flagOptions(), command.name());
    } catch (UsageException e) {
      System.err.println("dataplatform " + e.getMessage() + "\n\n" + command.usage());
      return 2;
    }
    if (args.flag("--help")) {
      System.out.println(command.usage());
      return 0;
    }
    PlatformConfig config;
    try {
      config = loadConfig(confFile);
    } catch (InvalidConfigException e) {
      System.err.println("dataplatform " + command.name() + ": " + e.getMessage());
      return 2;
    }
    try (Platform platform = Platform.start(config, "dataplatform " + command.name())) {
      return command.runner().run(platform, args);
    } catch (UsageException | InvalidConfigException e) {
      System.err.println("dataplatform " + command.name() + ": " + e.getMessage() + (e instanceof UsageException ? "\n\n" + command.usage() : ""));
      return 2;
    } catch (Exception e) {
      System.err.println("dataplatform " + command.name() + " failed: " + describe(e));
      if (System.getenv("DATAPLATFORM_DEBUG") != null) {
        e.printStackTrace();
      } else {
        System.err.println("(set DATAPLATFORM_DEBUG=1 for the stack trace)");
      }
      return 1;
    }
  }

  /** The configuration: the built-in defaults, with the --conf file (local path or s3:// URI) layered over. */
  static PlatformConfig loadConfig(Optional<String> confFile) {
    if (confFile.isEmpty()) {
      return PlatformConfig.defaults();
    }
    String file = confFile.get();
    return PlatformConfig.load(Optional.of(readConfFile(file)), file);
  }

  private static String readConfFile(String file) {
    try {
      if (file.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
        try (InputStream in = path.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(path)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new InvalidConfigException("--conf", "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The message of an exception and of its causes, without repeats. */
  static String describe(Throwable e) {
    StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
        s.append("\n  caused by: ").append(c.getMessage());
      }
    }
    return s.toString();
  }

  static String usage() {
    StringBuilder s = new StringBuilder("""
        Usage: bin/dataplatform [--conf FILE] <command> [options]

        Treebo's data platform: batch extracts of the application databases and the clickstream
        into the lake. --conf layers a HOCON file (local path or s3:// URI) over the built-in
        defaults, which run everything locally (local Spark, a local PostgreSQL, a lake folder).

        Commands:
        """);
    for (Command c : COMMANDS) {
      s.append(String.format("  %-12s %s%n", c.name(), c.summary()));
    }
    s.append("\nRun 'bin/dataplatform <command> --help' for a command's options.");
    return s.toString();
  }

  static Set<String> none() {
    return Set.of();
  }
}
