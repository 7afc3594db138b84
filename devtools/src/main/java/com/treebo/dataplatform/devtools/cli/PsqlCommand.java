package com.treebo.dataplatform.devtools.cli;

import com.treebo.dataplatform.conf.InvalidConfigException;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.cli.PlatformCommand;
import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code psql}: psql on a database of the local PostgreSQL, which runs for as long as psql does. */
@Command(name = "psql", mixinStandardHelpOptions = true,
    description = {
        "Open psql on a database of the local PostgreSQL (default: the warehouse); local runs only.",
        "",
        "The local PostgreSQL runs only while a command does, so a psql of your own finds nothing listening: this",
        "starts it, runs psql on DATABASE as the postgres user, and stops it when psql exits. Databases: warehouse",
        "(schemas dw and rpt, as the dashboards read them), booking and inventory (the generated sources),",
        "dataplatform_control (runs, checkpoints, builds). Arguments after -- go to psql, for example:",
        "  bin/dataplatform psql warehouse -- -c \"SELECT * FROM rpt.channel_monthly\"",
        "Exit code: psql's."})
public final class PsqlCommand extends PlatformCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DATABASE", description = "Database to open (default: ${DEFAULT-VALUE}).")
  private String database = "warehouse";

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "PSQL_ARG", description = "Arguments for psql, after --.")
  private List<String> psqlArgs = new ArrayList<>();

  @Override
  protected void check(PlatformConfig config) {
    if (!config.local().enabled()) {
      throw new InvalidConfigException("local.enabled", "psql opens the embedded local PostgreSQL, so it only runs with"
          + " local.enabled = true; reach a real database with your own client");
    }
  }

  @Override
  protected int run(Platform platform) throws Exception {
    LocalPostgres pg = platform.runtime().postgres().orElseThrow();
    return new ProcessBuilder(command(pg, database, psqlArgs)).inheritIO().start().waitFor();
  }

  /** The psql command line: the server's own psql, on its port, as postgres, no ~/.psqlrc. */
  public static List<String> command(LocalPostgres pg, String database, List<String> args) {
    List<String> command = new ArrayList<>(List.of(pg.binary("psql").toString(), "-X", "-h", "127.0.0.1", "-p",
        Integer.toString(pg.port()), "-U", "postgres", database));
    command.addAll(args);
    return command;
  }
}
