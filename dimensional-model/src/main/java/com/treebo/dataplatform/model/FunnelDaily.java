package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.clickstream.Funnel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code rpt.funnel_daily} of the warehouse contract: one row per event date (Asia/Kolkata date on
 * which the session started) per platform, with {@code sessions}, the sessions that reached each
 * funnel step in order ({@code searched, viewed, selected, checkout_started, ordered}), and
 * {@code conversion} = ordered / sessions as decimal(5,4).
 *
 * <p>Needs web sessions ({@code session_date, platform, funnel_step}). A date with no sessions has
 * no row. One aggregation (shuffle by date and platform, tiny output).
 */
public final class FunnelDaily {
  private FunnelDaily() {}

  public static Dataset<Row> build(Dataset<Row> sessions) {
    Columns.require(sessions, "FunnelDaily.build", List.of("session_date", "platform", "funnel_step"));
    List<Column> measures = new ArrayList<>();
    for (int i = 0; i < Funnel.STEP_COLUMNS.size(); i++) {
      measures.add(sum(when(col("funnel_step").geq(i + 1), 1L).otherwise(0L)).as(Funnel.STEP_COLUMNS.get(i)));
    }
    Dataset<Row> daily = sessions.groupBy(col("session_date").as("event_date"), col("platform"))
        .agg(count(lit(1)).as("sessions"), measures.toArray(new Column[0]));
    return daily.withColumn("conversion", round(col("ordered").cast("decimal(20,4)").divide(col("sessions")), 4).cast("decimal(5,4)"));
  }
}
