package com.treebo.dataplatform.jobs.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;

/**
 * Independent pieces of one job's work run side by side in one Spark session, so that the fixed
 * costs of their Spark jobs (planning, scheduling, Delta's log work on the driver) overlap instead
 * of adding up. The tasks must not share mutable state beyond what they synchronize, nor change
 * the session's settings (every thread sees them).
 *
 * <p>Every task runs to its end even when another fails: nothing is left running behind the
 * caller's back. The first failure, in task order, is then thrown as it was (checked exceptions,
 * such as Spark's {@code AnalysisException}, wrapped once). Worker threads see the caller's active
 * Spark session and job description.
 */
public final class SideBySide {
  private SideBySide() {}

  /** Runs {@code tasks} on up to {@code threads} threads (one: in order, on the caller's thread); their results in task order. */
  public static <T> List<T> run(SparkSession spark, int threads, List<? extends Callable<T>> tasks) {
    List<T> results = new ArrayList<>();
    if (threads <= 1 || tasks.size() <= 1) {
      for (Callable<T> t : tasks) {
        results.add(call(t));
      }
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()));
    try {
      List<Future<T>> running = new ArrayList<>();
      for (Callable<T> t : tasks) {
        running.add(pool.submit(() -> {
          SparkSession.setActiveSession(spark);
          return t.call();
        }));
      }
      Throwable first = null;
      for (Future<T> f : running) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          first = first == null ? e.getCause() : first;
          results.add(null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running.forEach(r -> r.cancel(true));
          throw new IllegalStateException("Interrupted while waiting for tasks running side by side", e);
        }
      }
      if (first != null) {
        throw unchecked(first);
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  private static <T> T call(Callable<T> task) {
    try {
      return task.call();
    } catch (Exception e) {
      throw unchecked(e);
    }
  }

  private static RuntimeException unchecked(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t.getMessage(), t);
  }
}
