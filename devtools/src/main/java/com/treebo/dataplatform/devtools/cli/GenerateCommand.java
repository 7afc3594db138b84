package com.treebo.dataplatform.devtools.cli;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.devtools.synthetic.SyntheticSources;
import com.treebo.dataplatform.jobs.cli.PlatformCommand;
import com.treebo.dataplatform.jobs.stage.Platform;
import java.sql.Connection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: fills the local source databases with synthetic data, or applies one day of changes. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {
        "Fill the local source databases with synthetic data (or --mutate them); local runs only.",
        "",
        "Without --mutate: creates the source contract's schemas in the configured booking and inventory databases",
        "and fills every table deterministically from the seed, sized from --bookings: guests, hotels, room types,",
        "stays, payments, with skew, unicode names, nulls and cancellations. The databases must be empty.",
        "With --mutate: one day of application activity through ordinary UPDATE/INSERT/DELETE (so updated_at is",
        "stamped by the triggers): about FRACTION of bookings change, new bookings, re-planned stays (hard",
        "deletes), new payments, hotel category and room count changes. --round makes successive days differ.",
        "Refuses to run unless local.enabled = true."})
public final class GenerateCommand extends PlatformCommand {
  @Option(names = "--bookings", paramLabel = "N", description = "Bookings to generate (default: ${DEFAULT-VALUE}).")
  private long bookings = 20_000;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of every generated value (default: ${DEFAULT-VALUE}).")
  private long seed = 42;

  @Option(names = "--mutate", paramLabel = "FRACTION", description = "Apply one day of changes to about this share of the bookings.")
  private Double mutate;

  @Option(names = "--round", paramLabel = "R", description = "Which day of changes (default: ${DEFAULT-VALUE}).")
  private int round = 1;

  @Override
  protected void check(PlatformConfig config) {
    LocalSources.requireLocal(config, "generate");
  }

  @Override
  protected int run(Platform platform) throws Exception {
    try (Connection booking = LocalSources.connect(platform.config(), "booking");
         Connection inventory = LocalSources.connect(platform.config(), "inventory")) {
      if (mutate != null) {
        System.out.println("Mutated the sources: " + SyntheticSources.mutate(booking, inventory, mutate, seed, round));
      } else {
        SyntheticSources.createSchema(booking, inventory);
        System.out.println("Generated the sources: " + SyntheticSources.generate(booking, inventory, bookings, seed));
      }
    }
    return 0;
  }
}
