package com.treebo.dataplatform.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one {@link ExtractBench} invocation: one line per measured step and round, then
 * the three ratios the issue sets targets for, per round and over the median of the rounds, each
 * with PASS or MISS. Rates are rows per wall-clock second of the step.
 */
final class ExtractReport {
  static final String COPY = "(a) psql \\copy crs.booking to /dev/null";
  static final String STOCK = "(b) Spark stock JDBC reader -> Parquet";
  static final String STOCK_DELTA = "(b2) stock JDBC reader -> Delta saveAsTable";
  static final String FULL = "(c) full extract (ExtractJob.run)";
  static final String UPDATE = "(d) 1% UPDATE of crs.booking (source)";
  static final String INCREMENTAL = "(e) incremental extract (ExtractJob.run)";
  static final String RECENT_UPDATE = "(f) 1% UPDATE of the newest bookings";
  static final String RECENT_INCREMENTAL = "(g) incremental extract after (f)";
  static final String TINY_UPDATE = "(h) UPDATE of 100 scattered bookings";
  static final String TINY_INCREMENTAL = "(i) incremental extract after (h)";
  static final String EMPTY_INCREMENTAL = "(j) incremental extract, nothing changed";
  static final String FLOOR_MERGE = "(k) floor: Delta MERGE, 1 row into 1 row";
  static final String FLOOR_SCAN = "(l) floor: read every column of the lake table";

  /** One measured step; round 0 is a one-off (setup), not part of any ratio. */
  record Step(int round, String name, double seconds, long rows) {
    double rate() {
      return rows / seconds;
    }
  }

  private final String scale;
  private final List<Step> steps = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** @param scale names the sources the figures are of, e.g. "1,000,000 bookings" */
  ExtractReport(String scale) {
    this.scale = scale;
  }

  /** Records a step and prints it at once, so a long invocation shows its progress. */
  void add(int round, String name, double seconds, long rows) {
    Step step = new Step(round, name, seconds, rows);
    steps.add(step);
    System.out.printf(Locale.ROOT, "  %s: %.2f s, %,d rows, %,.0f rows/s%n", name, seconds, rows, step.rate());
  }

  void note(String line) {
    notes.add(line);
  }

  void print(int rounds) {
    System.out.println();
    System.out.println("=== Extract benchmark: results at " + scale);
    notes.forEach(n -> System.out.println("  " + n));
    System.out.printf("%n%-46s %5s %9s %12s %12s%n", "step", "round", "seconds", "rows", "rows/s");
    for (Step s : steps) {
      System.out.printf(Locale.ROOT, "%-46s %5s %9.2f %,12d %,12.0f%n", s.name(), s.round() == 0 ? "-" : s.round(),
          s.seconds(), s.rows(), s.rate());
    }
    if (rounds > 1) {
      for (String name : List.of(COPY, STOCK, STOCK_DELTA, FULL, UPDATE, INCREMENTAL, RECENT_UPDATE, RECENT_INCREMENTAL, TINY_UPDATE,
          TINY_INCREMENTAL, EMPTY_INCREMENTAL, FLOOR_MERGE, FLOOR_SCAN)) {
        System.out.printf(Locale.ROOT, "%-46s %5s %9.2f %12s %,12.0f%n", name, "med", median(name, Step::seconds), "",
            median(name, Step::rate));
      }
    }
    System.out.printf("%n%-46s %8s %9s %8s%n", "ratio", "measured", "target", "verdict");
    for (int r = 1; r <= rounds; r++) {
      int round = r;
      ratios(rounds > 1 ? "round " + r + ": " : "", name -> one(round, name, Step::seconds), name -> one(round, name, Step::rate));
    }
    if (rounds > 1) {
      ratios("median: ", name -> median(name, Step::seconds), name -> median(name, Step::rate));
    }
  }

  private static void ratios(String prefix, ToDoubleFunction<String> seconds, ToDoubleFunction<String> rate) {
    ratio(prefix + "full extract rate / COPY rate", rate.applyAsDouble(FULL) / rate.applyAsDouble(COPY), 0.6, true);
    ratio(prefix + "full extract rate / stock reader rate", rate.applyAsDouble(FULL) / rate.applyAsDouble(STOCK), 2.0, true);
    ratio(prefix + "full extract / stock JDBC -> Delta table", rate.applyAsDouble(FULL) / rate.applyAsDouble(STOCK_DELTA), 1.5, true);
    ratio(prefix + "incremental time / full extract time",
        seconds.applyAsDouble(INCREMENTAL) / seconds.applyAsDouble(FULL), 0.15, false);
    ratio(prefix + "(g) newest-1% incremental / full time",
        seconds.applyAsDouble(RECENT_INCREMENTAL) / seconds.applyAsDouble(FULL), 0.15, false);
    ratio(prefix + "(i) 100-row incremental / full time",
        seconds.applyAsDouble(TINY_INCREMENTAL) / seconds.applyAsDouble(FULL), 0.15, false);
    ratio(prefix + "(j) empty incremental / full time",
        seconds.applyAsDouble(EMPTY_INCREMENTAL) / seconds.applyAsDouble(FULL), 0.15, false);
    // No target: the least a MERGE of a delta scattered over every file can cost here, its fixed
    // cost plus one read of every column of every file (Delta rewrites the touched rows from them).
    System.out.printf(Locale.ROOT, "%-46s %7.2fx %9s %8s%n", prefix + "floor of a scattered delta (k)+(l) / full",
        (seconds.applyAsDouble(FLOOR_MERGE) + seconds.applyAsDouble(FLOOR_SCAN)) / seconds.applyAsDouble(FULL), "", "-");
  }

  private static void ratio(String what, double value, double target, boolean atLeast) {
    boolean pass = atLeast ? value >= target : value <= target;
    System.out.printf(Locale.ROOT, "%-46s %7.2fx %s %5.2fx %8s%n", what, value, atLeast ? ">=" : "<=", target, pass ? "PASS" : "MISS");
  }

  private double one(int round, String name, ToDoubleFunction<Step> f) {
    return steps.stream().filter(s -> s.round() == round && s.name().equals(name)).mapToDouble(f).findFirst().orElseThrow();
  }

  private double median(String name, ToDoubleFunction<Step> f) {
    double[] v = steps.stream().filter(s -> s.round() > 0 && s.name().equals(name)).mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
