package com.treebo.dataplatform.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.quarter;
import static org.apache.spark.sql.functions.weekofyear;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import com.treebo.dataplatform.transforms.Columns;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code dim_date}: one row per calendar date from {@code from} to {@code to}, plus the unknown
 * member ({@code date_key = -1}, every attribute null). Dates are hotel-local (Asia/Kolkata) dates as
 * the facts compute them; nothing here depends on the session time zone.
 *
 * <p>Columns: {@code date_key} (int yyyyMMdd), {@code date}, {@code year}, {@code quarter},
 * {@code month}, {@code month_name} ("January"), {@code month_short} ("Jan"), {@code day_of_month},
 * {@code day_of_week} (ISO: 1 = Monday ... 7 = Sunday), {@code day_name}, {@code is_weekend}
 * (Saturday, Sunday), {@code iso_year} and {@code iso_week} (ISO-8601 week-numbering year and week),
 * {@code fiscal_year} (Indian, April to March: "FY2026-27"), {@code fiscal_year_start} (2026),
 * {@code fiscal_quarter} (1 = April-June), {@code fiscal_month} (1 = April), {@code is_holiday} and
 * {@code holiday_name} (from {@code holidays}; several on one date are joined with " / ").
 *
 * <p>{@code holidays}: {@code date} (a date string: {@code yyyy-MM-dd} for a dated holiday,
 * {@code --MM-dd} for one on the same day every year) and {@code name}; the data file the model
 * ships is {@code calendar/india-holidays.csv}.
 */
public final class DimDate {
  private DimDate() {}

  public static Dataset<Row> build(Dataset<Row> holidays, LocalDate from, LocalDate to) {
    Columns.require(holidays, "DimDate.build", List.of("date", "name"));
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("DimDate.build: " + to + " is before " + from);
    }
    Dataset<Row> days = holidays.sparkSession()
        .sql("SELECT explode(sequence(DATE'" + from + "', DATE'" + to + "', INTERVAL 1 DAY)) AS date");
    // One row per date with a holiday: dated ones as they are, yearly ones on every year of the range.
    Dataset<Row> dated = holidays.where(col("date").rlike("^\\d{4}-\\d{2}-\\d{2}$"))
        .select(col("date").cast("date").as("holiday_date"), col("name"));
    Dataset<Row> yearly = holidays.where(col("date").rlike("^--\\d{2}-\\d{2}$"))
        .crossJoin(holidays.sparkSession().sql("SELECT explode(sequence(" + from.getYear() + ", " + to.getYear() + ")) AS y"))
        .select(expr("make_date(y, CAST(substr(date, 3, 2) AS INT), CAST(substr(date, 6, 2) AS INT))").as("holiday_date"),
            col("name"));
    Dataset<Row> byDate = dated.unionByName(yearly).where(col("holiday_date").isNotNull())
        .groupBy("holiday_date").agg(expr("array_join(array_sort(collect_set(name)), ' / ')").as("holiday_name"));

    Column fiscalStart = when(month(col("date")).geq(4), year(col("date"))).otherwise(year(col("date")).minus(1));
    Column isoDow = expr("((dayofweek(date) + 5) % 7) + 1");
    Dataset<Row> calendar = days.join(byDate, days.col("date").equalTo(byDate.col("holiday_date")), "left").select(
        Keys.ofDate(col("date")).as("date_key"),
        col("date"),
        year(col("date")).as("year"),
        quarter(col("date")).as("quarter"),
        month(col("date")).as("month"),
        date_format(col("date"), "MMMM").as("month_name"),
        date_format(col("date"), "MMM").as("month_short"),
        dayofmonth(col("date")).as("day_of_month"),
        isoDow.as("day_of_week"),
        date_format(col("date"), "EEEE").as("day_name"),
        dayofweek(col("date")).isin(1, 7).as("is_weekend"),
        expr("extract(YEAROFWEEK FROM date)").as("iso_year"),
        weekofyear(col("date")).as("iso_week"),
        concat(lit("FY"), fiscalStart.cast("string"), lit("-"), lpad(fiscalStart.plus(1).mod(100).cast("string"), 2, "0"))
            .as("fiscal_year"),
        fiscalStart.as("fiscal_year_start"),
        expr("CAST(floor(((month(date) + 8) % 12) / 3) + 1 AS INT)").as("fiscal_quarter"),
        expr("CAST(((month(date) + 8) % 12) + 1 AS INT)").as("fiscal_month"),
        col("holiday_name").isNotNull().as("is_holiday"),
        col("holiday_name"));
    Dataset<Row> unknown = calendar.sparkSession().createDataFrame(List.of(unknownRow(calendar)), Unknown.nullable(calendar.schema()));
    return calendar.unionByName(unknown);
  }

  private static Row unknownRow(Dataset<Row> calendar) {
    Object[] values = new Object[calendar.columns().length];
    values[0] = (int) Keys.UNKNOWN;
    return org.apache.spark.sql.RowFactory.create(values);
  }
}
