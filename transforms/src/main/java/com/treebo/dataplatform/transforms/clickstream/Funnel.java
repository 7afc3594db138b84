package com.treebo.dataplatform.transforms.clickstream;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The tracking plan's ordered funnel: {@code Hotels Searched} (1), {@code Hotel Viewed} (2),
 * {@code Room Selected} (3), {@code Checkout Started} (4), {@code Order Completed} (5). A session
 * reaches step k when it has a step-k event after (or at the same instant as, in message-id order)
 * the event with which it reached step k-1. Expressions, not Datasets: they are evaluated inside the
 * session aggregation of {@link WebSessions#sessionize}, so the funnel costs no extra shuffle.
 */
public final class Funnel {
  /** The steps' event names, in order; step k is {@code STEPS.get(k - 1)}. */
  public static final List<String> STEPS = List.of("Hotels Searched", "Hotel Viewed", "Room Selected", "Checkout Started", "Order Completed");

  /** Reporting names of the steps, in order (the columns of rpt.funnel_daily). */
  public static final List<String> STEP_COLUMNS = List.of("searched", "viewed", "selected", "checkout_started", "ordered");

  private Funnel() {}

  /** The step number (1 to 5) of a {@code track} event's name, null for any other event. */
  public static Column step(Column type, Column event) {
    Column s = lit(null).cast("int");
    for (int i = STEPS.size(); i >= 1; i--) {
      s = when(event.equalTo(STEPS.get(i - 1)), lit(i)).otherwise(s);
    }
    return when(type.equalTo("track"), s);
  }

  /**
   * The furthest step reached (0 to 5) given an array of structs whose sort order is time order and
   * which have a field {@code step}: the array is sorted, then walked once, greedily (taking the
   * first occurrence of each next step is optimal for an ordered funnel).
   */
  public static Column furthestStep(Column steps) {
    return aggregate(array_sort(steps), lit(0),
        (reached, e) -> when(e.getField("step").equalTo(reached.plus(1)), reached.plus(1)).otherwise(reached));
  }
}
