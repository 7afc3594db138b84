package com.treebo.dataplatform.tests;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.jobs.source.PgBinaryCopy;
import com.treebo.dataplatform.jobs.source.SourceCatalog;
import com.treebo.dataplatform.jobs.source.SourceColumn;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.util.TaskCompletionListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binary COPY reader against the real local PostgreSQL: every type of the source contracts,
 * with edge values, decodes to exactly what JDBC reads of the same rows; the rows work in Spark;
 * values Spark cannot hold fail naming the column.
 */
class PgBinaryCopyTest {
  private static final String EVERY_TYPE = """
      CREATE TABLE public.every_type (
        id        integer PRIMARY KEY,
        i2        smallint,
        i4        integer,
        i8        bigint,
        amount    numeric(12,2),
        rating    numeric(2,1),
        wide      numeric(38,10),
        free      numeric,
        f4        real,
        f8        double precision,
        flag      boolean,
        note      text,
        code      char(3),
        label     varchar(20),
        status    crs.booking_status,
        category  catalog.hotel_category,
        attrs     jsonb,
        raw_json  json,
        day       date,
        at        timestamptz,
        local_at  timestamp,
        tod       time,
        bytes     bytea,
        guid      uuid
      )""";

  private static final String EVERY_TYPE_ROWS = """
      INSERT INTO public.every_type VALUES
        (1, 32767, 2147483647, 9223372036854775807, 9999999999.99, 4.5,
         1234567890123456789012345678.0123456789, 1.10000, 1.5, -0.1, true,
         'ಬೆಂಗಳೂರು हिन्दी 🏨', 'ab', 'web', 'checked_in', 'premium',
         '{"utm": "ಮೈಸೂರು", "emoji": "😀", "nested": {"a": [1, 2, {"b": null}], "s": "x\\"y"}}', ' {"k" : 1} ',
         '1969-12-31', '1969-07-20 20:17:40.123456+00', '2000-01-01 00:00:00.000001', '23:59:59.999999',
         '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
        (2, -32768, -2147483648, -9223372036854775808, -9999999999.99, -0.5,
         -0.0000000001, 0.000000000000000001, 'NaN', 1e308, false,
         '', '', '', 'reserved', 'budget',
         '{}', '[]',
         '2150-06-15', '2262-04-11 23:47:16.854775+05:30', '1900-01-01 00:00:00', '00:00:00',
         '\\x', '00000000-0000-0000-0000-000000000000'),
        (3, 0, 0, 0, 0, 0.0,
         -9999999999999999999999999999.9999999999, 12345678901234567890.123456789012345678, 0, 0, true,
         ' padded ', 'xyz', 'ಕನ್ನಡ', 'no_show', 'partner',
         '[1, "two", {"three": 3.0}]', 'null',
         '0044-03-15', '2000-01-01 00:00:00+00', '1969-12-31 23:59:59.999999', '12:00:00.5',
         '\\xdeadbeef', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
        (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL),
        (5, 1, 1, 1, 0.01, 9.9, 0.5, -123.456, -1.25, 3.141592653589793, false,
         'a', 'a  ', 'a', 'cancelled', 'trend',
         '{"corporate_id": 42, "coupon": null}', '{"a":1,"a":2}',
         '2000-01-01', '2024-03-01 10:15:30.5+05:30', '2024-03-01 10:15:30.5', '09:30:00',
         '\\x00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'),
        (6, -1, -1, -1, -0.01, 0.1, 9999999999999999999999999999.9999999999, 10000000000000000000, 1e-30, -1e-300, true,
         'line1' || chr(10) || 'tab' || chr(9) || 'quote"back\\slash', 'é', 'Ünïcödé', 'confirmed', 'premium',
         '{"k": "\\u00e9\\n"}', '"just a string"',
         '9999-12-31', '0001-01-01 00:00:00+00', '2100-02-28 13:14:15.000009', '00:00:00.000001',
         '\\x0102', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13')""";

  private static Scenario scenario;

