package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.conf.InvalidConfigException;
import com.treebo.dataplatform.conf.PlatformConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The one entry point, locally ({@code bin/dataplatform}) and on EMR ({@code spark-submit --class
 * com.treebo.dataplatform.jobs.cli.Main dataplatform-emr.jar [--conf FILE] <command> ...}). The
 * command line is parsed by picocli from the annotations of the command classes; their help is
 * generated from the same annotations.
 *
 * <p>Exit codes: 0 done; 1 the command ran and some of its work failed (the summary says which);
 * 2 the command line or the configuration is wrong and nothing was done.
 */
@Command(name = "dataplatform", mixinStandardHelpOptions = true, version = "dataplatform 0.1.0",
    usageHelpAutoWidth = true,
    description = {
        "Treebo's data platform: batch extracts of the application databases and the clickstream into the lake,",
        "the star schema, and the warehouse load. The built-in defaults run everything locally (local Spark, a",
        "local PostgreSQL, a lake folder); --conf layers a HOCON file (local path or s3:// URI) over them."},
    subcommands = {RunCommand.class, ExtractCommand.class, ClickstreamCommand.class, ModelCommand.class, LoadCommand.class,
        StatusCommand.class,
        SqlCommand.class, CatalogCommand.class, EmrCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Run 'bin/dataplatform <command> --help' for a command's options.",
        "Exit codes: 0 done; 1 some of the work failed (the summary says which); 2 wrong command line or configuration."})
public final class Main implements Runnable {
  /** Exit code: the command line or the configuration is wrong; nothing was done. */
  public static final int USAGE = 2;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file (local path or s3:// URI) layered over the built-in defaults.")
  private String conf;

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: give one of " + spec.subcommands().keySet());
  }

  public static void main(String[] argv) {
    int code = run(List.of(argv));
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line of the production commands; returns the exit code instead of exiting (tests call this). */
  public static int run(List<String> argv) {
    return commandLine(List.of()).execute(argv.toArray(String[]::new));
  }

  /**
   * The command line of {@code bin/dataplatform}: the production commands, plus {@code extra}
   * (the local tools' commands: demo, generate), every one sharing --conf and the exit codes.
   */
  public static CommandLine commandLine(List<Object> extra) {
    CommandLine cli = new CommandLine(new Main());
    for (Object command : extra) {
      cli.addSubcommand(command);
    }
    cli.setExecutionExceptionHandler(Main::failed);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /**
   * The configuration: the built-in defaults, with the --conf file (local path or s3:// URI) layered
   * over, its substitutions resolved from the AWS Secrets Manager secret {@code secrets.aws-secret-id}
   * when one is set, then from the environment.
   */
  PlatformConfig config() {
    return PlatformConfig.load(conf == null ? Optional.empty() : Optional.of(readConfFile(conf)), conf == null ? "built-in defaults" : conf,
        new com.treebo.dataplatform.jobs.runtime.AwsSecrets());
  }

  /** The --conf file's {@code emr} and {@code night} blocks over the defaults; the jobs' other settings are not read. */
  com.treebo.dataplatform.conf.EmrConfig emrConfig() {
    return com.treebo.dataplatform.conf.EmrConfig.load(conf == null ? Optional.empty() : Optional.of(readConfFile(conf)),
        conf == null ? "built-in defaults" : conf);
  }

  private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    PrintWriter err = command.getErr();
    String name = command.getCommandName();
    if (e instanceof InvalidConfigException) {
      err.println("dataplatform " + name + ": " + e.getMessage());
      err.flush();
      return USAGE;
    }
    err.println("dataplatform " + name + " failed: " + describe(e));
    if (System.getenv("DATAPLATFORM_DEBUG") != null) {
      e.printStackTrace(err);
    } else {
      err.println("(set DATAPLATFORM_DEBUG=1 for the stack trace)");
    }
    err.flush();
    return 1;
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
}
