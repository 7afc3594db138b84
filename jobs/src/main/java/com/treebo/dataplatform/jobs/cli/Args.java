package com.treebo.dataplatform.jobs.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's arguments: {@code --name value} options, {@code --flag} switches and positionals,
 * checked against what the command declares so that a typo is an error, not a silent default.
 */
final class Args {
  private final Map<String, String> options;
  private final Set<String> flags;
  private final List<String> positionals;

  private Args(Map<String, String> options, Set<String> flags, List<String> positionals) {
    this.options = options;
    this.flags = flags;
    this.positionals = positionals;
  }

  /**
   * Parses {@code args} for a command accepting {@code valueOptions} (each takes a value) and
   * {@code flagOptions}; {@code --help} is always accepted as a flag.
   */
  static Args parse(List<String> args, Set<String> valueOptions, Set<String> flagOptions, String command) {
    Map<String, String> options = new HashMap<>();
    java.util.HashSet<String> flags = new java.util.HashSet<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--help") || a.equals("-h")) {
        flags.add("--help");
      } else if (a.startsWith("--")) {
        String name = a;
        String value = null;
        int eq = a.indexOf('=');
        if (eq > 0) {
          name = a.substring(0, eq);
          value = a.substring(eq + 1);
        }
        if (valueOptions.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.size()) {
              throw new UsageException(command + ": option " + name + " needs a value");
            }
            value = args.get(++i);
          }
          options.put(name, value);
        } else if (flagOptions.contains(name) && value == null) {
          flags.add(name);
        } else {
          throw new UsageException(command + ": unknown option " + a);
        }
      } else {
        positionals.add(a);
      }
    }
    return new Args(options, Set.copyOf(flags), List.copyOf(positionals));
  }

  Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  List<String> positionals() {
    return positionals;
  }
}
