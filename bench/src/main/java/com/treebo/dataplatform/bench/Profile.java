package com.treebo.dataplatform.bench;

import java.util.List;
import java.util.Locale;

/**
 * Where a measured step's wall time went: every Spark job it ran (call site, offset from the start
 * of the step, duration, executor CPU and task time summed over its tasks), and the driver-only
 * time between jobs (planning, source snapshot, control store, Delta log work on the driver).
 */
final class Profile {
  private Profile() {}

  static void print(String what, long fromMs, long toMs, JobTimeline timeline) {
    List<JobTimeline.Job> jobs = timeline.between(fromMs, toMs);
    System.out.printf("%n--- profile: %s (%.2f s wall, %d Spark jobs)%n", what, (toMs - fromMs) / 1e3, jobs.size());
    System.out.printf("%8s %8s %8s %8s %6s  %s%n", "at s", "wall s", "task s", "cpu s", "tasks", "job (call site) / driver-only gap");
    long cursor = fromMs;
    double jobWall = 0;
    double gaps = 0;
    for (JobTimeline.Job j : jobs) {
      if (j.start() - cursor > 50) {
        System.out.printf(Locale.ROOT, "%8.2f %8.2f %8s %8s %6s  (driver only)%n", (cursor - fromMs) / 1e3, (j.start() - cursor) / 1e3, "", "", "");
        gaps += (j.start() - cursor) / 1e3;
      }
      System.out.printf(Locale.ROOT, "%8.2f %8.2f %8.2f %8.2f %6d  job %d %s%n", (j.start() - fromMs) / 1e3, (j.end() - j.start()) / 1e3,
          j.executorRun(), j.executorCpu(), j.tasks(), j.id(), j.callSite());
      jobWall += (Math.max(j.end(), cursor) - Math.max(j.start(), cursor)) / 1e3;
      cursor = Math.max(cursor, j.end());
    }
    if (toMs - cursor > 50) {
      System.out.printf(Locale.ROOT, "%8.2f %8.2f %8s %8s %6s  (driver only)%n", (cursor - fromMs) / 1e3, (toMs - cursor) / 1e3, "", "", "");
      gaps += (toMs - cursor) / 1e3;
    }
    System.out.printf(Locale.ROOT, "   in Spark jobs %.2f s, driver only %.2f s%n", jobWall, gaps);
  }
}
