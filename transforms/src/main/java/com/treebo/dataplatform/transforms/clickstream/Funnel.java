package com.treebo.dataplatform.transforms.clickstream;

import java.util.List;

/**
 * The tracking plan's ordered funnel: {@code Hotels Searched} (1), {@code Hotel Viewed} (2),
 * {@code Room Selected} (3), {@code Checkout Started} (4), {@code Order Completed} (5). A session
 * reaches step k when it has a step-k event after (or at the same instant as, in message-id order)
 * the event with which it reached step k-1. The walk itself happens as sessions are built
 * ({@link SessionWalker}), so the funnel costs no extra shuffle.
 */
public final class Funnel {
  /** The steps' event names, in order; step k is {@code STEPS.get(k - 1)}. */
  public static final List<String> STEPS = List.of("Hotels Searched", "Hotel Viewed", "Room Selected", "Checkout Started", "Order Completed");

  /** Reporting names of the steps, in order (the columns of rpt.funnel_daily). */
  public static final List<String> STEP_COLUMNS = List.of("searched", "viewed", "selected", "checkout_started", "ordered");

  private Funnel() {}
}
