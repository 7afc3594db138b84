package com.treebo.dataplatform.model;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.treebo.dataplatform.transforms.TestSpark;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DimDateTest {
  private static Dataset<Row> calendar() {
    Dataset<Row> holidays = TestSpark.get().sql("SELECT * FROM VALUES ('--01-26', 'Republic Day'), ('--08-15', 'Independence Day'),"
        + " ('--10-02', 'Gandhi Jayanti'), ('2026-10-02', 'Other'), ('2026-11-08', 'Diwali') AS t(date, name)");
    return DimDate.build(holidays, LocalDate.of(2025, 12, 28), LocalDate.of(2027, 1, 31));
  }

  @Test
  void datesCarryIndianFiscalYearIsoWeekWeekendAndHolidays() {
    Dataset<Row> picked = calendar().where("date_key IN (20260101, 20260126, 20260331, 20260401, 20261002, 20261108, 20261227, -1)")
        .selectExpr("date_key", "CAST(date AS STRING)", "month_name", "day_of_week", "day_name", "is_weekend", "iso_year",
            "iso_week", "fiscal_year", "fiscal_year_start", "fiscal_quarter", "fiscal_month", "is_holiday", "holiday_name");
    Dataset<Row> expected = TestSpark.get().sql("SELECT * FROM VALUES"
        + " (20260101, '2026-01-01', 'January', 4, 'Thursday', false, 2026, 1, 'FY2025-26', 2025, 4, 10, false, CAST(NULL AS STRING)),"
        + " (20260126, '2026-01-26', 'January', 1, 'Monday', false, 2026, 5, 'FY2025-26', 2025, 4, 10, true, 'Republic Day'),"
        + " (20260331, '2026-03-31', 'March', 2, 'Tuesday', false, 2026, 14, 'FY2025-26', 2025, 4, 12, false, NULL),"
        + " (20260401, '2026-04-01', 'April', 3, 'Wednesday', false, 2026, 14, 'FY2026-27', 2026, 1, 1, false, NULL),"
        + " (20261002, '2026-10-02', 'October', 5, 'Friday', false, 2026, 40, 'FY2026-27', 2026, 3, 7, true, 'Gandhi Jayanti / Other'),"
        + " (20261108, '2026-11-08', 'November', 7, 'Sunday', true, 2026, 45, 'FY2026-27', 2026, 3, 8, true, 'Diwali'),"
        + " (20261227, '2026-12-27', 'December', 7, 'Sunday', true, 2026, 52, 'FY2026-27', 2026, 3, 9, false, NULL),"
        + " (-1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
        + " AS t(date_key, date, month_name, day_of_week, day_name, is_weekend, iso_year, iso_week, fiscal_year, fiscal_year_start,"
        + " fiscal_quarter, fiscal_month, is_holiday, holiday_name)");
    assertSameRows(expected, picked);
  }

  @Test
  void everyDateOfTheRangeOnceAndTheUnknownMember() {
    Dataset<Row> c = calendar();
    assertEquals(4 + 365 + 31 + 1, c.count());
    assertEquals(0, c.groupBy("date_key").count().where("count > 1").count());
  }
}