  @BeforeAll
  static void createSourceTables() throws Exception {
    scenario = TestPlatform.get().newScenario("pg_binary_copy");
    Path contracts = Path.of(System.getProperty("dataplatform.contracts.dir"), "source");
    try (Connection c = scenario.booking(); Statement s = c.createStatement()) {
      s.execute(Files.readString(contracts.resolve("booking.sql")));
      s.execute(Files.readString(contracts.resolve("inventory.sql")));
      s.execute(EVERY_TYPE);
      s.execute(EVERY_TYPE_ROWS);
    }
  }

  @Test
  void catalogReadsContractColumnsWithTheirPostgresAndSparkTypes() throws Exception {
    try (Connection c = scenario.booking()) {
      List<String> described = SourceCatalog.columns(c, "crs", "booking").stream()
          .map(col -> col.ordinal() + " " + col.name() + " | " + col.pgType() + " | " + (col.nullable() ? "null" : "not null")
              + " | " + col.sparkType().simpleString() + " | " + col.decoder())
          .toList();
      assertEquals(List.of(
          "0 booking_id | bigint | not null | bigint | INT8",
          "1 booking_code | text | not null | string | TEXT",
          "2 hotel_id | integer | not null | int | INT4",
          "3 guest_id | bigint | not null | bigint | INT8",
          "4 channel | text | not null | string | TEXT",
          "5 status | crs.booking_status | not null | string | CAST_TEXT",
          "6 checkin_date | date | not null | date | DATE",
          "7 checkout_date | date | not null | date | DATE",
          "8 total_amount | numeric(12,2) | not null | decimal(12,2) | NUMERIC",
          "9 currency | character(3) | not null | string | TEXT",
          "10 attributes | jsonb | null | string | CAST_TEXT",
          "11 cancelled_at | timestamp with time zone | null | timestamp | TIMESTAMP",
          "12 created_at | timestamp with time zone | not null | timestamp | TIMESTAMP",
          "13 updated_at | timestamp with time zone | not null | timestamp | TIMESTAMP"), described);
    }
  }

  @Test
  void catalogMapsTheRemainingTypesAndUnconstrainedNumeric() throws Exception {
    try (Connection c = scenario.booking()) {
      Map<String, String> types = new TreeMap<>();
      for (SourceColumn col : SourceCatalog.columns(c, "public", "every_type")) {
        types.put(col.name(), col.pgType() + " -> " + col.sparkType().simpleString());
      }
      assertEquals("smallint -> smallint", types.get("i2"));
      assertEquals("numeric -> decimal(38,18)", types.get("free"));
      assertEquals("numeric(2,1) -> decimal(2,1)", types.get("rating"));
      assertEquals("real -> float", types.get("f4"));
      assertEquals("double precision -> double", types.get("f8"));
      assertEquals("character varying(20) -> string", types.get("label"));
      assertEquals("timestamp without time zone -> timestamp_ntz", types.get("local_at"));
      assertEquals("time without time zone -> string", types.get("tod"));
      assertEquals("bytea -> binary", types.get("bytes"));
      assertEquals("uuid -> string", types.get("guid"));
      assertEquals("catalog.hotel_category -> string", types.get("category"));
    }
  }

  @Test
  void catalogGivesNoColumnsForATableThatDoesNotExist() throws Exception {
    try (Connection c = scenario.booking()) {
      assertEquals(List.of(), SourceCatalog.columns(c, "crs", "no_such_table"));
      assertEquals(List.of(), SourceCatalog.columns(c, "no_such_schema", "booking"));
    }
  }

  @Test
  void selectListCastsToTextOnlyWhatIsDecodedFromText() throws Exception {
    try (Connection c = scenario.booking()) {
      assertEquals("\"booking_id\", \"booking_code\", \"hotel_id\", \"guest_id\", \"channel\", \"status\"::text, "
          + "\"checkin_date\", \"checkout_date\", \"total_amount\", \"currency\", \"attributes\"::text, \"cancelled_at\", "
          + "\"created_at\", \"updated_at\"", PgBinaryCopy.selectList(SourceCatalog.columns(c, "crs", "booking")));
    }
  }

