package com.treebo.dataplatform.jobs.night;

import com.treebo.dataplatform.jobs.control.Nights;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@code run} will do with each step of the night, decided before anything runs (and printed
 * by {@code --dry-run}): run it, or skip it because it already succeeded this night, because it is
 * a scheduled step not yet due, or because the command line left it out.
 *
 * @param night the night's date
 * @param steps every step of the pipeline, in run order, with its decision
 */
public record NightPlan(LocalDate night, List<Planned> steps) {
  public NightPlan {
    steps = List.copyOf(steps);
  }

  /** What happens to a step. */
  public enum Decision {
    RUN("run"), DONE("skip: succeeded this night"), NOT_DUE("skip: not due"), NOT_SELECTED("skip: not selected"),
    /** {@code --step}: a step it waits for has not succeeded this night; the run fails without running it. */
    WAITING("not run: waits for");

    private final String label;

    Decision(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One step and its decision; {@code reason} details it (the run that did it, when it is due). */
  public record Planned(Pipeline.Step step, Decision decision, String reason) {}

  /**
   * Which steps the command line asks for: all (the normal night), {@code --from STEP},
   * {@code --only STEP}, or {@code --step STEP} (one step as part of the night, as an EMR step runs
   * it: skipped when it succeeded this night or is not due, refused while a step it waits for has
   * not succeeded this night).
   */
  public record Selection(Optional<String> from, Optional<String> only, Optional<String> step) {
    public static final Selection ALL = new Selection(Optional.empty(), Optional.empty(), Optional.empty());

    public static Selection step(String name) {
      return new Selection(Optional.empty(), Optional.empty(), Optional.of(name));
    }
  }

  /**
   * The night a run starting at {@code now} belongs to: the date, in {@code zone}, on which its
   * evening began (a run before noon belongs to the previous date's night).
   */
  public static LocalDate nightOf(Instant now, ZoneId zone) {
    return LocalDate.ofInstant(now.minus(Duration.ofHours(12)), zone);
  }

  /**
   * Decides every step. Without a selection, steps that succeeded this night are skipped and
   * scheduled steps run when due. {@code --from STEP} runs STEP and every step after it again
   * (scheduled ones still when due); {@code --only STEP} runs that step alone, whatever the ledger
   * and its schedule say.
   *
   * @param latest per step, its latest attempt this night
   * @param lastSuccess per step, when it last succeeded in any night (scheduled steps)
   */
  public static NightPlan decide(Pipeline pipeline, LocalDate night, Selection selection, Map<String, Nights.StepRecord> latest,
      Function<String, Optional<Instant>> lastSuccess, Instant now) {
    selection.from().ifPresent(pipeline::step);
    selection.only().ifPresent(pipeline::step);
    selection.step().ifPresent(pipeline::step);
    List<String> fromOn = selection.from().map(f -> pipeline.from(f).stream().map(Pipeline.Step::name).toList()).orElse(List.of());
    List<Planned> out = new ArrayList<>();
    for (Pipeline.Step s : pipeline.steps()) {
      if (selection.only().isPresent()) {
        out.add(selection.only().get().equals(s.name()) ? new Planned(s, Decision.RUN, "--only")
            : new Planned(s, Decision.NOT_SELECTED, "--only " + selection.only().get()));
        continue;
      }
      if (selection.step().isPresent() && !selection.step().get().equals(s.name())) {
        out.add(new Planned(s, Decision.NOT_SELECTED, "--step " + selection.step().get()));
        continue;
      }
      if (selection.from().isPresent() && !fromOn.contains(s.name())) {
        out.add(new Planned(s, Decision.NOT_SELECTED, "before --from " + selection.from().get()));
        continue;
      }
      Nights.StepRecord previous = latest.get(s.name());
      if (selection.from().isEmpty() && previous != null && previous.succeeded()) {
        out.add(new Planned(s, Decision.DONE, "run " + previous.runId()));
        continue;
      }
      boolean named = selection.from().map(s.name()::equals).orElse(false);
      Optional<Instant> last = s.every().isPresent() ? lastSuccess.apply(s.name()) : Optional.empty();
      if (!named && !s.due(last, now)) {
        Duration every = s.every().orElseThrow();
        out.add(new Planned(s, Decision.NOT_DUE, "last " + last.map(Instant::toString).orElse("-") + ", due after "
            + last.get().plus(every.minus(every.dividedBy(4)))));
        continue;
      }
      if (selection.step().isPresent()) {
        List<String> waiting = s.after().stream().filter(a -> latest.get(a) == null || !latest.get(a).succeeded()).toList();
        if (!waiting.isEmpty()) {
          out.add(new Planned(s, Decision.WAITING, String.join(", ", waiting.stream()
              .map(a -> a + " (" + (latest.get(a) == null ? "not run" : latest.get(a).status()) + " this night)").toList())));
          continue;
        }
      }
      out.add(new Planned(s, Decision.RUN, s.every().map(e -> "due (every " + e.toDays() + " days)").orElse("")));
    }
    return new NightPlan(night, out);
  }

  /** Whether a step is refused because what it waits for has not succeeded ({@code --step}). */
  public boolean waiting() {
    return steps.stream().anyMatch(p -> p.decision() == Decision.WAITING);
  }

  /** The steps that will run. */
  public List<Pipeline.Step> toRun() {
    return steps.stream().filter(p -> p.decision() == Decision.RUN).map(Planned::step).toList();
  }

  /** Prints the plan, one line per step: name, what it waits for, decision. */
  public void print(PrintStream out) {
    out.printf("night %s: %d of %d step(s) to run%n", night, toRun().size(), steps.size());
    for (Planned p : steps) {
      out.printf("  %-12s %-28s %-30s %s%n", p.step().name(),
          p.step().after().isEmpty() ? "" : "after " + String.join(", ", p.step().after()), p.decision().label(), p.reason());
    }
  }
}
