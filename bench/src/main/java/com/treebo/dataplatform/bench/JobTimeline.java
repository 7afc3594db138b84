package com.treebo.dataplatform.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.SparkSession;

/**
 * Records every Spark job of the session (call site, start, end, executor CPU and run time of its
 * stages) (and task count) so that a measured step can be broken down into its jobs and the driver time between
 * them. Events arrive on Spark's listener bus thread, slightly after the fact; read a window only
 * after the step has returned and {@link #settle()} has drained the bus.
 */
final class JobTimeline extends SparkListener {
  /** One finished job; times in epoch milliseconds, CPU and run time in seconds summed over tasks. */
  record Job(int id, String callSite, long start, long end, double executorCpu, double executorRun, int tasks) {}

  private final Map<Integer, long[]> started = new ConcurrentHashMap<>();
  private final Map<Integer, String> sites = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
  private final Map<Integer, double[]> stageTimes = new ConcurrentHashMap<>();
  private final List<Job> finished = new ArrayList<>();
  private final SparkSession spark;

  private JobTimeline(SparkSession spark) {
    this.spark = spark;
  }

  static JobTimeline register(SparkSession spark) {
    JobTimeline timeline = new JobTimeline(spark);
    spark.sparkContext().addSparkListener(timeline);
    return timeline;
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    started.put(e.jobId(), new long[] {e.time()});
    // A stage is named for the call site of its job's action (e.g. "parquet at RawZone.java:36").
    StageInfo last = null;
    for (StageInfo s : scala.collection.JavaConverters.seqAsJavaList(e.stageInfos())) {
      jobOfStage.put(s.stageId(), e.jobId());
      last = last == null || s.stageId() > last.stageId() ? s : last;
    }
    String site = last == null ? "?" : last.name();
    // The job group's description, when the job set one, says which step of the job this is.
    String description = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
    sites.put(e.jobId(), description == null ? site : description + " | " + site);
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted e) {
    StageInfo s = e.stageInfo();
    Integer job = jobOfStage.get(s.stageId());
    if (job == null || s.taskMetrics() == null) {
      return;
    }
    stageTimes.merge(job, new double[] {s.taskMetrics().executorCpuTime() / 1e9, s.taskMetrics().executorRunTime() / 1e3, s.numTasks()},
        (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    long[] start = started.remove(e.jobId());
    double[] times = stageTimes.getOrDefault(e.jobId(), new double[3]);
    synchronized (finished) {
      finished.add(new Job(e.jobId(), sites.remove(e.jobId()), start == null ? e.time() : start[0], e.time(), times[0], times[1], (int) times[2]));
    }
  }

  /** Waits until every event posted so far has been delivered to the listeners. */
  void settle() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain in 60 s; the job profile would be incomplete", e);
    }
  }

  /** Jobs that started within [from, to] (epoch ms), in start order. */
  List<Job> between(long from, long to) {
    settle();
    synchronized (finished) {
      return finished.stream().filter(j -> j.start() >= from && j.start() <= to)
          .sorted(java.util.Comparator.comparingLong(Job::start)).toList();
    }
  }
}
