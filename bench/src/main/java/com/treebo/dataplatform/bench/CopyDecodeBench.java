package com.treebo.dataplatform.bench;

import com.treebo.dataplatform.jobs.runtime.LocalPostgres;
import com.treebo.dataplatform.jobs.source.PgBinaryCopy;
import com.treebo.dataplatform.jobs.source.SourceCatalog;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Read-only throughput of the binary COPY decoder against its baselines, alternated in one JVM on
 * one connection: text COPY into a null sink, binary COPY into a null sink (no decoding), and
 * binary COPY decoded by {@link PgBinaryCopy} into a counting loop. Not a timed test.
 *
 * <p>Usage: {@code java -cp ... CopyDecodeBench [rows] [rounds]} (default 1000000 rows, 3 rounds);
 * starts a throwaway PostgreSQL under bench/target/copy-bench.
 */
public final class CopyDecodeBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CopyDecodeBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path home = Path.of("bench/target/copy-bench").toAbsolutePath();
    try (LocalPostgres pg = LocalPostgres.start(home.resolve("postgres"), freePort())) {
      pg.ensureDatabase("bench");
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("bench"), "postgres", "")) {
        fill(c, rows);
        List<SourceColumn> columns = SourceCatalog.columns(c, "public", "booking");
        String select = "SELECT " + PgBinaryCopy.selectList(columns) + " FROM public.booking";
        String textCopy = "COPY (" + select + ") TO STDOUT";
        String binaryCopy = PgBinaryCopy.copySql(select);
        for (int round = 0; round <= rounds; round++) {
          String tag = round == 0 ? "warm-up" : "round " + round;
          report(tag, "text COPY -> null sink", rows, () -> textToNull(c, textCopy));
          report(tag, "binary COPY -> null sink", rows, () -> binaryToNull(c, binaryCopy));
          report(tag, "binary COPY -> PgBinaryCopy decode", rows, () -> decode(c, binaryCopy, columns));
        }
      }
    }
  }

  private static void fill(Connection c, int rows) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS public.booking");
      s.execute("DROP TYPE IF EXISTS booking_status");
      s.execute("CREATE TYPE booking_status AS ENUM ('reserved', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show')");
      s.execute("""
          CREATE TABLE public.booking (
            booking_id bigint PRIMARY KEY, booking_code text NOT NULL, hotel_id integer NOT NULL, guest_id bigint NOT NULL,
            channel text NOT NULL, status booking_status NOT NULL, checkin_date date NOT NULL, checkout_date date NOT NULL,
            total_amount numeric(12,2) NOT NULL, currency char(3) NOT NULL, attributes jsonb, cancelled_at timestamptz,
            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""");
      long t0 = System.nanoTime();
      s.execute("""
          INSERT INTO public.booking
          SELECT g, 'TRB-' || upper(substr(md5(g::text), 1, 6)), 1 + g % 800, 1 + g % 250000,
                 (ARRAY['web', 'app', 'ota', 'direct', 'corporate'])[1 + g % 5],
                 (enum_range(NULL::booking_status))[1 + g % 6],
                 DATE '2023-01-01' + (g % 700), DATE '2023-01-01' + (g % 700) + 1 + g % 5,
                 round((500 + (g::bigint * 7919) % 60000) / 3.0, 2), 'INR',
                 CASE WHEN g % 3 = 0 THEN NULL ELSE jsonb_build_object('utm_source', 'google', 'coupon', 'TREBO' || g % 97) END,
                 CASE WHEN g % 6 = 4 THEN TIMESTAMPTZ '2023-06-01' + g * INTERVAL '1 second' END,
                 TIMESTAMPTZ '2023-01-01' + g * INTERVAL '17 second', TIMESTAMPTZ '2023-01-02' + g * INTERVAL '17.123456 second'
            FROM generate_series(1, ROWS) g""".replace("ROWS", Integer.toString(rows)));
      s.execute("VACUUM ANALYZE public.booking");
      try (var rs = s.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('public.booking'))")) {
        rs.next();
        System.out.printf("filled public.booking: %,d rows, %s, in %.1f s%n", rows, rs.getString(1), (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  private static long textToNull(Connection c, String sql) throws Exception {
    return c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, OutputStream.nullOutputStream());
  }

  private static long binaryToNull(Connection c, String sql) throws Exception {
    CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
    long messages = 0;
    while (out.readFromCopy() != null) {
      messages++;
    }
    return messages - 1; // header rides with the first row; the trailer comes alone
  }

  private static long decode(Connection c, String sql, List<SourceColumn> columns) {
    Iterator<InternalRow> it = PgBinaryCopy.stream(c, sql, columns);
    long n = 0;
    while (it.hasNext()) {
      InternalRow row = it.next();
      n += row.numFields() > 0 ? 1 : 0;
    }
    return n;
  }

  private interface Run {
    long rows() throws Exception;
  }

  private static void report(String tag, String what, int expected, Run run) throws Exception {
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long n = run.rows();
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
    if (n != expected) {
      throw new IllegalStateException(what + " returned " + n + " rows, expected " + expected);
    }
    System.out.printf("%-8s %-36s %6.2f s  %,10.0f rows/s  client CPU %5.2f s%n", tag, what, secs, n / secs, cpu);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
