package com.treebo.dataplatform.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.conf.ExtractConfig;
import com.treebo.dataplatform.conf.ExtractMode;
import com.treebo.dataplatform.conf.JdbcConfig;
import com.treebo.dataplatform.conf.Secret;
import com.treebo.dataplatform.conf.TableConfig;
import com.treebo.dataplatform.jobs.source.SourceCatalog;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import com.treebo.dataplatform.tests.TestPlatformAccess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Key ranges are cut at quantiles of the key, so a skewed key space still gives even partitions. */
class SlicePlannerTest {

  @Test
  void rangesOverSkewedKeysHoldNearEqualRowCounts() throws Exception {
    String url = TestPlatformAccess.newDatabase("planner");
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      // 90% of the keys are dense and small, 10% are sparse and huge: an even split of the key span would
      // put nearly everything into the first range.
      c.createStatement().execute("CREATE TABLE public.t (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
      c.createStatement().execute("INSERT INTO public.t (id) SELECT g FROM generate_series(1, 90000) g"
          + " UNION ALL SELECT 1000000000000 + g::bigint * 1000003 FROM generate_series(1, 10000) g");
      c.createStatement().execute("ANALYZE public.t");
    }
    TableConfig table = new TableConfig("src", "public", "t", List.of("id"), ExtractMode.INCREMENTAL, Optional.of("updated_at"),
        Map.of(), Optional.empty(), 0);
    ExtractConfig tuning = new ExtractConfig(25_000, 16, Duration.ZERO, 0.1, 100, 1);
    try (SourceSnapshot snapshot = SourceSnapshot.open("src", new JdbcConfig(url, "postgres", new Secret("")))) {
      Map<String, SourceColumn> columns = new LinkedHashMap<>();
      SourceCatalog.columns(snapshot.connection(), "public", "t").forEach(col -> columns.put(col.name(), col));
      SlicePlan plan = SlicePlanner.plan(snapshot, table, columns, Optional.empty(), tuning, 2);
      assertEquals(4, plan.ranges().size(), plan.toString());
      List<Long> counts = new ArrayList<>();
      for (RangeSpec range : plan.ranges()) {
        try (ResultSet rs = snapshot.connection().createStatement().executeQuery(
            "SELECT count(*) FROM public.t WHERE " + range.predicate())) {
          rs.next();
          counts.add(rs.getLong(1));
        }
      }
      assertEquals(100_000, counts.stream().mapToLong(Long::longValue).sum(), "ranges cover every row once: " + counts);
      assertTrue(counts.stream().allMatch(n -> n > 20_000 && n < 30_000), "balanced: " + counts);
    }
  }
}
