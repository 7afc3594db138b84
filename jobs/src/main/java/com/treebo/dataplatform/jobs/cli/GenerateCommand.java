package com.treebo.dataplatform.jobs.cli;

import com.treebo.dataplatform.jobs.runtime.Platform;
import com.treebo.dataplatform.jobs.synthetic.SyntheticSources;
import java.sql.Connection;
import java.util.Set;

/** {@code generate}: fills the local source databases with synthetic data, or applies one day of changes. */
final class GenerateCommand {
  static final Command COMMAND = new Command("generate",
      "Fill the local source databases with synthetic data (or --mutate them); local runs only",
      """
      Usage: bin/dataplatform [--conf FILE] generate [--bookings N] [--seed S]
             bin/dataplatform [--conf FILE] generate --mutate FRACTION [--seed S] [--round R]

      Without --mutate: creates the source contract's schemas in the configured booking and
      inventory databases and fills every table deterministically from the seed, sized from
      --bookings (default 20000): guests, hotels, room types, stays, payments, with skew, unicode
      names, nulls and cancellations. The databases must be empty.
      With --mutate: one day of application activity through ordinary UPDATE/INSERT/DELETE (so
      updated_at is stamped by the triggers): about FRACTION of bookings change, new bookings,
      re-planned stays (hard deletes), new payments. --round makes successive days differ.
      Refuses to run unless local.enabled = true.
      """,
      Set.of("--bookings", "--seed", "--mutate", "--round"), Set.of(), GenerateCommand::run);

  private GenerateCommand() {}

  static int run(Platform platform, Args args) throws Exception {
    LocalSources.requireLocal(platform.config(), "generate");
    long seed = number(args, "--seed", 42);
    try (Connection booking = LocalSources.connect(platform.config(), "booking");
         Connection inventory = LocalSources.connect(platform.config(), "inventory")) {
      SyntheticSources.Summary summary;
      if (args.option("--mutate").isPresent()) {
        double fraction = Double.parseDouble(args.option("--mutate").get());
        summary = SyntheticSources.mutate(booking, inventory, fraction, seed, (int) number(args, "--round", 1));
        System.out.println("Mutated the sources: " + summary);
      } else {
        SyntheticSources.createSchema(booking, inventory);
        summary = SyntheticSources.generate(booking, inventory, number(args, "--bookings", 20_000), seed);
        System.out.println("Generated the sources: " + summary);
      }
    }
    return 0;
  }

  private static long number(Args args, String option, long fallback) {
    try {
      return args.option(option).map(Long::parseLong).orElse(fallback);
    } catch (NumberFormatException e) {
      throw new UsageException("generate: " + option + " must be a whole number");
    }
  }
}