  @Test
  void integersMatchJdbc() throws Exception {
    assertDecodedAsJdbcReads("i2", "i4", "i8");
    InternalRow first = everyTypeRows().get(0);
    assertEquals((short) 32767, first.getShort(1));
    assertEquals(Long.MAX_VALUE, first.getLong(3));
  }

  @Test
  void numericsMatchJdbcExactlyAtTheColumnScale() throws Exception {
    assertDecodedAsJdbcReads("amount", "rating", "wide", "free");
    List<InternalRow> rows = everyTypeRows();
    assertEquals(new BigDecimal("9999999999.99"), rows.get(0).getDecimal(4, 12, 2).toJavaBigDecimal());
    assertEquals(new BigDecimal("1.100000000000000000"), rows.get(0).getDecimal(7, 38, 18).toJavaBigDecimal());
    assertEquals(new BigDecimal("0.000000000000000001"), rows.get(1).getDecimal(7, 38, 18).toJavaBigDecimal());
    assertEquals(new BigDecimal("-0.0000000001"), rows.get(1).getDecimal(6, 38, 10).toJavaBigDecimal());
    assertEquals(new BigDecimal("0.00"), rows.get(2).getDecimal(4, 12, 2).toJavaBigDecimal());
  }

  @Test
  void textKeepsEveryByteCharPaddingAndEmptyVersusNull() throws Exception {
    assertDecodedAsJdbcReads("note", "code", "label");
    List<InternalRow> rows = everyTypeRows();
    assertEquals("ಬೆಂಗಳೂರು हिन्दी 🏨", rows.get(0).getUTF8String(11).toString());
    assertEquals("ab ", rows.get(0).getUTF8String(12).toString());
    assertEquals("", rows.get(1).getUTF8String(11).toString());
    assertEquals("   ", rows.get(1).getUTF8String(12).toString());
    assertTrue(rows.get(3).isNullAt(11));
  }

  @Test
  void enumsJsonUuidAndTimeArriveAsPostgresPrintsThem() throws Exception {
    assertDecodedAsJdbcReads("status", "category", "attrs", "raw_json", "tod", "guid");
    List<InternalRow> rows = everyTypeRows();
    assertEquals("checked_in", rows.get(0).getUTF8String(14).toString());
    assertEquals("{\"utm\": \"ಮೈಸೂರು\", \"emoji\": \"😀\", \"nested\": {\"a\": [1, 2, {\"b\": null}], \"s\": \"x\\\"y\"}}",
        rows.get(0).getUTF8String(16).toString());
    assertEquals(" {\"k\" : 1} ", rows.get(0).getUTF8String(17).toString());
    assertEquals("23:59:59.999999", rows.get(0).getUTF8String(21).toString());
    assertEquals("12:00:00.5", rows.get(2).getUTF8String(21).toString());
  }

  @Test
  void datesAndTimestampsMatchJdbcOnBothSidesOfTheEpochs() throws Exception {
    assertDecodedAsJdbcReads("day", "at", "local_at");
    List<InternalRow> rows = everyTypeRows();
    assertEquals(-1, rows.get(0).getInt(18));
    assertEquals(LocalDate.of(2150, 6, 15).toEpochDay(), rows.get(1).getInt(18));
    assertEquals(micros(Instant.parse("1969-07-20T20:17:40.123456Z")), rows.get(0).getLong(19));
    assertEquals(micros(Instant.parse("2024-03-01T04:45:30.5Z")), rows.get(4).getLong(19));
    assertEquals(-1L, rows.get(2).getLong(20), "1969-12-31 23:59:59.999999 without zone");
  }

