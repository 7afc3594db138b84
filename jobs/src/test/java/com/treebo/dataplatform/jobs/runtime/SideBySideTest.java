package com.treebo.dataplatform.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SideBySideTest {

  @Test
  void runsTasksAtTheSameTimeAndReturnsTheirResultsInTaskOrder() {
    // Each task waits until all three are running: it passes only if they really run side by side.
    CyclicBarrier all = new CyclicBarrier(3);
    List<Callable<String>> tasks = List.of(() -> meet(all, "a", 300), () -> meet(all, "b", 0), () -> meet(all, "c", 100));
    assertEquals(List.of("a", "b", "c"), SideBySide.run(null, 3, tasks));
  }

  @Test
  void oneThreadRunsTheTasksInOrderOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    StringBuilder order = new StringBuilder();
    List<Callable<Thread>> tasks = List.of(() -> {
      order.append('1');
      return Thread.currentThread();
    }, () -> {
      order.append('2');
      return Thread.currentThread();
    });
    assertEquals(List.of(caller, caller), SideBySide.run(null, 1, tasks));
    assertEquals("12", order.toString());
  }

  @Test
  void aFailureIsThrownOnlyOnceEveryOtherTaskEnded() {
    AtomicBoolean slowEnded = new AtomicBoolean();
    IllegalArgumentException boom = new IllegalArgumentException("table dw.fact_booking: boom");
    List<Callable<Integer>> tasks = List.of(() -> {
      throw boom;
    }, () -> {
      TimeUnit.MILLISECONDS.sleep(300);
      slowEnded.set(true);
      return 2;
    });
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> SideBySide.run(null, 2, tasks));
    assertSame(boom, thrown);
    assertTrue(slowEnded.get(), "the other task was still running when the failure was thrown");
  }

  @Test
  void aCheckedFailureKeepsItsMessageAndCause() {
    Exception checked = new Exception("Table or view not found: dw.dim_hotel");
    List<Callable<Integer>> tasks = List.of(() -> 1, () -> {
      throw checked;
    });
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> SideBySide.run(null, 2, tasks));
    assertEquals(checked.getMessage(), thrown.getMessage());
    assertSame(checked, thrown.getCause());
  }

  private static String meet(CyclicBarrier barrier, String result, long delayMs) throws Exception {
    TimeUnit.MILLISECONDS.sleep(delayMs);
    barrier.await(10, TimeUnit.SECONDS);
    return result;
  }
}
