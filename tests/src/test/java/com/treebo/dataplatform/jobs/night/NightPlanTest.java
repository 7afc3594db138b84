package com.treebo.dataplatform.jobs.night;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.treebo.dataplatform.conf.NightConfig;
import com.treebo.dataplatform.jobs.control.Nights;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan of a night: what runs and what is skipped, from the ledger, the selection and the schedule. */
class NightPlanTest {
  private static final LocalDate NIGHT = LocalDate.of(2026, 11, 30);
  private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");
  private static final Pipeline PIPELINE = Pipeline.night(new NightConfig(ZoneId.of("Asia/Kolkata"), Duration.ofDays(7), Duration.ofDays(7)));

  private static Nights.StepRecord record(String step, String status) {
    return new Nights.StepRecord(NIGHT, step, "run-1", status, NOW.minusSeconds(3600), Optional.of(NOW), Optional.of(1000L),
        Optional.empty(), Optional.empty());
  }

  private static List<String> decisions(NightPlan.Selection selection, Map<String, Nights.StepRecord> ledger, Optional<Instant> maintained) {
    return NightPlan.decide(PIPELINE, NIGHT, selection, ledger, step -> maintained, NOW).steps().stream()
        .map(p -> p.step().name() + " " + p.decision()).toList();
  }

  @Test
  void theDagWaitsAsDefined() {
    assertEquals(List.of("extract", "clickstream", "model", "load", "maintain"), PIPELINE.names());
    assertEquals(List.of("extract", "clickstream"), PIPELINE.step("model").after());
    assertEquals(java.util.Set.of("model", "load", "maintain"), PIPELINE.downstreamOf("clickstream"));
    assertThrows(IllegalArgumentException.class, () -> PIPELINE.step("modle"));
  }

  @Test
  void aFreshNightRunsEverythingAndMaintenanceWhenDue() {
    assertEquals(List.of("extract RUN", "clickstream RUN", "model RUN", "load RUN", "maintain RUN"),
        decisions(NightPlan.Selection.ALL, Map.of(), Optional.empty()));
    assertEquals("maintain NOT_DUE", decisions(NightPlan.Selection.ALL, Map.of(), Optional.of(NOW.minus(Duration.ofDays(2)))).get(4));
    // Due once three quarters of the interval have passed: a weekly job started a little early still runs.
    assertEquals("maintain RUN", decisions(NightPlan.Selection.ALL, Map.of(), Optional.of(NOW.minus(Duration.ofHours(127)))).get(4));
  }

  @Test
  void aRerunSkipsWhatSucceededAndRunsTheFailedStepAndWhatFollows() {
    Map<String, Nights.StepRecord> ledger = new LinkedHashMap<>();
    ledger.put("extract", record("extract", "succeeded"));
    ledger.put("clickstream", record("clickstream", "succeeded"));
    ledger.put("model", record("model", "failed"));
    assertEquals(List.of("extract DONE", "clickstream DONE", "model RUN", "load RUN", "maintain RUN"),
        decisions(NightPlan.Selection.ALL, ledger, Optional.empty()));
    assertEquals(List.of("extract NOT_SELECTED", "clickstream RUN", "model RUN", "load RUN", "maintain NOT_DUE"),
        decisions(new NightPlan.Selection(Optional.of("clickstream"), Optional.empty(), Optional.empty()), ledger, Optional.of(NOW)));
    assertEquals(List.of("extract RUN", "clickstream NOT_SELECTED", "model NOT_SELECTED", "load NOT_SELECTED", "maintain NOT_SELECTED"),
        decisions(new NightPlan.Selection(Optional.empty(), Optional.of("extract"), Optional.empty()), ledger, Optional.empty()));
  }

  @Test
  void aStepRunAloneWaitsForWhatItNeedsThisNight() {
    Map<String, Nights.StepRecord> ledger = new LinkedHashMap<>();
    ledger.put("extract", record("extract", "failed"));
    ledger.put("clickstream", record("clickstream", "succeeded"));
    NightPlan plan = NightPlan.decide(PIPELINE, NIGHT, NightPlan.Selection.step("model"), ledger, s -> Optional.empty(), NOW);
    assertEquals(NightPlan.Decision.WAITING, plan.steps().get(2).decision());
    assertEquals("extract (failed this night)", plan.steps().get(2).reason());
    ledger.put("extract", record("extract", "succeeded"));
    assertEquals(List.of("extract NOT_SELECTED", "clickstream NOT_SELECTED", "model RUN", "load NOT_SELECTED", "maintain NOT_SELECTED"),
        decisions(NightPlan.Selection.step("model"), ledger, Optional.empty()));
    ledger.put("model", record("model", "succeeded"));
    assertEquals("model DONE", decisions(NightPlan.Selection.step("model"), ledger, Optional.empty()).get(2));
  }

  @Test
  void aNightIsNamedByTheDateItsEveningBeganInKolkata() {
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    assertEquals(LocalDate.of(2026, 11, 30), NightPlan.nightOf(Instant.parse("2026-11-30T20:30:00Z"), kolkata)); // 02:00 IST on the 1st
    assertEquals(LocalDate.of(2026, 11, 30), NightPlan.nightOf(Instant.parse("2026-12-01T06:00:00Z"), kolkata)); // 11:30 IST rerun
    assertEquals(LocalDate.of(2026, 12, 1), NightPlan.nightOf(Instant.parse("2026-12-01T07:00:00Z"), kolkata)); // 12:30 IST
  }
}