  @Test
  void booleansFloatsAndBytesMatchJdbc() throws Exception {
    assertDecodedAsJdbcReads("flag", "f4", "f8", "bytes");
    List<InternalRow> rows = everyTypeRows();
    assertTrue(Float.isNaN(rows.get(1).getFloat(8)));
    assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, rows.get(0).getBinary(22));
    assertArrayEquals(new byte[0], rows.get(1).getBinary(22));
  }

  @Test
  void nullsArriveInEveryNullableColumn() throws Exception {
    InternalRow allNull = everyTypeRows().get(3);
    assertEquals(4, allNull.getInt(0));
    for (int i = 1; i < allNull.numFields(); i++) {
      assertTrue(allNull.isNullAt(i), "field " + i + " is null");
    }
  }

  @Test
  void emptyResultHasNoRowsAndLeavesTheConnectionUsable() throws Exception {
    try (Connection c = scenario.booking()) {
      List<SourceColumn> columns = SourceCatalog.columns(c, "public", "every_type");
      Iterator<InternalRow> rows = PgBinaryCopy.stream(c, PgBinaryCopy.copySql(
          "SELECT " + PgBinaryCopy.selectList(columns) + " FROM public.every_type WHERE id < 0"), columns);
      assertFalse(rows.hasNext());
      assertEquals(1, selectOne(c));
    }
  }

  @Test
  void rowsBuildASparkDataFrameReadThroughSql() throws Exception {
    try (Connection c = scenario.booking(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO crm.guest (guest_id, full_name) VALUES (7, 'Asha')");
      s.execute("""
          INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date, checkout_date,
                                   total_amount, currency, attributes, cancelled_at, created_at, updated_at) VALUES
            (1, 'TRB-1', 10, 7, 'web', 'confirmed', '2024-03-01', '2024-03-03', 4599.50, 'INR', '{"coupon": "ದಸರಾ"}', NULL,
             '2024-02-01 08:00:00.123456+00', '2024-02-02 09:30:00+05:30'),
            (2, 'TRB-2', 11, 7, 'app', 'cancelled', '1969-12-31', '1970-01-02', -10.00, 'USD', NULL, '2024-02-03 00:00:00+00',
             '1960-05-05 05:05:05+00', '2024-02-03 00:00:00+00'),
            (3, 'TRB-3', 10, 7, 'ota', 'no_show', '2101-01-01', '2101-01-02', 9999999999.99, 'INR', '{}', NULL,
             '2024-02-01 00:00:00+00', '2024-02-01 00:00:00+00')""");
    }
    List<SourceColumn> columns;
    try (Connection c = scenario.booking()) {
      columns = SourceCatalog.columns(c, "crs", "booking");
    }
    String url = TestPlatform.get().postgres().jdbcUrl(scenario.bookingDb());
    String select = "SELECT " + PgBinaryCopy.selectList(columns) + " FROM crs.booking WHERE booking_id >= %d AND booking_id < %d";
    SparkSession spark = TestPlatform.get().spark();
    JavaRDD<InternalRow> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(new long[] {0, 2}, new long[] {2, 100}), 2)
        .mapPartitions(ranges -> {
          long[] range = ranges.next();
          Connection c = DriverManager.getConnection(url, "postgres", "");
          TaskContext.get().addTaskCompletionListener((TaskCompletionListener) ctx -> closeQuietly(c));
          return PgBinaryCopy.stream(c, PgBinaryCopy.copySql(select.formatted(range[0], range[1])), columns);
        });
    Dataset<Row> actual = spark.internalCreateDataFrame(rdd.rdd(), SourceCatalog.schema(columns), false);
    actual.createOrReplaceTempView("copied_booking");
    Dataset<Row> expected = spark.sql("""
        SELECT * FROM VALUES
          (1L, 'TRB-1', 10, 7L, 'web', 'confirmed', DATE'2024-03-01', DATE'2024-03-03', CAST(4599.50 AS DECIMAL(12,2)), 'INR',
           '{"coupon": "ದಸರಾ"}', CAST(NULL AS TIMESTAMP), TIMESTAMP'2024-02-01 08:00:00.123456', TIMESTAMP'2024-02-02 04:00:00'),
          (2L, 'TRB-2', 11, 7L, 'app', 'cancelled', DATE'1969-12-31', DATE'1970-01-02', CAST(-10.00 AS DECIMAL(12,2)), 'USD',
           CAST(NULL AS STRING), TIMESTAMP'2024-02-03 00:00:00', TIMESTAMP'1960-05-05 05:05:05', TIMESTAMP'2024-02-03 00:00:00'),
          (3L, 'TRB-3', 10, 7L, 'ota', 'no_show', DATE'2101-01-01', DATE'2101-01-02', CAST(9999999999.99 AS DECIMAL(12,2)), 'INR',
           '{}', CAST(NULL AS TIMESTAMP), TIMESTAMP'2024-02-01 00:00:00', TIMESTAMP'2024-02-01 00:00:00')
        AS t(booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date, checkout_date, total_amount, currency,
             attributes, cancelled_at, created_at, updated_at)""");
    assertSameRows(expected, spark.sql("SELECT * FROM copied_booking"));
    Row totals = spark.sql("SELECT sum(total_amount), count(DISTINCT status), max(datediff(checkout_date, checkin_date)) "
        + "FROM copied_booking WHERE attributes IS NOT NULL").first();
    assertEquals("10000004599.49 2 2", totals.get(0) + " " + totals.get(1) + " " + totals.get(2));
  }

  @Test
  void nanInAnUnconstrainedNumericFailsNamingTheColumn() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> readAll("CREATE TABLE public.nan_ratio (id integer, ratio numeric); INSERT INTO public.nan_ratio VALUES (1, 0.5), (2, 'NaN')",
            "nan_ratio"));
    assertTrue(e.getMessage().startsWith("Cannot read column ratio (numeric) of row 2 of COPY (SELECT"), e.getMessage());
    assertTrue(e.getMessage().endsWith("NaN has no Spark decimal representation"), e.getMessage());
  }

  @Test
  void numericTooWideForDecimal38Comma18FailsNamingTheColumn() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> readAll("CREATE TABLE public.wide_ratio (id integer, ratio numeric); INSERT INTO public.wide_ratio VALUES (1, 1e25)",
            "wide_ratio"));
    assertTrue(e.getMessage().startsWith("Cannot read column ratio (numeric) of row 1"), e.getMessage());
    assertTrue(e.getMessage().endsWith("10000000000000000000000000 has more than 20 integer digits, so it does not fit decimal(38,18)"),
        e.getMessage());
  }

  @Test
  void infiniteTimestampFailsNamingTheColumnAndTheValue() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> readAll("CREATE TABLE public.forever (id integer, valid_until timestamptz); "
            + "INSERT INTO public.forever VALUES (1, now()), (2, now()), (3, 'infinity')", "forever"));
    assertTrue(e.getMessage().startsWith("Cannot read column valid_until (timestamp with time zone) of row 3 of COPY"), e.getMessage());
    assertTrue(e.getMessage().contains("the timestamp 'infinity' has no Spark representation"), e.getMessage());
  }

  @Test
  void connectionStaysUsableAfterADecodingError() throws Exception {
    try (Connection c = scenario.booking(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.minus_forever (id integer, since date); "
          + "INSERT INTO public.minus_forever SELECT g, '-infinity' FROM generate_series(1, 10000) g");
      List<SourceColumn> columns = SourceCatalog.columns(c, "public", "minus_forever");
      Iterator<InternalRow> rows = PgBinaryCopy.stream(c, PgBinaryCopy.copySql("SELECT " + PgBinaryCopy.selectList(columns)
          + " FROM public.minus_forever"), columns);
      IllegalStateException e = assertThrows(IllegalStateException.class, rows::hasNext);
      assertTrue(e.getMessage().contains("column since (date) of row 1"), e.getMessage());
      assertTrue(e.getMessage().contains("the date '-infinity'"), e.getMessage());
      assertEquals(1, selectOne(c));
    }
  }

  // --- helpers ---

  /** Creates a table with {@code ddl} and reads it whole through the binary COPY. */
  private static List<InternalRow> readAll(String ddl, String table) throws SQLException {
    try (Connection c = scenario.booking(); Statement s = c.createStatement()) {
      s.execute(ddl);
      List<SourceColumn> columns = SourceCatalog.columns(c, "public", table);
      return collect(PgBinaryCopy.stream(c, PgBinaryCopy.copySql(
          "SELECT " + PgBinaryCopy.selectList(columns) + " FROM public." + table + " ORDER BY id"), columns));
    }
  }

  /** All rows of public.every_type by id, collected before any is inspected (values must outlive the iteration). */
  private static List<InternalRow> everyTypeRows() throws SQLException {
    try (Connection c = scenario.booking()) {
      List<SourceColumn> columns = SourceCatalog.columns(c, "public", "every_type");
      return collect(PgBinaryCopy.stream(c, PgBinaryCopy.copySql(
          "SELECT " + PgBinaryCopy.selectList(columns) + " FROM public.every_type ORDER BY id"), columns));
    }
  }

  /** Compares every value of the named columns of every row of public.every_type with what JDBC reads of it. */
  private static void assertDecodedAsJdbcReads(String... names) throws SQLException {
    List<InternalRow> decoded = everyTypeRows();
    try (Connection c = scenario.booking(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM public.every_type ORDER BY id")) {
      List<SourceColumn> columns = SourceCatalog.columns(c, "public", "every_type");
      int row = 0;
      while (rs.next()) {
        InternalRow actual = decoded.get(row++);
        for (String name : names) {
          SourceColumn col = columns.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
          String where = name + " of row id " + rs.getInt("id");
          if (rs.getObject(name) == null) {
            assertTrue(actual.isNullAt(col.ordinal()), where + " is null");
            continue;
          }
          assertFalse(actual.isNullAt(col.ordinal()), where + " is not null");
          assertEquals(jdbcValue(rs, col), decodedValue(actual, col), where);
        }
      }
      assertEquals(decoded.size(), row, "row count");
    }
  }

  /** What JDBC reads, in a form comparable with {@link #decodedValue}. */
  private static Object jdbcValue(ResultSet rs, SourceColumn col) throws SQLException {
    String n = col.name();
    return switch (col.decoder()) {
      case INT2, INT4, INT8 -> rs.getLong(n);
      case FLOAT4 -> rs.getFloat(n);
      case FLOAT8 -> rs.getDouble(n);
      case BOOL -> rs.getBoolean(n);
      case NUMERIC -> rs.getBigDecimal(n).setScale(((DecimalType) col.sparkType()).scale());
      case TEXT, CAST_TEXT -> rs.getString(n);
      case DATE -> rs.getObject(n, LocalDate.class).toEpochDay();
      case TIMESTAMP -> col.pgType().endsWith("with time zone")
          ? micros(rs.getObject(n, OffsetDateTime.class).toInstant())
          : micros(rs.getObject(n, LocalDateTime.class).toInstant(ZoneOffset.UTC));
      case BYTEA -> List.of(toBoxed(rs.getBytes(n)));
    };
  }

  /** The decoded internal value, read with the accessor of its Spark type. */
  private static Object decodedValue(InternalRow row, SourceColumn col) {
    int i = col.ordinal();
    return switch (col.decoder()) {
      case INT2 -> (long) row.getShort(i);
      case INT4 -> (long) row.getInt(i);
      case INT8 -> row.getLong(i);
      case FLOAT4 -> row.getFloat(i);
      case FLOAT8 -> row.getDouble(i);
      case BOOL -> row.getBoolean(i);
      case NUMERIC -> {
        DecimalType t = (DecimalType) col.sparkType();
        Decimal d = row.getDecimal(i, t.precision(), t.scale());
        yield d.toJavaBigDecimal();
      }
      case TEXT, CAST_TEXT -> row.getUTF8String(i).toString();
      case DATE -> (long) row.getInt(i);
      case TIMESTAMP -> row.getLong(i);
      case BYTEA -> List.of(toBoxed(row.getBinary(i)));
    };
  }

  private static Byte[] toBoxed(byte[] bytes) {
    Byte[] boxed = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      boxed[i] = bytes[i];
    }
    return boxed;
  }

  private static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  private static List<InternalRow> collect(Iterator<InternalRow> rows) {
    List<InternalRow> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    return all;
  }

  private static int selectOne(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot close the source connection: " + e.getMessage(), e);
    }
  }
}
